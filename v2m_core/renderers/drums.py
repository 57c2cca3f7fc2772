"""Drum kit (General MIDI percussion): one groove per phrase, chosen from the phrase's energy and held while
the energy stays near (hysteresis), one stroke changed at the end of every second phrase; fills only into
structural section starts, crashes only on structural cuts and the ending, a splash over the groove for
strong passing cuts; the style's swing on off-beat strokes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.renderer import MusicRenderer
from v2m_core.music.grooves import SILENT, GroovePattern, groove_energy, groove_pattern, phrase_end, swung
from v2m_core.music.styles import DrumFeel, StylePreset
from v2m_core.music.timing import Bar, Grid, collect
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan

KICK, SIDE_STICK, SNARE, CLOSED_HAT, OPEN_HAT, CRASH, RIDE, SPLASH = 36, 37, 38, 42, 46, 49, 51, 55
TOMS = (50, 48, 47, 45)
"""High to low, so fills fall in pitch."""
HIT = 0.05
"""Seconds each drum note lasts: percussion ignores length; this short, sixteenths never overlap below 300 bpm."""
FASTEST_HAT = 0.14
"""Seconds between hi-hat strokes at least."""
HUMANISE = 6
"""Largest velocity change of a cymbal stroke."""
CYMBALS = (CLOSED_HAT, OPEN_HAT, RIDE, SPLASH)
FILL_SPACING = 4
"""Bars from one fill to the next at least: a fill marks a phrase start, not every bar."""


@dataclass(frozen=True)
class BarGroove:
    """What the kit plays in one bar; the bass reads it to lock to the kicks."""

    pattern: GroovePattern
    """The phrase's groove (one stroke changed on a varied phrase end); SILENT where the kit rests."""
    fill_from: float
    """Beat offset where a fill takes over from the groove; the bar's length when there is none."""
    energy: float
    """The phrase's energy."""
    hat_step: float
    """Beats between hi-hat strokes: the pattern's, doubled where a fast click would bring them too close."""

    @property
    def swing_step(self) -> float:
        """Beats of the subdivision the style's swing moves: the hi-hats', eighths at most."""
        return min(self.hat_step, 0.5)


class DrumsRenderer(MusicRenderer[PluginConfig]):
    name = "drums"
    role = "drums"
    version = "1.1.0"
    description = "GM drum grooves (straight, half-time, four-on-the-floor) held per phrase and varied at its " \
                  "end, swung by style; fills and crashes only for structural cuts."

    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        grid = Grid(plan)
        grooves = bar_grooves(grid)
        notes: list[Note | None] = []
        for bar in grid.body_bars:
            if not kit_plays(grid, bar):
                continue
            groove = grooves[bar.index]
            notes += _groove(grid, bar, groove)
            notes += _fill(grid, bar, groove.fill_from, rng)
            notes += _accents(grid, bar)
            if grid.starts_at_cut(bar):
                notes += crash(grid, bar.start)
        notes += ending(grid)
        return [MidiTrack(name="Drums", role=self.role, program=plan.instruments.get(self.role, 0), is_drum=True,
                          notes=_humanised(_one_per_key(collect(notes)), rng))]


def bar_grooves(grid: Grid) -> list[BarGroove]:
    """One per bar of the grid. Each phrase plays one groove, chosen at its energy held near the section's
    and the phrase before's (`groove_energy`). The second phrase of each pair from a section start ends
    with one stroke changed (`phrase_end`): a mark every 8 bars, left out when the section's last phrase
    follows, since that one leads into the next section with a fill (at most one in FILL_SPACING bars)."""
    style = grid.style
    grooves: list[BarGroove] = []
    anchor: float | None = None
    last_fill = -FILL_SPACING
    for phrases in _sections(grid):
        for number, bars in enumerate(phrases):
            energy = _phrase_energy(grid, bars)
            section = grid.section(bars[0])
            anchor = groove_energy(anchor, energy, section.energy)
            groove = groove_pattern(style.groove, _kit_feel(style, anchor), anchor, section.beats_per_bar)
            varied_end = number % 2 == 1 and number + 2 < len(phrases)
            for bar in bars:
                step = _hat_step(bar, groove.hat_step, style.swing)
                pattern, fill_from = SILENT, float(bar.length)
                if kit_plays(grid, bar):
                    pattern = groove
                    if bar.index - last_fill >= FILL_SPACING and wants_fill(grid, bar):
                        fill_from, last_fill = _fill_start(bar, energy), bar.index
                    elif varied_end and bar is bars[-1]:
                        pattern = phrase_end(groove, style.groove, bar.length, step)
                grooves.append(BarGroove(pattern, fill_from, energy, step))
    return grooves


def groove_time(grid: Grid, bar: Bar, groove: BarGroove, offset: float) -> float:
    """Seconds of a groove stroke at `offset`: off-beats of the swing's subdivision move by the style's swing;
    strokes on the beat never do."""
    return bar.time_at(swung(offset, groove.swing_step, grid.style.swing))


def _sections(grid: Grid) -> list[list[list[Bar]]]:
    """The grid's bars as sections of phrases (a plan without phrases: one phrase per section)."""
    sections: list[list[list[Bar]]] = []
    previous: tuple[int, int] | None = None
    for bar in grid.bars:
        phrase = grid.phrase(bar)
        key = (bar.section, phrase.first_bar if phrase is not None else -1)
        if previous is None or key[0] != previous[0]:
            sections.append([])
        if key != previous:
            sections[-1].append([])
        sections[-1][-1].append(bar)
        previous = key
    return sections


def _phrase_energy(grid: Grid, bars: list[Bar]) -> float:
    """Mean energy over the phrase's beats (the section's, for a plan without per-second energy)."""
    if not grid.plan.energy:
        return grid.section(bars[0]).energy
    return float(np.mean([grid.energy_at(beat.time) for bar in bars for beat in bar.beats]))


def _kit_feel(style: StylePreset, energy: float) -> DrumFeel:
    """The style's feel at `energy`; light where the form keeps the kit on a little below the threshold."""
    feel = style.drum_feel(energy)
    return "light" if feel == "none" else feel


def _hat_step(bar: Bar, step: float, swing: float) -> float:
    """The pattern's hi-hat step, doubled until swung strokes keep FASTEST_HAT apart under a fast click."""
    beat = min(b.duration for b in bar.beats)
    while step < 1.0 and 2 * step * (1 - swing) * beat < FASTEST_HAT:
        step *= 2
    return step


def _one_per_key(notes: list[Note]) -> list[Note]:
    """One stroke per drum key and instant (two passing cuts may be marked on one eighth): the louder."""
    kept: dict[tuple[int, float], Note] = {}
    for note in notes:
        slot = (note.pitch, round(note.start, 4))
        if slot not in kept or note.velocity > kept[slot].velocity:
            kept[slot] = note
    return sorted(kept.values(), key=lambda n: (n.start, n.pitch))


def _humanised(notes: list[Note], rng: np.random.Generator) -> list[Note]:
    """Cymbal velocities varied a little with the seed, as a drummer's hand does; kicks and snares that
    mark the grid stay as planned."""
    jitter = rng.integers(-HUMANISE, HUMANISE + 1, size=len(notes))
    return [n.model_copy(update={"velocity": int(np.clip(n.velocity + j, 1, 127))}) if n.pitch in CYMBALS else n
            for n, j in zip(notes, jitter)]


def _hit(grid: Grid, key: int, time: float, low: int, high: int) -> Note | None:
    return grid.note(key, time, time + HIT, grid.velocity(time, low, high))


def kit_plays(grid: Grid, bar: Bar) -> bool:
    """Whether the form has the kit in this bar's phrase (for a plan without phrases: whether the style
    lets it play at the section's energy)."""
    if grid.plan.phrases:
        return grid.plays("drums", bar)
    return grid.style.drum_feel(grid.section(bar).energy) != "none"


def wants_fill(grid: Grid, bar: Bar) -> bool:
    """A fill leads into a structural section start that the kit plays through."""
    following = bar.index + 1
    return grid.ends_before_cut(bar) and following < len(grid.bars) and kit_plays(grid, grid.bars[following])


def ending(grid: Grid) -> list[Note | None]:
    """The crash on the final chord when the kit is playing as the music ends."""
    body = grid.body_bars
    if body and kit_plays(grid, body[-1]):
        return crash(grid, grid.final_chord.start)
    return []


def crash(grid: Grid, time: float) -> list[Note | None]:
    """Crash with a kick: the strong mark of a structural cut, or the ending."""
    return [_hit(grid, CRASH, time, 70, 115), _hit(grid, KICK, time, 60, 110)]


def _accents(grid: Grid, bar: Bar) -> list[Note | None]:
    """A light mark for each strong passing cut on the grid: a splash on the nearest eighth, over the groove
    without changing it."""
    notes: list[Note | None] = []
    for hit in grid.light_hits(bar):
        time = min((bar.time_at(o) for o in bar.offsets(0.5)), key=lambda t: abs(t - hit.time))
        notes.append(_hit(grid, SPLASH, time, 55, 100))
    return notes


def _fill_start(bar: Bar, energy: float) -> float:
    """Beat offset where the fill into the next section starts: its last beat, or two when energetic."""
    beats = 2 if energy >= 0.6 and bar.length >= 3 else 1
    return float(bar.length - beats)


def _groove(grid: Grid, bar: Bar, groove: BarGroove) -> list[Note | None]:
    """The bar's groove up to the fill; the downbeat after a cut already has its kick (with the crash)."""
    pattern, until = groove.pattern, groove.fill_from
    snare, cymbal = (SIDE_STICK, RIDE) if pattern.rim else (SNARE, CLOSED_HAT)
    notes: list[Note | None] = []
    for offset in pattern.kicks:
        if offset < until and not (offset == 0.0 and grid.starts_at_cut(bar)):
            notes.append(_hit(grid, KICK, groove_time(grid, bar, groove, offset), 55, 110))
    for offset in pattern.snares:
        if offset < until:
            notes.append(_hit(grid, snare, groove_time(grid, bar, groove, offset), 50, 110))
    for offset in bar.offsets(groove.hat_step):
        if offset < until:
            accent = 15 if offset == int(offset) else 0
            key = OPEN_HAT if offset in pattern.open_hats else cymbal
            notes.append(_hit(grid, key, groove_time(grid, bar, groove, offset), 30 + accent, 80 + accent))
    return notes


def _fill(grid: Grid, bar: Bar, start: float, rng: np.random.Generator) -> list[Note | None]:
    """Sixteenths from snare down the toms over the bar's last beat(s), leading into the cut."""
    count = int(round((bar.length - start) * 4))
    notes: list[Note | None] = []
    for i in range(count):
        offset = start + i * 0.25
        key = SNARE if i < count // 3 else TOMS[min(len(TOMS) - 1, (i * len(TOMS)) // max(count, 1))]
        if i % 4 == 3 and rng.random() < 0.3:
            continue
        notes.append(_hit(grid, key, bar.time_at(offset), 60 + 4 * i, 100 + 2 * i))
    return notes
