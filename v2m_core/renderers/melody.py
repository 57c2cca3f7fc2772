"""Melody: a seeded motif repeated and varied in 2- or 4-bar phrases, chord tones on strong beats,
passing tones between, a rest at each phrase end, and the tonic over the final chord."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from v2m_core.interfaces.renderer import MusicRenderer
from v2m_core.music.theory import chord_scale, nearest_pitch
from v2m_core.renderers.timing import Bar, Grid, collect
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan

LOW, HIGH = 60, 84
"""Range C4..C6."""
STRONG_OFFSETS = (0.0, 2.0)
"""Beat positions that carry chord tones (downbeat and mid-bar in 4/4)."""
FASTEST_NOTE = 0.22
"""Seconds: the motif's shortest note value."""
PHRASE_END_OFFSET = 2.0
"""Phrase-final bars stop after this beat, leaving a rest before the next phrase."""


@dataclass(frozen=True)
class Motif:
    """Two bars of onsets (beat offsets) and the scale steps taken between successive notes."""

    rhythm: tuple[tuple[float, ...], tuple[float, ...]]
    steps: tuple[int, ...]

    def varied(self, rng: np.random.Generator) -> "Motif":
        """Same rhythm with the contour inverted or rotated, so repeats are recognisable but not literal."""
        if rng.random() < 0.5:
            return Motif(self.rhythm, tuple(-s for s in self.steps))
        return Motif(self.rhythm, self.steps[1:] + self.steps[:1])


class MelodyRenderer(MusicRenderer):
    name = "melody"
    role = "melody"
    version = "1.0.0"
    description = "Motif-based melody: chord tones on strong beats, passing tones between, phrases with rests."

    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        grid = Grid(plan)
        notes: list[Note | None] = []
        pitch = 67
        for section_index, bars in _by_section(grid.playing_bars(self.role)):
            energy = plan.sections[section_index].energy * grid.style.melody_density
            motif = make_motif(rng, energy, bars[0].beats[0].duration)
            phrase = 4 if energy < 0.5 else 2
            for first in range(0, len(bars), phrase):
                shape = motif if (first // phrase) % 2 == 0 else motif.varied(rng)
                new_notes, pitch = _phrase(grid, bars[first:first + phrase], shape, pitch, rng)
                notes += new_notes
        notes.append(final_tonic(grid, pitch))
        return [MidiTrack(name="Melody", role=self.role, program=plan.instruments.get(self.role, 73),
                          notes=collect(notes))]


def final_tonic(grid: Grid, pitch: int) -> Note | None:
    """The final chord's root nearest `pitch`, held to the end: every melody renderer ends on it."""
    final = grid.final_chord
    tonic = nearest_pitch(final.root, pitch, LOW, HIGH)
    return grid.note(tonic, final.start, grid.duration, grid.velocity(final.start, 55, 90))


def _by_section(bars: list[Bar]) -> list[tuple[int, list[Bar]]]:
    """Consecutive bars grouped by section, in order."""
    groups: list[tuple[int, list[Bar]]] = []
    for bar in bars:
        if not groups or groups[-1][0] != bar.section:
            groups.append((bar.section, []))
        groups[-1][1].append(bar)
    return groups


def make_motif(rng: np.random.Generator, density: float, beat: float) -> Motif:
    """Random onsets whose count grows with `density`; the downbeat of the first bar always sounds.
    Eighths only when a beat lasts `FASTEST_NOTE` x 2 seconds or more (not under a double-time click)."""
    step = 0.5 if density >= 0.3 and beat / 2 >= FASTEST_NOTE else 1.0
    chance = min(0.85, 0.15 + 0.65 * density)
    bars = []
    for bar in range(2):
        offsets = [i * step for i in range(int(4 / step))]
        chosen = tuple(o for o in offsets if (bar == 0 and o == 0.0) or rng.random() < chance)
        bars.append(chosen or (0.0,))
    steps = tuple(int(s) for s in rng.choice([-2, -1, -1, 1, 1, 2, 3, -3], size=4))
    return Motif((bars[0], bars[1]), steps)


def _phrase(grid: Grid, bars: list[Bar], motif: Motif, pitch: int,
            rng: np.random.Generator) -> tuple[list[Note | None], int]:
    """Notes of one phrase; its last bar ends after beat 2 so the phrase breathes."""
    onsets: list[tuple[float, bool]] = []
    for i, bar in enumerate(bars):
        last = i == len(bars) - 1
        for offset in motif.rhythm[i % 2]:
            if offset < bar.length and not (last and offset > PHRASE_END_OFFSET):
                onsets.append((bar.time_at(offset), offset in STRONG_OFFSETS))
    tail = bars[-1]
    phrase_end = tail.time_at(min(PHRASE_END_OFFSET + 1.0, tail.length - 0.5)) if tail.length > 1 else tail.end
    notes: list[Note | None] = []
    for k, (start, strong) in enumerate(onsets):
        end = onsets[k + 1][0] if k + 1 < len(onsets) else max(phrase_end, start + 0.1)
        chord = grid.chord_at(start)
        step = motif.steps[k % len(motif.steps)]
        if not LOW + 3 <= pitch + 2 * step <= HIGH - 3:
            step = -step
        target = _scale_step(pitch, step, chord_scale(chord, grid.plan.key))
        pool = chord.pitch_classes if strong else chord_scale(chord, grid.plan.key)
        pitch = min((nearest_pitch(pc, target, LOW, HIGH) for pc in pool), key=lambda p: (abs(p - target), p))
        accent = 10 if strong else 0
        notes.append(grid.note(pitch, start, start + (end - start) * 0.92,
                               grid.velocity(start, 60 + accent, 100 + accent) - int(rng.integers(4))))
    return notes, pitch


def _scale_step(pitch: int, steps: int, scale: list[int]) -> int:
    """The pitch `steps` scale degrees away from `pitch` (which snaps to the scale first)."""
    ladder = [p for p in range(LOW - 12, HIGH + 13) if p % 12 in scale]
    index = min(range(len(ladder)), key=lambda i: abs(ladder[i] - pitch))
    return ladder[min(max(index + steps, 0), len(ladder) - 1)]
