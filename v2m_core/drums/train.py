"""Training the drum model on a MIDI collection: teacher-forced windows of consecutive bars."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from v2m_core.drums.model import DrumModel, save_model, step_inputs
from v2m_core.drums.patterns import BarPattern, read_collection
from v2m_core.errors import UsageError

WINDOW = 64
"""Sixteenths per training window: four 4/4 bars, enough to see a fill lead into a crash."""


@dataclass(frozen=True)
class DrumTrainingResult:
    files: int
    bars: int
    steps: int
    loss: float
    seconds: float
    output: str


def _song_arrays(bars: list[BarPattern]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Velocities (steps, classes), positions (steps,), conditions (steps, CONDITIONS) of one song."""
    velocities = np.concatenate([bar.velocities for bar in bars])
    positions = np.concatenate([np.arange(len(bar.velocities)) for bar in bars])
    conditions = np.concatenate([np.repeat(bar.conditions[None], len(bar.velocities), axis=0) for bar in bars])
    return velocities, positions, conditions


def train_drums(midi_dir: Path, output: Path, *, iterations: int = 300, batch_size: int = 16, hidden: int = 48,
                learning_rate: float = 0.01, seed: int = 0) -> DrumTrainingResult:
    """Fit on every drum track under `midi_dir` and write the checkpoint to `output`."""
    began = time.perf_counter()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    collection = [bars for bars in read_collection(midi_dir) if sum(len(bar.velocities) for bar in bars) > WINDOW]
    songs = [_song_arrays(bars) for bars in collection]
    if not songs:
        raise UsageError(f"{midi_dir}: no drum track is longer than {WINDOW // 16} bars")
    model = DrumModel(hidden)
    optimiser = torch.optim.Adam(model.parameters(), lr=learning_rate)
    loss_value = float("nan")
    for _ in range(iterations):
        batch = [songs[i] for i in rng.integers(len(songs), size=batch_size)]
        starts = [int(rng.integers(len(song[0]) - WINDOW)) for song in batch]
        velocities = torch.tensor(np.stack([s[0][a:a + WINDOW + 1] for s, a in zip(batch, starts)]), dtype=torch.float32)
        positions = torch.tensor(np.stack([s[1][a + 1:a + WINDOW + 1] for s, a in zip(batch, starts)]))
        conditions = torch.tensor(np.stack([s[2][a + 1:a + WINDOW + 1] for s, a in zip(batch, starts)]), dtype=torch.float32)
        target = velocities[:, 1:]
        logits, predicted, _ = model(step_inputs(velocities[:, :-1], positions, conditions))
        hit = (target > 0).float()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, hit) \
            + ((predicted - target) ** 2 * hit).sum() / hit.sum().clamp(min=1)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        loss_value = loss.item()
    bars = sum(len(song) for song in collection)
    steps = sum(len(s[0]) for s in songs)
    save_model(output, model, {"files": len(songs), "bars": bars, "steps": steps, "loss": loss_value,
                               "iterations": iterations, "seed": seed})
    return DrumTrainingResult(files=len(songs), bars=bars, steps=steps, loss=round(loss_value, 4),
                              seconds=round(time.perf_counter() - began, 2), output=str(output))
