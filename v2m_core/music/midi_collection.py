"""Reading a MIDI collection for the learned renderers: files, beat grids, bars and ranked energy.

The drum and melody models read collections the same way: every .mid/.midi under a folder,
damaged files skipped (a big collection such as Lakh always has some), each file quantised to
sixteenths of its own beat grid and cut at its own downbeats, each bar's raw energy ranked over
the whole collection so 0..1 means the same whatever the collection's dynamics.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pretty_midi
from scipy.stats import rankdata

from v2m_core.errors import UsageError
from v2m_core.interfaces.executor import Executor

STEPS_PER_BEAT = 4
"""Sixteenth notes in 4/4."""

Bar = TypeVar("Bar")


def sixteenth_grid(beats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Times of every sixteenth step, and each step's tolerance (half a sixteenth of its beat)."""
    spacing = np.diff(np.append(beats, 2 * beats[-1] - beats[-2]))
    steps = np.concatenate([beat + np.arange(STEPS_PER_BEAT) * length / STEPS_PER_BEAT for beat, length in zip(beats, spacing)])
    return steps, np.repeat(spacing, STEPS_PER_BEAT) / STEPS_PER_BEAT / 2


def downbeat_indices(midi: pretty_midi.PrettyMIDI, beats: np.ndarray) -> list[int]:
    """Indices into `beats` of the file's downbeats (from its time signatures)."""
    downbeats = set(np.round(midi.get_downbeats(), 6))
    return [i for i, beat in enumerate(beats) if round(beat, 6) in downbeats]


def rank01(values: list[float]) -> np.ndarray:
    """Ranks scaled to 0 (smallest) .. 1 (largest); ties share their mean rank."""
    return (rankdata(values) - 1) / max(1, len(values) - 1)


def read_songs(folder: Path, read_bars: Callable[[Path], list[Bar]], what: str,
               executor: Executor[Any], progress: Callable[[str, float], None] | None = None) -> list[list[Bar]]:
    """The bars of every MIDI file under `folder` that has two or more, in file-name order; `what` names
    the part in the error raised when none has (for example "a drum track"). `progress` hears
    ("MIDI files", share read); `executor` reads the files (a process pool needs `read_bars` to be a
    module-level function), in parallel for collections of Lakh's size."""
    files = sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in (".mid", ".midi"))
    if not files:
        raise UsageError(f"{folder}: no .mid or .midi files found")
    read: dict[Path, list[Bar]] = {}
    for number, (path, bars) in enumerate(executor.map(read_bars, files)):
        if not isinstance(bars, BaseException) and len(bars) >= 2:  # a damaged file is skipped, as Lakh needs
            read[path] = bars
        if progress:
            progress("MIDI files", (number + 1) / len(files))
    songs = [read[path] for path in files if path in read]
    if not songs:
        raise UsageError(f"{folder}: none of {len(files)} MIDI files has {what} of two bars or more")
    return songs
