"""A generated drum collection with a known energy relation, for tests and the benchmark.

Four-bar sections at low, mid or high energy: busier kicks, finer hi-hats (quarters, eighths,
sixteenths) and harder hits as energy rises; the last bar of each section ends in a tom fill and
the next section opens with a crash.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pretty_midi

from v2m_core.atomic import atomic_path

LEVELS: dict[str, tuple[tuple[int, ...], tuple[int, ...], int, int]] = {
    "low": ((0,), (8,), 4, 45),
    "mid": ((0, 8), (4, 12), 2, 75),
    "high": ((0, 6, 8, 10), (4, 12), 1, 105),
}
"""Per level: kick steps, snare steps, hi-hat step, base velocity (sixteenth steps in a 4/4 bar)."""
FILL = (38, 38, 50, 50, 47, 47, 43, 43)
"""Snare then toms falling in pitch over the bar's last two beats."""


def bar_notes(level: str, fill: bool, crash: bool, rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """(step, key, velocity) of one bar."""
    kicks, snares, hat, base = LEVELS[level]
    fill_from = 16 - len(FILL) if fill else 16
    notes = [(s, 36, base) for s in kicks if s < fill_from] + [(s, 38, base) for s in snares if s < fill_from]
    notes += [(s, 42, base - 15) for s in range(0, fill_from, hat)]
    notes += [(fill_from + i, key, min(127, base + 2 * i)) for i, key in enumerate(FILL)] if fill else []
    notes += [(0, 49, base + 10)] if crash else []
    return [(step, key, int(np.clip(velocity + rng.integers(-6, 7), 1, 127))) for step, key, velocity in notes]


def write_drum_part(path: Path, levels: list[str], tempo: float, rng: np.random.Generator) -> Path:
    """One MIDI file of four-bar sections at `levels`, with fills into and crashes on section changes."""
    sixteenth = 60.0 / tempo / 4
    midi = pretty_midi.PrettyMIDI(initial_tempo=tempo)
    kit = pretty_midi.Instrument(program=0, is_drum=True, name="Drums")
    for section, level in enumerate(levels):
        for bar in range(4):
            start = (section * 4 + bar) * 16
            last = bar == 3 and section + 1 < len(levels)
            for step, key, velocity in bar_notes(level, last, bar == 0 and section > 0, rng):
                time = (start + step) * sixteenth
                kit.notes.append(pretty_midi.Note(velocity=velocity, pitch=key, start=time, end=time + 0.05))
    midi.instruments.append(kit)
    with atomic_path(path) as temporary:
        midi.write(str(temporary))
    return path


def write_drum_collection(folder: Path, files: int = 6, sections: int = 8, seed: int = 0) -> list[Path]:
    """MIDI files of `sections` four-bar sections each at random levels and tempi; returns their paths."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(files):
        tempo = float(rng.integers(90, 131))
        levels = [str(rng.choice(list(LEVELS))) for _ in range(sections)]
        paths.append(write_drum_part(folder / f"drums-{number:02d}.mid", levels, tempo, rng))
    return paths
