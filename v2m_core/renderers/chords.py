"""Chord accompaniment: smoothly led voicings held, comped or arpeggiated by section energy.

Four-note chords (7ths, add9) may take a drop-2 voicing, and voicings whose neighbouring voices rub a
semitone apart (the 7th under the root of a maj7, the 9th under the minor third) are avoided, so the
planner's colours sound open rather than clustered."""

from __future__ import annotations

import numpy as np

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.renderer import MusicRenderer
from v2m_core.music.theory import voice_lead
from v2m_core.music.timing import Bar, Grid, collect
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan

LOW, HIGH = 50, 74
"""Register of the voicings (D3..D5)."""
FASTEST_NOTE = 0.22
"""Seconds: the arpeggio's shortest note value."""
COMP_RHYTHMS: tuple[tuple[tuple[float, float], ...], ...] = (
    ((0.0, 1.0), (1.5, 0.5), (2.0, 1.0), (3.5, 0.5)),
    ((0.0, 1.5), (1.5, 0.5), (2.0, 1.5), (3.5, 0.5)),
    ((0.0, 0.5), (1.0, 0.5), (2.0, 0.5), (2.5, 0.5), (3.0, 0.5)),
)
"""(offset, length) in beats; every rhythm hits beats 0 and 2, where chords change."""


class ChordsRenderer(MusicRenderer[PluginConfig]):
    name = "chords"
    role = "chords"
    version = "1.0.0"
    description = "Voice-led chords: pads when calm, comping in between, arpeggios when intense."

    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        grid = Grid(plan)
        voicings: list[tuple[int, ...]] = []
        for chord in plan.chords:
            voicings.append(voice_lead(chord.pitch_classes, voicings[-1] if voicings else None, LOW, HIGH, spread=True))
        final = grid.final_chord
        notes: list[Note | None] = []
        comp = COMP_RHYTHMS[int(rng.integers(len(COMP_RHYTHMS)))]
        for bar in grid.playing_bars(self.role):
            pattern = grid.style.chord_pattern(grid.section(bar).energy)
            if pattern == "pad":
                notes += _pad(grid, bar, voicings)
            elif pattern == "comp":
                notes += _hits(grid, bar, voicings, comp)
            else:
                notes += _arpeggio(grid, bar, voicings)
        velocity = grid.velocity(final.start, 50, 80)
        notes += [grid.note(p, final.start, plan.duration, velocity) for p in voicings[-1]]
        program = plan.instruments.get(self.role, 0)
        return [MidiTrack(name="Chords", role=self.role, program=program, notes=collect(notes))]


def _pad(grid: Grid, bar: Bar, voicings: list[tuple[int, ...]]) -> list[Note | None]:
    """Each chord of the bar held from its start (or the downbeat) to its end (or the bar end)."""
    notes: list[Note | None] = []
    for index in grid.chord_indices(bar.start, bar.end):
        chord = grid.plan.chords[index]
        start, end = max(chord.start, bar.start), min(chord.end, bar.end)
        notes += [grid.note(p, start, end, grid.velocity(start, 40, 78)) for p in voicings[index]]
    return notes


def _hits(grid: Grid, bar: Bar, voicings: list[tuple[int, ...]],
          rhythm: tuple[tuple[float, float], ...]) -> list[Note | None]:
    """Comping: the voicing struck on the rhythm's offsets, cut at chord changes."""
    notes: list[Note | None] = []
    for offset, length in rhythm:
        if offset >= bar.length:
            continue
        start = bar.time_at(offset)
        index = grid.chord_index(start)
        end = bar.time_at(offset + length) if offset + length < bar.length else bar.end
        end = min(end, grid.plan.chords[index].end)
        accent = 12 if offset in (0.0, 2.0) else 0
        notes += [grid.note(p, start, end, grid.velocity(start, 45 + accent, 85 + accent)) for p in voicings[index]]
    return notes


def _arpeggio(grid: Grid, bar: Bar, voicings: list[tuple[int, ...]]) -> list[Note | None]:
    """Notes up and down the voicing plus its top octave, restarting at each chord: eighths, or quarters
    under a fast (double-time) click, so the arpeggio keeps the style's pulse."""
    notes: list[Note | None] = []
    last_index, step = -1, 0
    value = 0.5 if bar.beats[0].duration / 2 >= FASTEST_NOTE else 1.0
    for offset in bar.offsets(value):
        start = bar.time_at(offset)
        index = grid.chord_index(start)
        step = step + 1 if index == last_index else 0
        last_index = index
        voicing = voicings[index]
        tones = [*voicing, voicing[0] + 12]
        cycle = tones + tones[-2:0:-1]
        end = min(start + bar.beats[int(offset)].duration * value, grid.plan.chords[index].end, bar.end)
        notes.append(grid.note(cycle[step % len(cycle)], start, end, grid.velocity(start, 45, 88)))
    return notes
