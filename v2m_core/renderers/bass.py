"""Bass line locked to the kit: the chord's bass on every downbeat and chord change, root or fifth on the
bar's kicks, a chromatic approach into chord changes at high energy. Legato, each note lasting until the
next; it rests on purpose under a drum fill into a section start, and holds long notes where the kit rests."""

from __future__ import annotations

import numpy as np

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.renderer import MusicRenderer
from v2m_core.music.theory import nearest_pitch
from v2m_core.renderers.drums import BarGroove, bar_grooves, groove_time
from v2m_core.music.timing import EPS, Bar, Grid, collect
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan

LOW, HIGH = 31, 55
"""Register (G1..G3)."""
HOME = 40
"""E2: the line leans back towards it so it does not drift to the register's edge."""
APPROACH_FROM = 0.6
"""Phrase energy from which the bass walks into chord changes."""


class BassRenderer(MusicRenderer[PluginConfig]):
    name = "bass"
    role = "bass"
    version = "1.1.0"
    description = "Legato bass locked to the kick: chord bass on downbeats, root/fifth/approach notes on the kicks."

    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        grid = Grid(plan)
        grooves = bar_grooves(grid)
        final = grid.final_chord
        notes: list[Note | None] = []
        pitch = HOME
        for bar in grid.playing_bars(self.role):
            for start, end, pc, accent in _events(grid, bar, grooves[bar.index], rng):
                pitch = nearest_pitch(pc, 0.7 * pitch + 0.3 * HOME, LOW, HIGH)
                notes.append(grid.note(pitch, start, end, grid.velocity(start, 55 + accent, 95 + accent)))
        last = nearest_pitch(final.bass, pitch, LOW, HIGH)
        notes.append(grid.note(last, final.start, plan.duration, grid.velocity(final.start, 60, 90)))
        program = plan.instruments.get(self.role, 33)
        return [MidiTrack(name="Bass", role=self.role, program=program, notes=collect(notes))]


def _events(grid: Grid, bar: Bar, groove: BarGroove,
            rng: np.random.Generator) -> list[tuple[float, float, int, int]]:
    """(start, end, pitch class, accent) for one bar: each note lasts until the next, the last until the
    bar ends or the fill into the next section starts (the bass rests under it unless a chord changes there)."""
    changes = [grid.plan.chords[i].start for i in grid.chord_indices(bar.start, bar.end)
               if grid.plan.chords[i].start >= bar.start - EPS]
    until = groove.fill_from
    times = set(changes) | {bar.start} | {groove_time(grid, bar, groove, k) for k in groove.pattern.kicks if k < until}
    if groove.energy >= APPROACH_FROM and 2 <= bar.length and bar.length - 0.5 < until:
        times.add(groove_time(grid, bar, groove, bar.length - 0.5))
    silent_from = bar.time_at(until) if until < bar.length else bar.end
    if any(change >= silent_from - EPS for change in changes):
        silent_from = bar.end
    ordered = _dedupe(sorted(times))
    events: list[tuple[float, float, int, int]] = []
    for start, end in zip(ordered, [*ordered[1:], silent_from]):
        chord = grid.chord_at(start)
        following = grid.chord_at(bar.end) if end >= bar.end - EPS else chord
        if any(abs(start - c) < EPS for c in changes) or abs(start - bar.start) < EPS:
            pc, accent = chord.bass, 10  # the chord's bass on every chord change and every downbeat
        elif following.start != chord.start and groove.energy >= APPROACH_FROM:
            pc, accent = (following.bass + (1 if rng.random() < 0.5 else -1)) % 12, 0
        else:
            fifth = chord.pitch_classes[2] if len(chord.pitch_classes) >= 3 else chord.root
            pc, accent = (fifth if rng.random() < 0.35 else chord.root), 0
        events.append((start, end, pc, accent))
    return events


def _dedupe(times: list[float]) -> list[float]:
    """Times with near-duplicates (from float offsets) removed."""
    kept: list[float] = []
    for t in times:
        if not kept or t - kept[-1] > 1e-4:
            kept.append(t)
    return kept
