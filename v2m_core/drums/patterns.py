"""Bar-level drum patterns from MIDI files: sixteenth grids of velocities plus each bar's conditions.

MIDI-only data has no video, so a bar's energy is derived from itself: hits per beat times mean
velocity, ranked over the whole collection (0 quietest/sparsest .. 1 loudest/busiest). Arousal,
which comes from the emotion at render time, equals that energy here. A bar "starts at a cut"
when it opens with a crash, and "ends before a cut" when the next one does: drummers mark section
changes that way, which is what a video cut becomes.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import pretty_midi
from scipy.stats import rankdata

from v2m_core.drums.kit import CLASSES, STEPS_PER_BEAT, class_of, index
from v2m_core.errors import UsageError

CONDITIONS = ("energy", "arousal", "ends_before_cut", "starts_at_cut")


@dataclass
class BarPattern:
    velocities: np.ndarray
    """(steps, classes) velocities 0..1; 0 is no hit."""
    conditions: np.ndarray
    """One value per CONDITIONS name."""


def read_drum_bars(path: Path) -> list[BarPattern]:
    """The bars of every drum track of one MIDI file, quantised to the file's own beat grid."""
    midi = pretty_midi.PrettyMIDI(str(path))
    drums = [n for instrument in midi.instruments if instrument.is_drum for n in instrument.notes]
    beats = midi.get_beats()
    if not drums or len(beats) < 2:
        return []
    downbeats = set(np.round(midi.get_downbeats(), 6))
    spacing = np.diff(np.append(beats, beats[-1] + (beats[-1] - beats[-2])))
    steps = np.concatenate([beat + np.arange(STEPS_PER_BEAT) * length / STEPS_PER_BEAT
                            for beat, length in zip(beats, spacing)])
    grid = np.zeros((len(steps), len(CLASSES)))
    for note in drums:
        kind = class_of(note.pitch)
        step = int(np.argmin(np.abs(steps - note.start)))
        if kind is not None and abs(steps[step] - note.start) <= spacing[step // STEPS_PER_BEAT] / STEPS_PER_BEAT / 2:
            grid[step, kind] = max(grid[step, kind], note.velocity / 127)
    starts = [i for i, beat in enumerate(beats) if round(beat, 6) in downbeats] or [0]
    bounds = [*starts, len(beats)]
    bars = [grid[a * STEPS_PER_BEAT:b * STEPS_PER_BEAT] for a, b in pairwise(bounds) if b > a]
    crash = index("crash")
    return [BarPattern(bar, np.array([0.0, 0.0, float(i + 1 < len(bars) and bars[i + 1][0, crash] > 0),
                                      float(bar[0, crash] > 0)]))
            for i, bar in enumerate(bars)]


def read_collection(folder: Path) -> list[list[BarPattern]]:
    """Every MIDI file under `folder` with drums, as bar sequences with ranked energy filled in."""
    files = sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in (".mid", ".midi"))
    if not files:
        raise UsageError(f"{folder}: no .mid or .midi files found")
    songs = []
    for path in files:
        try:
            bars = read_drum_bars(path)
        except Exception:  # noqa: BLE001, S112 - a damaged file in a big collection is skipped, as Lakh needs
            continue
        if len(bars) >= 2:
            songs.append(bars)
    if not songs:
        raise UsageError(f"{folder}: none of {len(files)} MIDI files has a drum track of two bars or more")
    raw = np.array([_loudness_density(bar) for bars in songs for bar in bars])
    ranks = (rankdata(raw) - 1) / max(1, len(raw) - 1)
    flat = [bar for bars in songs for bar in bars]
    for bar, energy in zip(flat, ranks):
        bar.conditions[0] = bar.conditions[1] = energy
    return songs


def _loudness_density(bar: BarPattern) -> float:
    hits = bar.velocities[bar.velocities > 0]
    beats = max(1, len(bar.velocities) // STEPS_PER_BEAT)
    return float(len(hits) / beats * hits.mean()) if hits.size else 0.0
