"""The torch modules behind the built-in fusion strategies (imported lazily: torch is optional)."""

from __future__ import annotations

import torch
from torch import nn


class ConcatFusion(nn.Module):
    """Concatenate the streams in a fixed order, then one Linear (Video2Music's fusion)."""

    def __init__(self, input_dims: dict[str, int], d_model: int) -> None:
        super().__init__()
        self.streams = sorted(input_dims)
        self.project = nn.Linear(sum(input_dims.values()), d_model)

    def forward(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        return self.project(torch.cat([features[name] for name in self.streams], dim=-1))


class AttentionFusion(nn.Module):
    """Project each stream to d_model, then attend across streams at every time step.

    A learned query attends over the per-stream tokens (plus a modality embedding), so the model
    can weigh e.g. motion against semantics per second instead of a fixed linear mix.
    """

    def __init__(self, input_dims: dict[str, int], d_model: int, heads: int = 4, dropout: float = 0.1) -> None:
        super().__init__()
        self.streams = sorted(input_dims)
        self.projections = nn.ModuleDict({name: nn.Linear(input_dims[name], d_model) for name in self.streams})
        self.modality = nn.Parameter(torch.randn(len(self.streams), d_model) * 0.02)
        self.query = nn.Parameter(torch.randn(1, 1, d_model) * 0.02)
        self.attention = nn.MultiheadAttention(d_model, heads, dropout=dropout, batch_first=True)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
        tokens = torch.stack([self.projections[name](features[name]) for name in self.streams], dim=2)
        batch, time, streams, width = tokens.shape
        tokens = (tokens + self.modality).reshape(batch * time, streams, width)
        fused, _ = self.attention(self.query.expand(batch * time, 1, width), tokens, tokens)
        return self.norm(fused.reshape(batch, time, width) + tokens.mean(dim=1).reshape(batch, time, width))
