"""Training the melody model on a MIDI collection: teacher-forced windows of consecutive bars, each
moved to a random key (melody and harmony together) so the model plays in every key."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from v2m_core.errors import UsageError
from v2m_core.learn.small_models import fit
from v2m_core.melody.model import MelodyModel, save_model, step_inputs
from v2m_core.melody.phrases import MelodyBar, read_collection
from v2m_core.melody.tokens import transpose

WINDOW = 64
"""Sixteenths per training window: four 4/4 bars, a phrase."""


@dataclass(frozen=True)
class MelodyTrainingResult:
    files: int
    bars: int
    steps: int
    loss: float
    seconds: float
    output: str


def _song_arrays(bars: list[MelodyBar]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Tokens (steps,), positions (steps,), harmony (steps, 12), energy (steps,) of one song."""
    return (np.concatenate([bar.tokens for bar in bars]),
            np.concatenate([np.arange(len(bar.tokens)) for bar in bars]),
            np.concatenate([bar.harmony for bar in bars]),
            np.concatenate([np.full(len(bar.tokens), bar.energy) for bar in bars]))


def train_melody(midi_dir: Path, output: Path, *, iterations: int = 400, batch_size: int = 16, hidden: int = 64,
                 learning_rate: float = 0.01, seed: int = 0, workers: int = 1,
                 progress: Callable[[str, float], None] | None = None) -> MelodyTrainingResult:
    """Fit on the melody of every MIDI file under `midi_dir` and write the checkpoint to `output`."""
    began = time.perf_counter()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    collection = [bars for bars in read_collection(midi_dir, progress, workers)
                  if sum(len(bar.tokens) for bar in bars) > WINDOW]
    songs = [_song_arrays(bars) for bars in collection]
    if not songs:
        raise UsageError(f"{midi_dir}: no melody is longer than {WINDOW // 16} bars")
    model = MelodyModel(hidden)
    loss_value = fit(model, lambda: _window_loss(model, songs, batch_size, rng), iterations, learning_rate, progress)
    bars = sum(len(song) for song in collection)
    steps = sum(len(song[0]) for song in songs)
    save_model(output, model, {"files": len(songs), "bars": bars, "steps": steps, "loss": loss_value,
                               "iterations": iterations, "seed": seed})
    return MelodyTrainingResult(files=len(songs), bars=bars, steps=steps, loss=round(loss_value, 4),
                                seconds=round(time.perf_counter() - began, 2), output=str(output))


def _window_loss(model: MelodyModel, songs: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
                 batch_size: int, rng: np.random.Generator) -> torch.Tensor:
    """The loss on one batch of random windows, each moved to a random key."""
    windows = []
    for song in (songs[i] for i in rng.integers(len(songs), size=batch_size)):
        start = int(rng.integers(len(song[0]) - WINDOW))
        tokens, harmony = transpose(song[0][start:start + WINDOW + 1], song[2][start:start + WINDOW + 1],
                                    int(rng.integers(-6, 6)))
        windows.append((tokens, song[1][start + 1:start + WINDOW + 1], harmony[1:], song[3][start + 1:start + WINDOW + 1]))
    token_ids, positions, harmonies, energy = (torch.tensor(np.stack(column)) for column in zip(*windows))
    logits, _ = model(step_inputs(token_ids[:, :-1], positions, harmonies.float(), energy.float()))
    return torch.nn.functional.cross_entropy(logits.flatten(0, 1), token_ids[:, 1:].flatten())
