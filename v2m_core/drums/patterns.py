"""Bar-level drum patterns: sixteenth grids of velocities, each bar with its conditions.

Two sources fill them. MIDI files (`read_collection`) have no video, so a bar's energy is derived
from itself: hits per beat times mean velocity, ranked over the whole collection (0 quietest/sparsest
.. 1 loudest/busiest); arousal equals that energy, and the emotion is unknown. A bar "starts at a
cut" when it opens with a crash, and "ends before a cut" when the next one does: drummers mark
section changes that way, which is what a video cut becomes. Dataset soundtracks
(`v2m_core.drums.soundtrack`) bring the video's own energy, arousal, emotion and cuts instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np
import pretty_midi

from v2m_core.drums.kit import CLASSES, class_of, index
from v2m_core.executors import local_executor
from v2m_core.music.midi_collection import STEPS_PER_BEAT, downbeat_indices, rank01, read_songs, sixteenth_grid
from v2m_core.schemas.analysis import EMOTIONS

CONDITIONS = ("energy", "arousal", "ends_before_cut", "starts_at_cut", "emotion_known",
              *(f"emotion_{name}" for name in EMOTIONS))
"""Per-bar inputs of the model. `emotion_known` is 0 for MIDI bars, whose emotion columns are 0."""


@dataclass
class BarPattern:
    velocities: np.ndarray
    """(steps, classes) velocities 0..1; 0 is no hit."""
    conditions: np.ndarray
    """One value per CONDITIONS name."""
    observed: np.ndarray = field(default_factory=lambda: np.ones(len(CLASSES), dtype=bool))
    """Classes whose hits and rests the source can tell; training ignores the others (a transcriber
    that cannot hear toms says nothing about them)."""


def bar_conditions(energy: float, arousal: float, ends_before_cut: bool, starts_at_cut: bool,
                   emotion: Sequence[float] | None = None) -> np.ndarray:
    """The CONDITIONS vector; `emotion` is probabilities over EMOTIONS, or None when unknown."""
    known = emotion is not None
    probabilities = np.asarray(emotion, dtype=float) if known else np.zeros(len(EMOTIONS))
    return np.array([energy, arousal, float(ends_before_cut), float(starts_at_cut), float(known), *probabilities])


def beat_grid_bars(hits: Sequence[tuple[float, int, float]], beats: np.ndarray, downbeats: Sequence[int]) -> list[np.ndarray]:
    """Quantise (time, class, velocity 0..1) hits to sixteenths of a beat grid and cut it into bars.

    `downbeats` are indices into `beats`; a hit further than half a sixteenth from every step is
    dropped, and two hits of one class on one step keep the louder.
    """
    if len(beats) < 2:
        return []
    steps, tolerance = sixteenth_grid(beats)
    grid = np.zeros((len(steps), len(CLASSES)), dtype=np.float32)  # float32: a Lakh-sized collection is millions of bars
    for time, kind, velocity in hits:
        step = int(np.argmin(np.abs(steps - time)))
        if abs(steps[step] - time) <= tolerance[step]:
            grid[step, kind] = max(grid[step, kind], velocity)
    bounds = [*(sorted(set(downbeats)) or [0]), len(beats)]
    return [grid[a * STEPS_PER_BEAT:b * STEPS_PER_BEAT] for a, b in pairwise(bounds) if b > a]


def read_drum_bars(path: Path) -> list[BarPattern]:
    """The bars of every drum track of one MIDI file, quantised to the file's own beat grid."""
    midi = pretty_midi.PrettyMIDI(str(path))
    hits = [(note.start, kind, note.velocity / 127) for instrument in midi.instruments if instrument.is_drum
            for note in instrument.notes if (kind := class_of(note.pitch)) is not None]
    beats = midi.get_beats()
    if not hits:
        return []
    bars = beat_grid_bars(hits, beats, downbeat_indices(midi, beats))
    crash = index("crash")
    return [BarPattern(bar, bar_conditions(0.0, 0.0, i + 1 < len(bars) and bars[i + 1][0, crash] > 0, bar[0, crash] > 0))
            for i, bar in enumerate(bars)]


def read_collection(folder: Path, progress: Callable[[str, float], None] | None = None,
                    workers: int = 1) -> list[list[BarPattern]]:
    """Every MIDI file under `folder` with drums, as bar sequences with ranked energy filled in."""
    songs = read_songs(folder, read_drum_bars, "a drum track", local_executor(workers), progress)
    flat = [bar for bars in songs for bar in bars]
    for bar, energy in zip(flat, rank01([_loudness_density(bar) for bar in flat])):
        bar.conditions[0] = bar.conditions[1] = energy
    return songs


def _loudness_density(bar: BarPattern) -> float:
    hits = bar.velocities[bar.velocities > 0]
    beats = max(1, len(bar.velocities) // STEPS_PER_BEAT)
    return float(len(hits) / beats * hits.mean()) if hits.size else 0.0
