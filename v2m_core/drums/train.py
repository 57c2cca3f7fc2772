"""Training the drum model: teacher-forced windows of consecutive bars from MIDI collections and
dataset soundtracks, with the loss limited to the classes each source can tell."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from v2m_core.drums.model import DrumModel, save_model, step_inputs
from v2m_core.drums.patterns import BarPattern, read_collection
from v2m_core.drums.plot import plot_patterns
from v2m_core.errors import UsageError
from v2m_core.learn.small_models import fit

WINDOW = 64
"""Sixteenths per training window: four 4/4 bars, enough to see a fill lead into a crash."""


@dataclass(frozen=True)
class DrumTrainingResult:
    files: int
    soundtracks: int
    bars: int
    emotion_bars: int
    steps: int
    loss: float
    seconds: float
    output: str
    plot: str
    """PNG of the learned patterns (v2m_core.drums.plot)."""


@dataclass(frozen=True)
class _Song:
    """One song's steps, with per-bar values kept per bar (not repeated for each of its sixteenths)."""

    velocities: np.ndarray
    """(steps, classes) float32"""
    positions: np.ndarray
    """(steps,) sixteenth within the bar"""
    bar_of_step: np.ndarray
    """(steps,) index into the per-bar arrays"""
    conditions: np.ndarray
    """(bars, CONDITIONS) float32"""
    observed: np.ndarray
    """(bars, classes) 1 where the source can tell hit from rest"""

    @classmethod
    def of(cls, bars: list[BarPattern]) -> "_Song":
        lengths = [len(bar.velocities) for bar in bars]
        return cls(np.concatenate([bar.velocities for bar in bars]).astype(np.float32),
                   np.concatenate([np.arange(length, dtype=np.int16) for length in lengths]),
                   np.repeat(np.arange(len(bars), dtype=np.int32), lengths),
                   np.array([bar.conditions for bar in bars], dtype=np.float32),
                   np.array([bar.observed for bar in bars], dtype=np.float32))


def train_drums(midi_dir: Path | None, output: Path, *, soundtracks: Sequence[Path] = (), iterations: int = 300,
                batch_size: int = 16, hidden: int = 48, learning_rate: float = 0.01, seed: int = 0, workers: int = 1,
                progress: Callable[[str, float], None] | None = None) -> DrumTrainingResult:
    """Fit on every drum track under `midi_dir` and the soundtracks of the `soundtracks` datasets; write `output`."""
    began, output = time.perf_counter(), Path(output)
    if midi_dir is None and not soundtracks:
        raise UsageError("give a folder of MIDI files, a dataset with --soundtracks, or both")
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    collection = read_collection(midi_dir, progress, workers) if midi_dir is not None else []
    recorded = _soundtrack_songs(soundtracks, progress)
    songs = [_Song.of(bars) for bars in [*collection, *recorded] if sum(len(bar.velocities) for bar in bars) > WINDOW]
    if not songs:
        raise UsageError(f"{midi_dir or ', '.join(map(str, soundtracks))}: no drum part is longer than {WINDOW // 16} bars")
    model = DrumModel(hidden)
    loss_value = fit(model, lambda: _window_loss(model, songs, batch_size, rng), iterations, learning_rate, progress)
    bars = sum(len(bars) for bars in [*collection, *recorded])
    emotion_bars = sum(len(bars) for bars in recorded)
    steps = sum(len(song.positions) for song in songs)
    save_model(output, model, {"files": len(collection), "soundtracks": len(recorded), "bars": bars,
                               "emotion_bars": emotion_bars, "steps": steps, "loss": loss_value,
                               "iterations": iterations, "seed": seed})
    plot_patterns(model.eval(), output.with_suffix(".png"), emotions=emotion_bars > 0)
    return DrumTrainingResult(files=len(collection), soundtracks=len(recorded), bars=bars, emotion_bars=emotion_bars,
                              steps=steps, loss=round(loss_value, 4), seconds=round(time.perf_counter() - began, 2),
                              output=str(output), plot=str(output.with_suffix(".png")))


def _window_loss(model: DrumModel, songs: list[_Song], batch_size: int, rng: np.random.Generator) -> torch.Tensor:
    """The loss on one batch of random windows; hit and velocity losses count only observed classes."""
    batch = [songs[i] for i in rng.integers(len(songs), size=batch_size)]
    starts = [int(rng.integers(len(song.positions) - WINDOW)) for song in batch]

    def window(values: Callable[[_Song, slice], np.ndarray], first: int = 1) -> torch.Tensor:
        """Steps first..WINDOW of each batch window (velocities take step 0 too: the first input)."""
        return torch.tensor(np.stack([values(s, slice(a + first, a + WINDOW + 1)) for s, a in zip(batch, starts)]))

    velocities = window(lambda s, steps: s.velocities[steps], first=0)
    positions = window(lambda s, steps: s.positions[steps]).long()
    conditions = window(lambda s, steps: s.conditions[s.bar_of_step[steps]])
    observed = window(lambda s, steps: s.observed[s.bar_of_step[steps]])
    target = velocities[:, 1:]
    logits, predicted, _ = model(step_inputs(velocities[:, :-1], positions, conditions))
    hit = (target > 0).float()
    hit_loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, hit, reduction="none")
    return (hit_loss * observed).sum() / observed.sum().clamp(min=1) \
        + ((predicted - target) ** 2 * hit * observed).sum() / (hit * observed).sum().clamp(min=1)


def _soundtrack_songs(datasets: Sequence[Path], progress: Callable[[str, float], None] | None) -> list[list[BarPattern]]:
    if not datasets:
        return []
    from v2m_core.drums.soundtrack import read_soundtracks
    from v2m_core.drums.transcribe import kit_templates

    templates = kit_templates()
    return [bars for dataset in datasets for bars in read_soundtracks(dataset, templates, progress)]
