"""The dynamics regressor: a bi-GRU from per-second video features to loudness and note density.

Its two predictions (in training-split z-scores) become the plan's per-second energy, which the
renderers turn into dynamics and note density (Video2Music derived both from loudness by mistake).
"""

from __future__ import annotations

import torch
from torch import nn


class DynamicsRegressor(nn.Module):
    def __init__(self, input_dim: int, hidden: int, outputs: int = 2) -> None:
        super().__init__()
        self.gru = nn.GRU(input_dim, hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, outputs)

    def forward(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        """(batch, seconds, outputs) from the streams concatenated in name order."""
        x = torch.cat([features[name] for name in sorted(features)], dim=-1)
        return self.head(self.gru(x)[0])
