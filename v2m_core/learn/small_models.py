"""The training loop the small renderer models share (drums, melody): Adam on one loss per step,
on one torch thread (their matrices are too small to split; spare threads only contend)."""

from __future__ import annotations

from collections.abc import Callable

import torch

from v2m_core.learn.threads import torch_threads


def fit(model: torch.nn.Module, batch_loss: Callable[[], torch.Tensor], iterations: int, learning_rate: float,
        progress: Callable[[str, float], None] | None = None) -> float:
    """Run `iterations` Adam steps on `batch_loss()` (which draws its own batch); returns the last loss."""
    optimiser = torch.optim.Adam(model.parameters(), lr=learning_rate)
    loss_value = float("nan")
    with torch_threads(1):
        for iteration in range(iterations):
            loss = batch_loss()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            loss_value = loss.item()
            if progress:
                progress("training", (iteration + 1) / iterations)
    return loss_value
