"""Drum kit (General MIDI percussion): grooves held through phrases, crashes and fills only for structural
cuts, light accents for strong passing cuts on the grid."""

from __future__ import annotations

import numpy as np

from v2m_core.interfaces.renderer import MusicRenderer
from v2m_core.music.grooves import groove_pattern
from v2m_core.renderers.timing import Bar, Grid, collect
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan

KICK, SIDE_STICK, SNARE, CLOSED_HAT, OPEN_HAT, CRASH, RIDE = 36, 37, 38, 42, 46, 49, 51
TOMS = (50, 48, 47, 45)
"""High to low, so fills fall in pitch."""
HIT = 0.05
"""Seconds each drum note lasts: percussion ignores length; this short, sixteenths never overlap below 300 bpm."""
FASTEST_HAT = 0.14
"""Seconds between hi-hat strokes at least."""
HUMANISE = 6
"""Largest velocity change of a cymbal stroke."""
CYMBALS = (42, 46, 51)
FILL_SPACING = 4
"""Bars from one fill to the next at least: a fill marks a phrase start, not every bar."""


class DrumsRenderer(MusicRenderer):
    name = "drums"
    role = "drums"
    version = "1.0.0"
    description = "GM drum grooves (straight, half-time, four-on-the-floor) held per phrase; fills and crashes only " \
                  "for structural cuts."

    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        grid = Grid(plan)
        notes: list[Note | None] = []
        last_fill = -FILL_SPACING
        for bar in grid.body_bars:
            if not kit_plays(grid, bar):
                continue
            fill_from = float(bar.length)
            if bar.index - last_fill >= FILL_SPACING and wants_fill(grid, bar):
                fill_from, last_fill = _fill_start(grid, bar), bar.index
            notes += _groove(grid, bar, fill_from)
            notes += _fill(grid, bar, fill_from, rng)
            notes += _accents(grid, bar)
            if grid.starts_at_cut(bar):
                notes += crash(grid, bar.start)
        notes += ending(grid)
        return [MidiTrack(name="Drums", role=self.role, program=plan.instruments.get(self.role, 0), is_drum=True,
                          notes=_humanised(_one_per_key(collect(notes)), rng))]


def _one_per_key(notes: list[Note]) -> list[Note]:
    """One stroke per drum key and instant (a mark may fall where the groove already strikes): the louder."""
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
    """A light mark for each strong passing cut on the grid: an open hi-hat over a kick, on the nearest eighth."""
    notes: list[Note | None] = []
    for hit in grid.light_hits(bar):
        offset = min((o for o in bar.offsets(0.5)), key=lambda o: abs(bar.time_at(o) - hit.time))
        time = bar.time_at(offset)
        notes += [_hit(grid, OPEN_HAT, time, 55, 100), _hit(grid, KICK, time, 50, 95)]
    return notes


def _fill_start(grid: Grid, bar: Bar) -> float:
    """Beat offset where the fill into the next section starts: its last beat, or two when energetic."""
    beats = 2 if grid.section(bar).energy >= 0.6 and bar.length >= 3 else 1
    return float(bar.length - beats)


def _groove(grid: Grid, bar: Bar, until: float) -> list[Note | None]:
    """The section's groove up to beat offset `until`; the downbeat after a cut already has its kick."""
    section = grid.section(bar)
    feel = grid.style.drum_feel(section.energy)
    feel = "light" if feel == "none" else feel  # the form keeps the kit on a little below the style's threshold
    pattern = groove_pattern(grid.style.groove, feel, section.energy, section.beats_per_bar)
    notes: list[Note | None] = []
    for offset in pattern.kicks:
        if offset < until and not (offset == 0.0 and grid.starts_at_cut(bar)):
            notes.append(_hit(grid, KICK, bar.time_at(offset), 55, 110))
    for offset in pattern.snares:
        if offset < until:
            notes.append(_hit(grid, SIDE_STICK if pattern.rim else SNARE, bar.time_at(offset), 50, 110))
    cymbal = RIDE if pattern.rim else CLOSED_HAT
    step = pattern.hat_step
    while step * bar.beats[0].duration < FASTEST_HAT and step < 1.0:  # a double-time click keeps the feel's hats
        step *= 2
    for offset in bar.offsets(step):
        if offset < until:
            accent = 15 if offset == int(offset) else 0
            key = OPEN_HAT if offset in pattern.open_hats else cymbal
            notes.append(_hit(grid, key, bar.time_at(offset), 30 + accent, 80 + accent))
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
