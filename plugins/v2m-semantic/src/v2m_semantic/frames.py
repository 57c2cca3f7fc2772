"""Keyframes to model input: float tensors in 0..1, resized to the model's side, a batch at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch


def read_keyframes(path: Path) -> np.ndarray:
    """(seconds, side, side, 3) uint8, memory-mapped so only the current batch is in memory."""
    return np.load(path, mmap_mode="r")


def batches(frames: np.ndarray, batch_size: int, side: int) -> Iterator[tuple[int, torch.Tensor]]:
    """(frames in the batch, (batch_size, 3, side, side) float batch) in order.

    A short last batch is padded with copies of its last frame: every forward pass has one shape,
    so oneDNN builds its kernels once per process, not again for the last batch of every video.
    """
    import torch
    import torch.nn.functional as functional

    for start in range(0, len(frames), batch_size):
        chunk = np.array(frames[start:start + batch_size])
        count = len(chunk)
        chunk = np.concatenate([chunk, np.repeat(chunk[-1:], batch_size - count, axis=0)])
        batch = torch.from_numpy(chunk).permute(0, 3, 1, 2).float() / 255.0
        if batch.shape[-1] != side:
            batch = functional.interpolate(batch, size=(side, side), mode="bicubic", align_corners=False).clamp(0, 1)
        yield count, batch
