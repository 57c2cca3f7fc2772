"""The rule-based planner: a click track fitted to the cuts, sections on structural cuts, a key from the picture
and harmony written phrase by phrase to cadences."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
from pydantic import Field

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.planner import Planner
from v2m_core.music import styles
from v2m_core.music.energy import AROUSAL_WEIGHT, MOTION_SCALE, second_energy
from v2m_core.music.form import BarSpan, plan_phrases
from v2m_core.music.hit_points import coverage_options, cut_strengths, mark, structural_rewards
from v2m_core.music.progressions import (
    SECTION_OPENINGS, Cadence, Mode, StyleHarmony, coloured, is_secondary_dominant, phrase_functions, phrase_numerals,
    style_harmony,
)
from v2m_core.music.seconds import seconds_covering
from v2m_core.music.tempo_map import SLOWEST_FACTOR, cuts_caught, fit_tempo_map
from v2m_core.music.theory import bass_line, chord_from_numeral, parse_key, parse_numeral, relative_key
from v2m_core.schemas.analysis import EMOTIONS, EmotionName, VideoAnalysis
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.plan import Beat, CompositionPlan, Hit, Key, Phrase, PlannedChord, Section
from v2m_core.steps.affect import FOOTAGE_BRIGHTNESS, standardise

TWO_CHORDS_PER_BAR_FROM = 0.7
"""Section energy from which harmony moves twice as fast."""
CHORD_SECONDS = 2.0
"""Shortest usual chord: under a fast click, harmony changes every other bar."""
FINAL_HOLD = 1.5
"""The final chord starts on the last downbeat at least this many seconds before the end, and rings out."""
TEMPO_WINDOW = 15
MIN_SECTION_BEATS = 8
"""Two bars: structural cuts are at least this many beats of the slowest tempo allowed apart."""
"""Seconds of energy averaged for the style's tempo: the click follows long stretches, not single shots."""
MINOR_BELOW = -0.15
"""Mode score (`_mode`) under which a video is in a minor key."""
KEY_SIGNATURES = tuple(range(-3, 5))
"""Sharps (flats negative) of the keys a video may get, dark to bright: Eb..E major, C..C# minor."""
KEY_CHOICES = 3
"""Signatures nearest the picture's light that the seed chooses among."""
BRIGHT_EMOTIONS = frozenset({"exciting", "relaxing"})
RECENT_CHORDS = 6
"""Chords before a phrase whose roots it prefers not to reuse (beyond its own functions' needs)."""
PARALLEL_PERIOD = 0.6
"""Chance that a closing phrase answering a half cadence of the same length begins with its chords (a
parallel period), so a melody over it can begin alike too."""
RESTATE_BACK = 8
"""Phrases back that a phrase may restate the chords of (see `_restated_phrase`)."""
VARIETY_BEFORE_RESTATING = 5
"""Distinct chords a piece has heard before a phrase may restate an earlier one: variety first."""
KEY_AREA_BARS = 8
"""A section moves to another key area only when it lasts two phrases: a key needs time to settle."""
CLOSING: frozenset[Cadence] = frozenset({"authentic", "plagal"})


class RulePlannerConfig(PluginConfig):
    min_lead: float = Field(default=0.5, gt=0, description="A first cut earlier than this (s) is ignored.")
    motion_scale: float = Field(default=MOTION_SCALE, ge=1e-4, le=1,
                                description="Motion (0..1) at which the motion term reaches 1 - 1/e; fixed (not "
                                            "relative to the video) so calm videos stay calm.")
    arousal_weight: float = Field(default=AROUSAL_WEIGHT, ge=0, le=1,
                                  description="Share of arousal in energy; motion has the rest.")


@dataclass(frozen=True)
class Timeline:
    """The musical time of a plan, shared by every planner: style, click track, sections, hits, phrases."""

    preset: styles.StylePreset
    dominant: EmotionName
    sections: list[Section]
    beats: list[Beat]
    cuts: list[float]
    hits: list[Hit]
    phrases: list[Phrase]
    final_start: float
    """Where the final chord starts (a downbeat), held to the end."""

    def plan(self, key: Key, chords: list[PlannedChord], energy: np.ndarray, analysis: VideoAnalysis,
             request: ComposeConfig, planner: str) -> CompositionPlan:
        """The plan around a planner's chords and per-second energy."""
        duration = self.sections[-1].end
        return CompositionPlan(
            duration=duration, key=key, style=self.preset.name, seed=request.seed, planner=planner,
            sections=self.sections, beats=self.beats, chords=chords, cuts=self.cuts, hits=self.hits,
            phrases=self.phrases, energy=[round(float(e), 4) for e in energy],
            emotion=[[round(float(p), 4) for p in row] for row in analysis.emotion],
            instruments=styles.instruments(self.preset, self.dominant, request.instruments),
            fade_out=round(min(1.0, 0.5 * (duration - self.final_start)), 4),
        )


@dataclass(frozen=True)
class Slot:
    """A harmonic-rhythm slot: where a chord starts, and whether that is a section start."""

    start: float
    section: int
    at_section_start: bool


class RulePlanner(Planner[RulePlannerConfig]):
    name = "rules"
    version = "2.0.0"
    description = ("A click track fitted to the cuts (structural cuts on downbeats), phrases and form, key from the "
                   "picture, phrase harmony with cadences.")

    def plan(self, analysis: VideoAnalysis, request: ComposeConfig) -> CompositionPlan:
        config = self.config
        rng = np.random.default_rng(request.seed)
        duration = analysis.probe.duration
        energy = second_energy(analysis.arousal, analysis.motion, config.motion_scale, config.arousal_weight)
        timeline = fit_timeline(analysis, request, energy, config.min_lead)
        key = parse_key(request.key) if request.key else choose_key(analysis, rng)
        chords = harmonise(timeline, key, duration, rng)
        return timeline.plan(key, chords, energy, analysis, request, self.name)


def fit_timeline(analysis: VideoAnalysis, request: ComposeConfig, energy: np.ndarray, min_lead: float) -> Timeline:
    """Style, the click track fitted to the cuts, sections from its structural cuts, hits and phrases."""
    duration = analysis.probe.duration
    emotions = np.asarray(analysis.emotion, dtype=float)
    dominant = cast(EmotionName, EMOTIONS[int(np.argmax(emotions.mean(axis=0)))])
    preset = styles.resolve_style(request.style, dominant, float(energy.mean()))
    cuts = np.array([c for c in analysis.cuts if min_lead <= c < duration - 0.05], dtype=float)
    strength = cut_strengths(analysis, cuts, duration)
    target = 60.0 / np.array([preset.tempo_for(e) for e in _moving_average(energy, TEMPO_WINDOW)])
    fixed = 60.0 / request.tempo if request.tempo else None
    slowest = fixed * 1.02 if fixed else float(target.max()) / SLOWEST_FACTOR
    min_gap = MIN_SECTION_BEATS * slowest
    rewards = structural_rewards(cuts, strength, duration, min_gap)
    tempo_map = fit_tempo_map(cuts, rewards, duration, target, fixed_period=fixed)
    while options := coverage_options(rewards, strength, cuts, tempo_map.structural, duration, min_gap):
        fits = [(fit_tempo_map(cuts, option, duration, target, fixed_period=fixed), option) for option in options]
        tempo_map, rewards = max(fits, key=lambda fit: cuts_caught(fit[0].beats, cuts))
    times, positions = tempo_map.beats, tempo_map.positions
    bounds = [0.0, *(float(cuts[i]) for i in tempo_map.structural), duration]
    section_of = np.searchsorted(np.array(bounds[1:-1]), times + 1e-6, side="right")
    durations = np.diff(np.append(times, duration))
    bar_of = np.cumsum(positions == 0) - 1
    beats = [Beat(time=float(t), bar=int(b), position=int(p), section=int(s), duration=float(d))
             for t, b, p, s, d in zip(times, bar_of, positions, section_of, durations)]
    sections = []
    for index, (start, end) in enumerate(zip(bounds, bounds[1:])):
        span = _span(start, end, energy, emotions)
        mean_period = float(durations[section_of == index].mean())
        sections.append(Section(start=start, end=end, tempo=round(60.0 / mean_period, 3), emotion=span[0],
                                energy=round(span[1], 4), starts_at_cut=index > 0))
    structural = set(tempo_map.structural)
    hits = [Hit(time=float(c), strength=round(float(s), 4), structural=i in structural,
                mark=mark(i in structural, float(s), float(np.min(np.abs(times - c)))))
            for i, (c, s) in enumerate(zip(cuts, strength))]
    final_start = final_downbeat(beats, duration)
    downbeats = [b for b in beats if b.position == 0]
    ends = [d.time for d in downbeats[1:]] + [duration]
    bars = [BarSpan(d.time, end, d.section) for d, end in zip(downbeats, ends)]
    phrases = plan_phrases(bars, energy, preset, final_start)
    return Timeline(preset, dominant, sections, beats, [float(c) for c in cuts], hits, phrases, final_start)


def _moving_average(values: np.ndarray, width: int) -> np.ndarray:
    if values.size <= 1:
        return values
    kernel = np.ones(min(width, values.size)) / min(width, values.size)
    padded = np.pad(values, (len(kernel) // 2, len(kernel) - 1 - len(kernel) // 2), mode="edge")
    return np.convolve(padded, kernel, mode="valid")


def final_downbeat(beats: list[Beat], duration: float) -> float:
    """The last downbeat at least FINAL_HOLD seconds before the end (the first downbeat if none is)."""
    downbeats = [b.time for b in beats if b.position == 0]
    early = [t for t in downbeats if duration - t >= min(FINAL_HOLD, 0.5 * duration)]
    return early[-1] if early else downbeats[0]


def _mode(analysis: VideoAnalysis) -> Mode:
    """Major unless the picture is clearly dark: mean valence, plus half the balance of bright emotions
    (exciting, relaxing) over dark ones, plus a quarter of the brightness against ordinary footage.
    Minor is the marked mode, so a neutral video (score near 0) stays major."""
    emotion = np.asarray(analysis.emotion, dtype=float).mean(axis=0)
    share = dict(zip(EMOTIONS, emotion))
    balance = sum(share[name] for name in BRIGHT_EMOTIONS) - sum(share[name] for name in styles.DARK_EMOTIONS)
    light = float(np.mean(standardise(np.asarray(analysis.brightness), FOOTAGE_BRIGHTNESS)))
    score = float(np.mean(analysis.valence)) + 0.5 * balance + 0.25 * light
    return "major" if score >= MINOR_BELOW else "minor"


def choose_key(analysis: VideoAnalysis, rng: np.random.Generator) -> Key:
    """The mode from the picture's mood and light (`_mode`); the tonic from its light on the circle of fifths,
    brighter pictures in sharper keys (the string player's bright D, A and E against the mellow flat keys),
    the seed choosing among the `KEY_CHOICES` signatures nearest the picture's."""
    mode = _mode(analysis)
    light = float(np.mean(standardise(np.asarray(analysis.brightness), FOOTAGE_BRIGHTNESS)))
    target = (light + 1.0) / 2.0 * (len(KEY_SIGNATURES) - 1)
    nearest = sorted(range(len(KEY_SIGNATURES)), key=lambda i: (abs(i - target), i))[:KEY_CHOICES]
    sharps = KEY_SIGNATURES[nearest[int(rng.integers(len(nearest)))]]
    return Key(tonic=(7 * sharps + (0 if mode == "major" else 9)) % 12, mode=mode)


def key_areas(sections: Sequence[Section], home: Key) -> list[Key]:
    """The key each section's harmony is written in: home, except an inner section of at least
    KEY_AREA_BARS whose emotion contrasts with the home mode (a dark one in a major piece, an exciting or
    relaxing one in a minor piece), which moves to the relative key; the first and last sections stay
    home, so the music comes back."""
    areas = []
    for index, section in enumerate(sections):
        inner = 0 < index < len(sections) - 1
        bars = (section.end - section.start) * section.tempo / 60.0 / section.beats_per_bar
        dark = section.emotion in styles.DARK_EMOTIONS
        contrasting = dark if home.mode == "major" else section.emotion in BRIGHT_EMOTIONS
        areas.append(relative_key(home) if inner and contrasting and bars >= KEY_AREA_BARS - 0.5 else home)
    return areas


def _span(start: float, end: float, energy: np.ndarray, emotions: np.ndarray) -> tuple[EmotionName, float]:
    """Mean energy and the argmax of mean emotion over the seconds a section covers."""
    rows = seconds_covering(energy.size, start, end)
    emotion = cast(EmotionName, EMOTIONS[int(np.argmax(emotions[rows].mean(axis=0)))])
    return emotion, float(np.clip(energy[rows].mean(), 0.0, 1.0))


def chord_slots(timeline: Timeline) -> list[Slot]:
    """Chord-change points up to the final downbeat: every downbeat, every other one when bars are short
    (a chord lasts CHORD_SECONDS or more), or two a bar when bars are long and the section is energetic.
    Counting restarts at each section, whose first downbeat always changes chord."""
    slots: list[Slot] = []
    bar_in_section, section_index = 0, -1
    for beat in timeline.beats:
        if beat.time > timeline.final_start + 1e-9:
            break
        section = timeline.sections[beat.section]
        if beat.section != section_index:
            bar_in_section, section_index = 0, beat.section
        bar_seconds = beat.duration * 4
        wanted = CHORD_SECONDS / (2 if section.energy >= TWO_CHORDS_PER_BAR_FROM else 1)
        if beat.position == 0:
            every = 2 if bar_seconds < wanted else 1
            if bar_in_section % every == 0:
                slots.append(Slot(beat.time, beat.section, beat.time == section.start))
            bar_in_section += 1
        elif beat.position == 2 and bar_seconds >= 2 * wanted and beat.time + beat.duration * 2 < timeline.final_start:
            slots.append(Slot(beat.time, beat.section, False))
    return slots


def harmonise(timeline: Timeline, key: Key, duration: float, rng: np.random.Generator) -> list[PlannedChord]:
    """Chords for every slot, written phrase by phrase in each section's key area: functional motion to a
    cadence at each phrase end (half cadences in antecedents, authentic or plagal in the phrases that
    answer them, often beginning like them, and at the end, by style), the style's colours, a chord change
    at every section start, and a bass line by inversion and pedal (roots at section starts and cadences)."""
    slots = chord_slots(timeline)
    if not slots:
        return []
    style = style_harmony(timeline.preset.name)
    areas = key_areas(timeline.sections, key)
    groups = _phrase_groups(timeline.phrases, slots)
    numerals: list[str] = [""] * len(slots)
    keys = [areas[slot.section] for slot in slots]
    fixed: list[int | None] = [None] * len(slots)
    antecedent: tuple[int, tuple[str, ...]] | None = None
    heard: list[HeardPhrase] = []
    for (phrase, indices), cadence in zip(groups, _cadences(groups, slots, style, key.mode, rng)):
        local = keys[indices[0]]
        emotion = timeline.sections[slots[indices[0]].section].emotion
        first = indices[0]
        previous_root = (_chord(numerals[first - 1], keys[first - 1]).root - local.tonic) % 12 if first else None
        if cadence == "authentic" and len(indices) == 2 and previous_root == 7 and indices[-1] < len(slots) - 1:
            cadence = "plagal"  # V | V7-I would hold the dominant across the phrase line: IV-I answers instead
        functions = phrase_functions(len(indices), cadence)
        if first == 0 and functions[0] == "Open":
            functions[0] = "T"  # the piece opens on its tonic
        section = slots[first].section
        bars = phrase.bars if phrase is not None else 0
        source = _restated_phrase(heard, local, bars, len(indices), cadence, final=indices[-1] == len(slots) - 1)
        if source is not None and _variety(numerals[:first], keys[:first]) >= VARIETY_BEFORE_RESTATING:
            repeated = heard[source].chords
            heard.append(HeardPhrase(local, bars, cadence, repeated, restates=source))
            _write_phrase(numerals, fixed, indices, repeated, local, cadence, slots)
            antecedent = (section, repeated) if cadence == "half" else None
            continue
        kept = _answer_opening(antecedent, section, len(indices), cadence, rng)
        if kept:  # a parallel period: the answer begins like the question, then closes
            previous_root = parse_numeral(kept[-1])[0]
            if previous_root in (5, 7):
                cadence = "authentic"  # IV-V-I or V-V7-I, not IV-IV-I
            functions = functions[:len(kept)] + (["D", "T"] if cadence == "authentic" else ["S", "T"])
        recent = frozenset((_chord(n, k).root - local.tonic) % 12
                           for n, k in list(zip(numerals, keys))[max(0, first - RECENT_CHORDS):first])
        written = kept + phrase_numerals(functions[len(kept):], local.mode, emotion, style, rng, previous_root, recent)
        for position in range(len(kept), len(indices)):
            final = indices[position] == len(slots) - 1
            if functions[position] != "D" and (style.colour_final or not final):
                closing = cadence in CLOSING and position >= len(indices) - 2
                written[position] = coloured(written[position], style, rng, keep_third=closing)
        antecedent = (section, tuple(written)) if cadence == "half" else None
        heard.append(HeardPhrase(local, bars, cadence, tuple(written),
                                 intro=phrase is not None and phrase.function == "intro"))
        _write_phrase(numerals, fixed, indices, tuple(written), local, cadence, slots)
        if style.pedal == "all" or (style.pedal == "intro" and phrase is not None and phrase.function == "intro"):
            _pedal(numerals, fixed, indices[:-2], local)
    _change_at_cuts(numerals, keys, fixed, slots, rng)
    ends = [s.start for s in slots[1:]] + [duration]
    basses = bass_line([_chord(numeral, local) for numeral, local in zip(numerals, keys)], fixed)
    return [chord_from_numeral(numeral, local, slot.start, end, bass)
            for numeral, local, slot, end, bass in zip(numerals, keys, slots, ends, basses)]


def _variety(numerals: Sequence[str], keys: Sequence[Key]) -> int:
    """Different chords heard so far (a numeral in another key area is another chord)."""
    return len({(numeral, key.tonic, key.mode) for numeral, key in zip(numerals, keys)})


def _chord(numeral: str, key: Key) -> PlannedChord:
    """The root-position chord of a numeral, for its tones (its times are placeholders)."""
    return chord_from_numeral(numeral, key, 0.0, 1.0)


def _phrase_groups(phrases: Sequence[Phrase], slots: Sequence[Slot]) -> list[tuple[Phrase | None, list[int]]]:
    """The slots of each phrase (by start time), phrases without a slot left out; one group when a plan has
    no phrases."""
    if not phrases:
        return [(None, list(range(len(slots))))]
    starts = [p.start for p in phrases]
    groups: dict[int, list[int]] = {}
    for index, slot in enumerate(slots):
        groups.setdefault(max(0, bisect.bisect_right(starts, slot.start + 1e-6) - 1), []).append(index)
    return [(phrases[p], indices) for p, indices in sorted(groups.items())]


def _cadences(groups: Sequence[tuple[Phrase | None, list[int]]], slots: Sequence[Slot], style: StyleHarmony,
              mode: Mode, rng: np.random.Generator) -> list[Cadence]:
    """Counted back from each section's end, phrases close (authentic or plagal, by the style's share) and
    the phrase before a closing one is its antecedent (half cadence); the final phrase takes the style's
    final cadence, and a one-chord final phrase is answered by the phrase before it whatever its section.
    So every half cadence is answered, and at least half the phrases close."""
    sections = [slots[indices[0]].section for _, indices in groups]
    closing = [True] * len(groups)
    for g in range(len(groups) - 2, -1, -1):
        answers = sections[g + 1] == sections[g] or (g + 1 == len(groups) - 1 and len(groups[g + 1][1]) == 1)
        closing[g] = not closing[g + 1] if answers else True
    cadences: list[Cadence] = [("authentic" if rng.random() < style.authentic_share else "plagal") if close else "half"
                               for close in closing]
    cadences[-1] = style.final[mode]
    if len(groups) >= 2 and len(groups[-1][1]) == 1 and cadences[-1] == "plagal":
        cadences[-2] = "subdominant"  # the one-chord ending answers IV-I, not V-I
    return cadences


@dataclass(frozen=True)
class HeardPhrase:
    """A phrase's harmony as written, for later phrases to restate."""

    key: Key
    """The key area it is written in."""
    bars: int
    """Its length in bars: a tune comes back only over a phrase as long (chords may change every other bar)."""
    cadence: Cadence
    chords: tuple[str, ...]
    restates: int | None = None
    """Index of the phrase whose chords it restates."""
    intro: bool = False
    """An intro has no tune over it to bring back."""

    def may_return_as(self, key: Key, bars: int, length: int, cadence: Cadence) -> bool:
        return (self.restates is None and not self.intro and len(self.chords) == length and self.bars == bars
                and (self.cadence in CLOSING) == (cadence in CLOSING) and self.key == key)


def _restated_phrase(heard: Sequence[HeardPhrase], key: Key, bars: int, length: int, cadence: Cadence,
                     final: bool) -> int | None:
    """Index of the phrase whose chords this one restates, or None. After a restatement, the phrase that
    followed its source (so a period of two phrases is heard twice); failing that, the nearest of the
    phrases two to RESTATE_BACK back. It must be in the same key area, as long (in bars and chords), closing as this one does or
    open as it is, and neither an intro nor a restatement nor restated already. So the harmony pairs into
    periods heard twice (A B A B C D C D), the tune over them comes back note for note, and no phrase is
    heard a third time."""
    if final or len(heard) < 2:
        return None
    restated = {phrase.restates for phrase in heard}
    last = heard[-1].restates
    if last is not None and last + 1 < len(heard) - 1 and last + 1 not in restated:
        if heard[last + 1].may_return_as(key, bars, length, cadence):
            return last + 1
    for index in range(len(heard) - 2, max(-1, len(heard) - 1 - RESTATE_BACK), -1):
        if index not in restated and heard[index].may_return_as(key, bars, length, cadence):
            return index
    return None


def _write_phrase(numerals: list[str], fixed: list[int | None], indices: Sequence[int], written: Sequence[str],
                  local: Key, cadence: Cadence, slots: Sequence[Slot]) -> None:
    """A phrase's numerals into the piece, with roots in the bass at its cadence, its end, cuts and the start."""
    for position, (index, numeral) in enumerate(zip(indices, written)):
        closing = cadence in CLOSING and position >= len(indices) - 2
        numerals[index] = numeral
        if closing or position == len(indices) - 1 or slots[index].at_section_start or index == 0:
            fixed[index] = _chord(numeral, local).root  # roots at cuts, on V-I and IV-I and a half cadence's V


def _answer_opening(antecedent: tuple[int, tuple[str, ...]] | None, section: int, length: int, cadence: Cadence,
                    rng: np.random.Generator) -> list[str]:
    """The chords a closing phrase of `length` takes from the half-cadence phrase it answers (all but its own
    last two), by PARALLEL_PERIOD's chance, in the same section; none when the last of them is a secondary
    dominant, which leads to the question's next chord, not the answer's."""
    if (cadence not in CLOSING or length < 3 or antecedent is None or antecedent[0] != section
            or len(antecedent[1]) < length - 2 or rng.random() >= PARALLEL_PERIOD):
        return []
    kept = list(antecedent[1][:length - 2])
    return [] if is_secondary_dominant(kept[-1]) else kept


def _pedal(numerals: list[str], fixed: list[int | None], body: Sequence[int], local: Key) -> None:
    """The tonic held in the bass under a phrase's chords before its cadence, where the chord holds the
    tonic (a passing V becomes Vsus4 to hold it); chords with a root of their own to keep are left."""
    for index in body:
        if fixed[index] is not None:
            continue
        if numerals[index] == "V":
            numerals[index] = "Vsus4"
        if local.tonic in _chord(numerals[index], local).pitch_classes:
            fixed[index] = local.tonic


def _change_at_cuts(numerals: list[str], keys: list[Key], fixed: list[int | None], slots: Sequence[Slot],
                    rng: np.random.Generator) -> None:
    """Every section start changes chord: one that would repeat the chord before the cut opens on another
    tonic-area or predominant chord of its key instead (the final chord is never touched)."""
    for index in range(1, len(slots) - 1):
        if not slots[index].at_section_start:
            continue
        local = keys[index]
        if not _same(_chord(numerals[index], local), _chord(numerals[index - 1], keys[index - 1])):
            continue
        neighbours = [_chord(numerals[index - 1], keys[index - 1]), _chord(numerals[index + 1], keys[index + 1])]
        options = [n for n in SECTION_OPENINGS[local.mode]
                   if not any(_same(_chord(n, local), other) for other in neighbours)]
        numerals[index] = options[int(rng.integers(len(options)))]
        fixed[index] = _chord(numerals[index], local).root


def _same(a: PlannedChord, b: PlannedChord) -> bool:
    return a.root == b.root and a.pitch_classes == b.pitch_classes
