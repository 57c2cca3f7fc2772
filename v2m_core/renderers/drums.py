"""Drum kit (General MIDI percussion): grooves by style and energy, fills into cuts, crashes on them."""

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


class DrumsRenderer(MusicRenderer):
    name = "drums"
    role = "drums"
    version = "1.0.0"
    description = "GM drum grooves (straight, half-time, four-on-the-floor) with fills before and crashes on cuts."

    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        grid = Grid(plan)
        notes: list[Note | None] = []
        for bar in grid.body_bars:
            playing = kit_plays(grid, bar)
            fill_from = _fill_start(grid, bar) if playing else float(bar.length)
            if playing:
                notes += _groove(grid, bar, fill_from)
                notes += _fill(grid, bar, fill_from, rng)
            if grid.starts_at_cut(bar):
                notes += crash(grid, bar.start, playing)
        notes += ending(grid)
        return [MidiTrack(name="Drums", role=self.role, program=plan.instruments.get(self.role, 0), is_drum=True,
                          notes=collect(notes))]


def _hit(grid: Grid, key: int, time: float, low: int, high: int) -> Note | None:
    return grid.note(key, time, time + HIT, grid.velocity(time, low, high))


def kit_plays(grid: Grid, bar: Bar) -> bool:
    """Whether the style lets the kit play at this bar's energy (calm ambient or cinematic stay silent)."""
    return grid.style.drum_feel(grid.section(bar).energy) != "none"


def ending(grid: Grid) -> list[Note | None]:
    """The crash on the final chord: with the kit when it plays at the end, softly when the end is a cut."""
    final = grid.final_chord
    plays = grid.style.drum_feel(grid.plan.sections[-1].energy) != "none"
    if plays or any(abs(final.start - cut) < 1e-6 for cut in grid.plan.cuts):
        return crash(grid, final.start, plays)
    return []


def crash(grid: Grid, time: float, with_kit: bool) -> list[Note | None]:
    """Crash (with a kick when the kit plays) marking a cut or the ending; soft over a silent kit."""
    return [_hit(grid, CRASH, time, 70 if with_kit else 35, 115), _hit(grid, KICK, time, 60, 110) if with_kit else None]


def _fill_start(grid: Grid, bar: Bar) -> float:
    """Beat offset where the fill into the next cut starts (the bar's length when there is none)."""
    if not grid.ends_before_cut(bar):
        return float(bar.length)
    beats = 2 if grid.section(bar).energy >= 0.6 and bar.length >= 3 else 1
    return float(bar.length - beats)


def _groove(grid: Grid, bar: Bar, until: float) -> list[Note | None]:
    """The section's groove up to beat offset `until`; the downbeat after a cut already has its kick."""
    section = grid.section(bar)
    feel = grid.style.drum_feel(section.energy)
    pattern = groove_pattern(grid.style.groove, feel, section.energy, section.beats_per_bar)
    notes: list[Note | None] = []
    for offset in pattern.kicks:
        if offset < until and not (offset == 0.0 and grid.starts_at_cut(bar)):
            notes.append(_hit(grid, KICK, bar.time_at(offset), 55, 110))
    for offset in pattern.snares:
        if offset < until:
            notes.append(_hit(grid, SIDE_STICK if pattern.rim else SNARE, bar.time_at(offset), 50, 110))
    cymbal = RIDE if pattern.rim else CLOSED_HAT
    for offset in bar.offsets(pattern.hat_step):
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
