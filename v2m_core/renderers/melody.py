"""Melody: a tune built from a motif, developed phrase by phrase, above the accompaniment.

Each kind of scene gets a one-bar motif: a rhythm and a contour in semitones. Every phrase of the plan
develops it into an arch: a question that runs the motif's way and ends open (on a chord tone other than
the tonic) and an answer that runs back and closes (on the tonic or another stable tone), by restatement
(every phrase opens with the motif at the theme's pitch level), sequence, variation (the motif inverted
on the same rhythm) and fragmentation (its head, twice). A section like an earlier one (the same emotion,
an energy within `music.form.SIMILAR_ENERGY`) brings back that section's motif, and figures heard before are played
again with the same notes and intervals wherever the harmony allows; a phrase over chords the theme had
before (the planner restates periods) is developed and sung as it was then, note for note. So bar
rhythms and interval patterns recur the way a listener can follow.

Pitches are chosen phrase by phrase by a small Viterbi search over the range: notes on beats 0 and 2 are
chord tones, or now and then an appoggiatura that resolves by step to one; a note outside the chord (a
passing or neighbour note, an appoggiatura on beat 1 or 3) is left by step; moves that stray from the contour, leap, repeat a pitch or turn back cost, so the line
mostly steps and runs. Notes at or under the chords part's highest note heard with them cost most, so the
pad does not bury the tune, and the phrase holding a section's most energetic bar tops the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.renderer import MusicRenderer
from v2m_core.music.form import alike
from v2m_core.music.theory import chord_scale, nearest_pitch, scale_pitch_classes
from v2m_core.music.timing import Bar, Grid, collect
from v2m_core.renderers.chords import ChordsRenderer
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan, Key, PlannedChord

LOW, HIGH = 60, 84
"""Range C4..C6: every note of the tune, its ending included."""
STRONG_EVERY = 2.0
"""Beats: onsets at multiples of this (beats 0 and 2 in 4/4) carry chord tones."""
FASTEST_NOTE = 0.22
"""Seconds: the shortest note value, so under a double-time click the tune moves in quarters."""
THEME_SECONDS = 60.0
"""A piece has one motif, and one more per this many seconds: a short film is built on one theme, a
longer one on a theme and its contrasts."""
FORM_PHRASE_BARS = 4
"""Bars per phrase for a plan that carries no phrases."""
CADENCE_HOLD = 2.0
"""Beats a cadence's tone sounds at most: the tune breathes after each half phrase."""
PICKUP_FROM = 3.0
"""Motif onsets from this beat on follow an open cadence's tone, leading into the next bar."""
STEP = 2
"""Semitones of a step: figures follow each other, and cadences are reached, a step on."""
LEGATO = 0.92
"""Share of the time to the next onset that a note sounds."""
MOVES: tuple[tuple[tuple[int, ...], float], ...] = (((2, 2, 1), 0.72), ((3, 4), 0.2), ((5,), 0.08))
"""The motif's moves in semitones, a step, a third or a fourth, and how often it takes each."""
THIRDS = (3, 4)
"""Semitones between two strong notes with nothing between: a step would leave the chord."""
MIN_NOTES = 3
"""Notes in the motif however calm the scene: fewer is not a figure anyone would recognise."""
DENSITY_SHARE = 0.8
"""Share of the motif's remaining slots that sound at full density: even the busiest motif keeps a gap."""
SLOT_WEIGHTS = {1.0: 1.5, 2.0: 2.0, 3.0: 3.5}
"""How much more likely than an off-beat the motif is to sound on beat 1, beat 2 and the pickup, beat 3."""
KEEP_DIRECTION = 0.9
"""Chance that the motif's next move keeps the direction of the last one."""
LEAP = 5
"""Semitones: a move this wide is a leap."""
MOTIF_SPAN = 7
"""Semitones the motif may wander from its first note: a fifth, so sequences and answers stay in range."""
Cadence = Literal["open", "closed"]
BarRole = Literal["statement", "sequence", "variation", "fragment", "open", "closed"]
DEVELOPMENTS: tuple[BarRole, ...] = ("variation", "fragment")
"""What the answer's first bar does with the motif, phrase after phrase of a section."""
PITCHES = np.arange(LOW, HIGH + 1)
IMPOSSIBLE = 1e9
"""Cost of a pitch a rule forbids (off the chord on a strong beat, an unresolved dissonance)."""
PENALTY_BURIED = 10.0
"""Cost of a note at or under the chords' highest note heard with it."""
COST_UNDER_CHORD_TOP = 1.0
"""Cost of a note at or under the highest note the chords part plays over its chord (an arpeggio's top)."""
HEARD_AFTER = 0.03
"""Seconds after a note's onset at which the accompaniment heard with it is taken (a chord struck with the
note, a little late, sounds; one released as it starts does not)."""
PENALTY_PEAK = 8.0
"""Cost per semitone by which a section's peak phrase fails to top its other phrases, or they rise into
the room left for it."""
PEAK_ROOM = 5
"""Semitones under the top of the range that a section's other phrases leave for its peak phrase."""
WEIGHT_CONTOUR, WEIGHT_START = 0.5, 0.25
"""Cost per semitone by which a move strays from the contour's, and a figure's first note from its place
above the anchor."""
COST_REPEAT, COST_THIRD, COST_LEAP = 1.0, 0.6, 2.0
"""Cost of a repeated pitch (the tune should move), of a move of 3-4 semitones, and of a leap (plus 0.3 a
semitone beyond `LEAP`)."""
COST_REVERSAL = 2.5
"""Cost of a move against the direction of the last one: the line should run, not zigzag."""
COST_OUTSIDE_CHORD = 0.2
"""Cost of a weak-beat note outside the chord, so passing notes come where the contour asks for them."""
COST_APPOGGIATURA = 2.0
"""Cost of a note outside the chord on beat 0 or 2 (an appoggiatura; never a phrase's first or last note)."""
COST_CADENCE_RANK = 1.0
"""Cost of each step down the list of tones a cadence prefers."""
WEIGHT_REGISTER, WEIGHT_JOIN, WEIGHT_LEVEL = 0.03, 0.5, 1.0
"""Cost per semitone from the phrase's home register, of its first note from the last note before, and of
its anchor from the theme's pitch level."""
WEIGHT_HEARD_PITCH, WEIGHT_HEARD_MOVE = 0.5, 1.0
"""Cost per semitone by which a figure's note strays from its place above the anchor, and the move into
it from its size, when the figure was first heard."""
WEIGHT_RESTATED = 3.0
"""Cost per semitone by which a note strays from its pitch in a phrase heard over the same figures and chords
(and of each changed interval, in a peak phrase that restates one higher)."""
COST_HEARD_CHANGE = 1.5
"""Cost of any change to a move heard before, on top of its size: an interval a semitone off is as new to
the ear as one a fifth off, so the tune keeps a figure's exact intervals (transposed where the chord asks)
rather than bending each a little."""
HOME_ABOVE = 5
"""Semitones above the chords' (median) highest heard note around which a phrase likes to sit."""


@dataclass(frozen=True)
class Theme:
    """A motif: one bar of onsets in beats, and the moves in semitones between its notes."""

    rhythm: tuple[float, ...]
    steps: tuple[int, ...]

    @property
    def drift(self) -> int:
        """Semitones from the motif's first note to its last."""
        return sum(self.steps)

    @property
    def direction(self) -> int:
        """1 where the motif rises (overall, or first when it ends where it began), -1 where it falls."""
        return 1 if (self.drift or (self.steps[0] if self.steps else 1)) > 0 else -1

    def at_unit(self, unit: float) -> "Theme":
        """The motif on a grid of `unit` beats (a returning theme under a faster click): onsets floored onto
        the grid, the steps of dropped notes folded into the next kept one."""
        kept: list[float] = []
        steps: list[int] = []
        pending = 0
        for index, onset in enumerate(self.rhythm):
            snapped = unit * int(onset / unit)
            pending += self.steps[index - 1] if index else 0
            if kept and snapped == kept[-1]:
                continue
            if kept:
                steps.append(pending)
            kept.append(snapped)
            pending = 0
        return replace(self, rhythm=tuple(kept), steps=tuple(steps))


@dataclass(frozen=True)
class NoteSpec:
    """One note of a phrase before it has a pitch: where it sounds and how its pitch is found. `degree`
    (semitones above the phrase's anchor) starts a bar's figure; otherwise the note moves `step`
    semitones from the previous one, or ends a half phrase on a `cadence` tone."""

    start: float
    end: float
    strong: bool
    chord: PlannedChord
    heard_top: int
    """The chords part's highest note sounding `HEARD_AFTER` after the onset."""
    chord_top: int
    """The chords part's highest note over the chords the note spans (an arpeggio's top included)."""
    degree: int | None
    step: int
    place: int
    """Semitones above the anchor where the contour puts it: the phrase's apex has the highest."""
    cadence: Cadence | None
    figure: tuple[BarRole, int, int]
    """(role of its bar, notes in the bar's figure, its place there): the same figure heard again."""


@dataclass
class Hearing:
    """What a theme has sounded like so far: its pitch level (the first phrase's anchor) and, per figure
    note, its pitch above its phrase's anchor and the move into it when first heard, so later phrases
    repeat those notes, or at least those intervals, wherever the harmony allows and the theme comes back
    recognisably."""

    level: int | None = None
    figures: dict[tuple[BarRole, int, int], int] = field(default_factory=dict)
    moves: dict[tuple[BarRole, int, int], int] = field(default_factory=dict)
    phrases: dict[tuple[tuple[tuple[BarRole, int, int], str], ...], list[int]] = field(default_factory=dict)
    """Pitches of each phrase heard, by its figures and the chords under their notes: a phrase over the same
    figures and chords (the harmony restating a period) comes back note for note."""


def restated(specs: list[NoteSpec]) -> tuple[tuple[tuple[BarRole, int, int], str], ...]:
    """What makes a phrase the same as one heard before: its figures, note by note, and the chords under them
    (as the tune hears them: an inversion leaves its notes as good), but for its first chord, which the
    planner changes where the phrase starts at a cut on the chord the last one ended on."""
    first = specs[0].chord.start if specs else 0.0
    return tuple((spec.figure, "" if spec.chord.start == first else _sound(spec.chord)) for spec in specs)


class MelodyRenderer(MusicRenderer[PluginConfig]):
    name = "melody"
    role = "melody"
    version = "2.0.0"
    description = "A tune: a motif per kind of scene developed into open and closed phrases, above the chords."

    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        grid = Grid(plan)
        accompaniment = Accompaniment.of(grid)
        themes: dict[int, Theme] = {}
        hearings: dict[int, Hearing] = {}  # by the section that first stated the theme
        pitches: dict[int, list[int]] = {}
        specs: dict[int, list[NoteSpec]] = {}
        developed: dict[tuple[tuple[str, ...], ...], tuple[int, Theme, int]] = {}  # by a phrase's chords
        for section_index, phrases in _phrases_by_section(grid, grid.playing_bars(self.role)):
            density = min(1.0, plan.sections[section_index].energy * grid.style.melody_density)
            unit = _note_unit(phrases[0][0].beats[0].duration, density)
            earlier = _similar_section(plan, section_index, sorted(hearings))
            if earlier is None:
                theme = make_theme(rng, density, unit)
            elif alike(plan.sections[earlier], plan.sections[section_index]):
                theme = themes[earlier]  # the same scene again: the same figure, note for note
            else:
                theme = themes[earlier].at_unit(unit)
            themes[section_index] = theme
            origin = section_index if earlier is None else earlier
            heard_as: list[Hearing] = []
            for number, bars in enumerate(phrases):
                # chords a motif had before bring it back as it went then: its own motif's, or, in a section
                # with a motif of its own, any earlier one's (its restated harmony asks for the tune too)
                harmony = _harmony(grid, bars)
                before = developed.get(harmony)
                if before is not None and (before[0] == origin or earlier is None):
                    phrase_origin, own, number = before
                else:
                    phrase_origin, own = origin, theme
                    developed.setdefault(harmony, (origin, theme, number))
                specs[bars[0].index] = _phrase_specs(grid, bars, own, number, accompaniment)
                heard_as.append(hearings.setdefault(phrase_origin, Hearing()))
            _place_section(plan.key, [specs[bars[0].index] for bars in phrases], _peak_phrase(grid, phrases),
                           pitches, [bars[0].index for bars in phrases], heard_as)
        notes: list[Note | None] = []
        last_pitch = (LOW + HIGH) // 2
        for first_bar in sorted(specs):
            for spec, pitch in zip(specs[first_bar], pitches[first_bar]):
                accent = 10 if spec.strong else 0
                velocity = grid.velocity(spec.start, 60 + accent, 100 + accent) - int(rng.integers(4))
                notes.append(grid.note(pitch, spec.start, spec.end, velocity))
                last_pitch = pitch
        notes.append(final_tonic(grid, last_pitch, accompaniment.chord_tops[-1]))
        return [MidiTrack(name="Melody", role=self.role, program=plan.instruments.get(self.role, 73),
                          notes=collect(notes))]


def final_tonic(grid: Grid, pitch: int, ceiling: int | None = None) -> Note | None:
    """The final chord's root nearest `pitch`, held to the end: every melody renderer ends on it. It sits
    above `ceiling` (the chords' top note, found from the chords part when not given) where the range allows."""
    final = grid.final_chord
    top = Accompaniment.of(grid).chord_tops[-1] if ceiling is None else ceiling
    above = [p for p in range(max(LOW, top + 1), HIGH + 1) if p % 12 == final.root]
    tonic = min(above, key=lambda p: (abs(p - pitch), p)) if above else nearest_pitch(final.root, pitch, LOW, HIGH)
    return grid.note(tonic, final.start, grid.duration, grid.velocity(final.start, 55, 90))


@dataclass(frozen=True)
class Accompaniment:
    """The chords part as the tune hears it: its highest note over each chord of the plan (0 where it
    plays none), and its notes by the chord they start in.

    It is the built-in chords renderer's own output, so a change to its register or voicing is followed;
    its rng only picks a comping rhythm, which strikes the same voicing, so where this render is silent
    the chord's top stands in for what the real one may be playing."""

    chord_tops: list[int]
    by_chord: list[list[Note]]

    @classmethod
    def of(cls, grid: Grid) -> "Accompaniment":
        tops = [0] * len(grid.plan.chords)
        by_chord: list[list[Note]] = [[] for _ in grid.plan.chords]
        for track in ChordsRenderer().render(grid.plan, np.random.default_rng(0)):
            for note in track.notes:
                by_chord[grid.chord_index(note.start)].append(note)
                for index in grid.chord_indices(note.start, note.end):
                    tops[index] = max(tops[index], note.pitch)
        return cls(chord_tops=tops, by_chord=by_chord)

    def top_at(self, grid: Grid, time: float) -> int:
        """The highest chords note sounding `HEARD_AFTER` after `time`, else the top of the chord there."""
        instant = time + HEARD_AFTER
        index = grid.chord_index(instant)
        sounding = [n.pitch for i in range(max(0, index - 1), index + 1) for n in self.by_chord[i]
                    if n.start <= instant < n.end]
        return max(sounding) if sounding else self.chord_tops[index]


def _phrases_by_section(grid: Grid, bars: list[Bar]) -> list[tuple[int, list[list[Bar]]]]:
    """Playing bars grouped by section, then by the plan's phrase (chunks of `FORM_PHRASE_BARS` without one)."""
    sections: list[tuple[int, list[list[Bar]]]] = []
    previous: tuple[int, int] | None = None
    for bar in bars:
        phrase = grid.phrase(bar)
        key = (bar.section, phrase.first_bar if phrase else -1)
        if not sections or sections[-1][0] != bar.section:
            sections.append((bar.section, []))
        current = sections[-1][1]
        starts_phrase = key != previous or bar.index != current[-1][-1].index + 1
        if starts_phrase or (phrase is None and len(current[-1]) == FORM_PHRASE_BARS):
            current.append([])
        current[-1].append(bar)
        previous = key
    return sections


def _sound(chord: PlannedChord) -> str:
    """A chord as the tune hears it: its name without the bass (an inversion leaves the tune's notes as good)."""
    return chord.label.split("/")[0]


def _harmony(grid: Grid, bars: list[Bar]) -> tuple[tuple[str, ...], ...]:
    """A phrase's chords, bar by bar, but for the first (see `restated`); a bar stretched or cut at a cut
    (a beat more or less) leaves the phrase the same to the ear."""
    first = grid.chord_index(bars[0].start)
    return tuple(tuple(_sound(grid.plan.chords[i]) if i != first else "" for i in grid.chord_indices(bar.start, bar.end))
                 for bar in bars)


def _note_unit(beat: float, density: float) -> float:
    """Beats per slot of the motif's grid: eighths when lively and the beat is slow enough for them,
    quarters under a double-time click (or when calm), halves when even quarters would be too quick."""
    if beat < FASTEST_NOTE:
        return 2.0
    return 0.5 if density >= 0.3 and beat * 0.5 >= FASTEST_NOTE else 1.0


def _similar_section(plan: CompositionPlan, index: int, origins: list[int]) -> int | None:
    """The first section that stated a motif (`origins`) whose scene is like this one's; once the piece has
    all the motifs its length allows (one, and one more per `THEME_SECONDS`), the one nearest in energy;
    else None (a new motif)."""
    section = plan.sections[index]
    for earlier in origins:
        if alike(plan.sections[earlier], section):
            return earlier
    if origins and len(origins) >= 1 + int(plan.duration // THEME_SECONDS):
        return min(origins, key=lambda earlier: abs(plan.sections[earlier].energy - section.energy))
    return None


def make_theme(rng: np.random.Generator, density: float, unit: float) -> Theme:
    """A one-bar motif: more onsets as `density` grows (the downbeat always sounds; the pickup on beat 3
    weighs most, off-beats least), and moves that are mostly steps and keep their direction, a third
    between two strong notes with nothing between (where a step would leave the chord), and a step back
    after a leap or where it would stray more than `MOTIF_SPAN` from its first note."""
    slots = [i * unit for i in range(int(4 / unit))]
    fewest = min(MIN_NOTES, len(slots))
    count = fewest + round((len(slots) - fewest) * DENSITY_SHARE * density)
    weights = np.array([SLOT_WEIGHTS.get(s, 1.0) for s in slots[1:]])
    chosen: list[float] = (rng.choice(slots[1:], size=count - 1, replace=False, p=weights / weights.sum()).tolist()
                           if count > 1 else [])
    rhythm = tuple(sorted([0.0, *(float(s) for s in chosen)]))
    direction = 1 if rng.random() < 0.5 else -1
    steps: list[int] = []
    for before, after in zip(rhythm, rhythm[1:]):
        if steps and abs(steps[-1]) >= LEAP:
            sizes, direction = MOVES[0][0], -direction
        else:
            if steps and rng.random() > KEEP_DIRECTION:
                direction = -direction
            strong = before % STRONG_EVERY == 0 and after % STRONG_EVERY == 0
            sizes = THIRDS if strong else MOVES[int(rng.choice(len(MOVES), p=[chance for _, chance in MOVES]))][0]
        step = direction * int(rng.choice(sizes))
        if abs(sum(steps) + step) > MOTIF_SPAN:
            direction = -direction
            step = direction * int(rng.choice(MOVES[0][0]))
        steps.append(step)
    return Theme(rhythm=rhythm, steps=tuple(steps))


def _bar_roles(bars: int, number: int) -> list[BarRole]:
    """What each bar of a phrase does: a question (the motif stated, then sequenced when the phrase is
    long, ending open) and an answer (the motif developed as `DEVELOPMENTS` cycles with the phrase
    `number` in its section, ending closed). Phrases under four bars are a statement and its answer."""
    development = DEVELOPMENTS[number % len(DEVELOPMENTS)]
    if bars < FORM_PHRASE_BARS:
        opening: list[BarRole] = ["statement", development]
        return (opening[:bars - 1] + ["closed"]) if bars > 1 else ["closed"]
    question = (bars + 1) // 2
    answer = bars - question
    sequences: list[BarRole] = ["sequence"] * (question - 2)
    fragments: list[BarRole] = ["fragment"] * (answer - 2)
    return ["statement", *sequences, "open", development, *fragments, "closed"]


def _phrase_specs(grid: Grid, bars: list[Bar], theme: Theme, number: int,
                  accompaniment: Accompaniment) -> list[NoteSpec]:
    """The notes of one phrase with their times, chords, the chords' top note, and how each finds its pitch."""
    figures = [(bar, role, _figure(theme, role, bar.length)) for bar, role in zip(bars, _bar_roles(len(bars), number))]
    timed = [(bar, offset, degree, step, cadence, (role, len(figure), place)) for bar, role, figure in figures
             for place, (offset, degree, step, cadence) in enumerate(figure)]
    specs: list[NoteSpec] = []
    place = 0  # where the contour has the line, in semitones above the anchor
    for index, (bar, offset, degree, step, cadence, figure) in enumerate(timed):
        if degree is not None:
            step, place = degree - place, degree
        else:
            place += step
        start = bar.time_at(offset)
        following = timed[index + 1] if index + 1 < len(timed) else None
        end = following[0].time_at(following[1]) if following else bar.end
        if cadence is not None and offset + CADENCE_HOLD < bar.length:
            end = min(end, bar.time_at(offset + CADENCE_HOLD))
        end = start + (end - start) * LEGATO
        specs.append(NoteSpec(start=start, end=end, strong=offset % STRONG_EVERY == 0, chord=grid.chord_at(start),
                              heard_top=accompaniment.top_at(grid, start),
                              chord_top=max(accompaniment.chord_tops[i] for i in grid.chord_indices(start, end)),
                              degree=degree, step=step, place=place, cadence=cadence, figure=figure))
    return specs


def _figure(theme: Theme, role: BarRole, length: int) -> list[tuple[float, int | None, int, Cadence | None]]:
    """One bar's notes as (offset, degree above the phrase's anchor or None, step, cadence). A phrase is an
    arch: the question runs the motif's way (the statement from the anchor, a sequence of it a step on,
    the open cadence a step past its end, its pickups turning back), the answer runs back (the motif
    inverted, or its head inverted twice, each a step on, and the closed cadence a step further)."""
    onward = theme.direction * STEP
    inverted = [-s for s in theme.steps]
    rhythm = [o for o in theme.rhythm if o < length]
    if role == "statement":
        return _motif(rhythm, list(theme.steps), 0, degree=0)
    if role == "sequence":
        return _motif(rhythm, list(theme.steps), onward - theme.drift)
    if role == "open":
        tail = [o for o in rhythm if o >= PICKUP_FROM]
        return [(0.0, None, onward, "open"), *((o, None, s, None) for o, s in zip(tail, inverted[-len(tail):]))]
    if role == "closed":
        return [(0.0, None, -onward, "closed")]
    if role == "variation":
        return _motif(rhythm, inverted, -onward)
    head = [o for o in rhythm if o < 2.0]
    return _motif(head, inverted, -onward) + _motif([o + 2.0 for o in head if o + 2.0 < length], inverted, -onward)


def _motif(onsets: list[float], steps: list[int], link: int,
           degree: int | None = None) -> list[tuple[float, int | None, int, Cadence | None]]:
    """Notes of a figure: the first `link` semitones from the note before (or at `degree` above the
    anchor), the rest by `steps`."""
    return [(onset, degree if i == 0 else None, steps[i - 1] if i else link, None) for i, onset in enumerate(onsets)]


def _peak_phrase(grid: Grid, phrases: list[list[Bar]]) -> int:
    """Index of the section's phrase holding its most energetic bar: where the tune's highest note goes."""
    energies = [max(grid.bar_energy(bar) for bar in bars) for bars in phrases]
    return int(np.argmax(energies))


def _place_section(key: Key, phrases: list[list[NoteSpec]], peak: int, pitches: dict[int, list[int]],
                   keys: list[int], hearings: list[Hearing]) -> None:
    """Pitches for every phrase of a section: the other phrases first, each near the end of the one
    before (the last placed, for the section's first), as its theme was heard (`hearings`, per phrase),
    and `PEAK_ROOM` under the top of the range; then the peak phrase, which must top them all."""
    order = [i for i in range(len(phrases)) if i != peak] + [peak]
    highest = 0
    for i in order:
        hearing = hearings[i]
        before = pitches.get(keys[i - 1]) if i > 0 else pitches[max(pitches)] if pitches else None
        is_peak = i == peak and len(phrases) > 1
        top = (highest + 1, HIGH) if is_peak else (LOW, HIGH - PEAK_ROOM if len(phrases) > 1 else HIGH)
        pitches[keys[i]], anchor = _place_phrase(key, phrases[i], before[-1] if before else None, top, hearing,
                                                 peak=is_peak)
        hearing.level = anchor if hearing.level is None else hearing.level
        hearing.phrases.setdefault(restated(phrases[i]), pitches[keys[i]])
        for n, (spec, pitch) in enumerate(zip(phrases[i], pitches[keys[i]])):
            hearing.figures.setdefault(spec.figure, pitch - anchor)
            if n:
                hearing.moves.setdefault(spec.figure, pitch - pitches[keys[i]][n - 1])
        if not is_peak:
            highest = max(highest, *pitches[keys[i]])


def _place_phrase(key: Key, specs: list[NoteSpec], previous: int | None, top: tuple[int, int],
                  hearing: Hearing, peak: bool) -> tuple[list[int], int]:
    """The phrase realised from the anchor that costs least, and that anchor (the pitch its figures start
    from, tried at each pitch the first figure may start on). Straying from the theme's level and from
    how its figures were first heard costs, so a restatement over the same chords repeats the same
    notes. A phrase over the figures and chords of one heard before keeps its pitches, or, when it is
    its section's `peak` and must top the others, its intervals, higher (`WEIGHT_RESTATED`)."""
    unary, pairwise = _costs(key, specs, previous, top, hearing.moves)
    starts = [(i, s.degree) for i, s in enumerate(specs) if s.degree is not None]
    heard = [(i, hearing.figures[s.figure]) for i, s in enumerate(specs) if s.figure in hearing.figures]
    earlier = hearing.phrases.get(restated(specs), [])
    if peak and earlier:
        moves = PITCHES[None, :] - PITCHES[:, None]
        pairwise = [cost + WEIGHT_RESTATED * (moves != b - a) for cost, a, b in zip(pairwise, earlier, earlier[1:])]
        earlier = []
    anchors = [int(p) - starts[0][1] for p in PITCHES[unary[starts[0][0]] < IMPOSSIBLE]] if starts else [0]
    best: tuple[float, list[int], int] | None = None
    for anchor in anchors:
        anchored = unary.copy()
        for i, degree in starts:
            anchored[i] += WEIGHT_START * np.abs(PITCHES - (anchor + degree))
        for i, offset in heard:
            anchored[i] += WEIGHT_HEARD_PITCH * np.abs(PITCHES - (anchor + offset))
        for i, pitch in enumerate(earlier):
            if pitch > specs[i].heard_top:  # a note the chords would now bury finds another place
                anchored[i] += WEIGHT_RESTATED * np.abs(PITCHES - pitch)
        cost, path = _cheapest_path(anchored, pairwise)
        cost += WEIGHT_LEVEL * abs(anchor - hearing.level) if hearing.level is not None else 0.0
        if best is None or cost < best[0]:
            best = (cost, [int(PITCHES[p]) for p in path], anchor)
    assert best is not None  # the first note has allowed pitches: its chord's tones fill the range
    return best[1], best[2]


def _costs(key: Key, specs: list[NoteSpec], previous: int | None, top: tuple[int, int],
           heard_moves: dict[tuple[BarRole, int, int], int]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Per note, the cost of each pitch of the range (`IMPOSSIBLE` where not allowed), and per pair of
    successive notes, the cost of each move: how far it strays from the motif's, how wide it is, and
    whether it leaves a note outside the chord by step as it must. Every note pays `PENALTY_PEAK` per
    semitone over `top`'s highest, and the phrase's apex per semitone under its lowest, so a peak
    phrase tops the section's others and they leave it room."""
    home = float(np.median([s.heard_top for s in specs])) + HOME_ABOVE
    unary = np.empty((len(specs), len(PITCHES)))
    tones = [np.isin(PITCHES % 12, s.chord.pitch_classes) for s in specs]
    for i, spec in enumerate(specs):
        last = i + 1 == len(specs)
        if spec.cadence is not None:
            allowed, extra = _cadence_tones(key, spec)
        else:
            scale = np.isin(PITCHES % 12, chord_scale(spec.chord, key))
            allowed = tones[i] if (spec.strong and i == 0) or last else scale
            extra = np.where(tones[i], 0.0, COST_APPOGGIATURA if spec.strong else COST_OUTSIDE_CHORD)
        unary[i] = np.where(allowed, extra + PENALTY_BURIED * (PITCHES <= spec.heard_top)
                            + COST_UNDER_CHORD_TOP * (PITCHES <= spec.chord_top)
                            + WEIGHT_REGISTER * np.abs(PITCHES - home), IMPOSSIBLE)
    if previous is not None:
        unary[0] += WEIGHT_JOIN * np.abs(PITCHES - previous)
    unary += PENALTY_PEAK * np.maximum(0, PITCHES - top[1])
    apex = max(range(len(specs)), key=lambda i: specs[i].place)
    unary[apex] += PENALTY_PEAK * np.maximum(0, top[0] - PITCHES)
    moves = PITCHES[None, :] - PITCHES[:, None]
    leaps = np.abs(moves)
    leap_cost = np.where(leaps == 0, COST_REPEAT, np.where(leaps <= 2, 0.0, np.where(
        leaps < LEAP, COST_THIRD, COST_LEAP + 0.3 * (leaps - LEAP))))
    unresolved = (leaps == 0) | (leaps > 2)
    pairwise = []
    for i in range(1, len(specs)):
        cost = leap_cost.copy()
        cost += WEIGHT_CONTOUR * np.abs(moves - specs[i].step)
        if specs[i].figure in heard_moves:
            heard = heard_moves[specs[i].figure]
            cost += WEIGHT_HEARD_MOVE * np.abs(moves - heard) + COST_HEARD_CHANGE * (moves != heard)
        cost[~tones[i - 1][:, None] & unresolved] = IMPOSSIBLE
        if specs[i - 1].strong:  # an appoggiatura resolves to a chord tone
            cost[~tones[i - 1][:, None] & ~tones[i][None, :]] = IMPOSSIBLE
        pairwise.append(cost)
    return unary, pairwise


def _cheapest_path(unary: np.ndarray, pairwise: list[np.ndarray]) -> tuple[float, list[int]]:
    """Viterbi over the notes: the pitch indices of least total cost, and that cost. The state is a pitch
    and the direction of the last move that changed pitch (down, none yet, up), so each turn of direction
    costs `COST_REVERSAL`; a repeated note keeps the direction it had."""
    size = unary.shape[1]
    rising = np.triu(np.ones((size, size), dtype=bool), 1)  # [from, to]: `to` is higher
    turn_into = np.array([[0.0, 0.0, COST_REVERSAL], [0.0, 0.0, 0.0], [COST_REVERSAL, 0.0, 0.0]])  # [last, new]
    cost = np.full((size, 3), IMPOSSIBLE)
    cost[:, 1] = unary[0]
    back: list[tuple[np.ndarray, np.ndarray]] = []
    for i, moves in enumerate(pairwise, start=1):
        new = np.full((size, 3), IMPOSSIBLE)
        from_pitch = np.tile(np.arange(size)[:, None], (1, 3))
        from_direction = np.tile(np.arange(3), (size, 1))
        for direction, allowed in ((0, rising.T), (2, rising)):
            entering = cost + turn_into[:, direction][None, :]
            last = entering.argmin(axis=1)
            total = np.where(allowed, entering.min(axis=1)[:, None] + moves, IMPOSSIBLE)
            source = total.argmin(axis=0)
            new[:, direction] = total[source, np.arange(size)]
            from_pitch[:, direction], from_direction[:, direction] = source, last[source]
        repeat = cost + np.diag(moves)[:, None]
        better = repeat < new
        new = np.where(better, repeat, new)
        from_pitch = np.where(better, np.arange(size)[:, None], from_pitch)
        from_direction = np.where(better, np.arange(3)[None, :], from_direction)
        cost = np.minimum(new + unary[i][:, None], IMPOSSIBLE)
        back.append((from_pitch, from_direction))
    pitch, direction = (int(index) for index in np.unravel_index(int(cost.argmin()), cost.shape))
    total_cost = float(cost[pitch, direction])
    path = [pitch]
    for from_pitch, from_direction in reversed(back):
        pitch, direction = int(from_pitch[pitch, direction]), int(from_direction[pitch, direction])
        path.append(pitch)
    return total_cost, path[::-1]


def _cadence_tones(key: Key, spec: NoteSpec) -> tuple[np.ndarray, np.ndarray]:
    """Pitches that may end a half phrase and what each costs: for a closed cadence the tonic, else the
    key's third or fifth, else the root; for an open one the key's second or fifth degree, else another
    chord tone that is not the tonic; each later choice costs `COST_CADENCE_RANK` more."""
    scale = scale_pitch_classes(key)
    tonic, second, third, fifth, seventh = scale[0], scale[1], scale[2], scale[4], scale[6]
    preferred = (tonic, third, fifth) if spec.cadence == "closed" else (second, fifth, seventh, third)
    chord = spec.chord.pitch_classes
    wanted = [pc for pc in preferred if pc in chord]
    if spec.cadence == "open":
        wanted += [pc for pc in chord if pc != tonic and pc not in wanted]
    wanted = wanted or [spec.chord.root]
    classes = PITCHES % 12
    rank = np.array([wanted.index(int(pc)) if pc in wanted else -1 for pc in classes])
    return rank >= 0, COST_CADENCE_RANK * np.maximum(rank, 0)
