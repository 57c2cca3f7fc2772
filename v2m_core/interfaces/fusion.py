"""Fusion strategies: how per-second feature streams become one sequence for the model."""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING

from v2m_core.interfaces.base import ConfigT, Plugin, PluginKind

if TYPE_CHECKING:  # torch is an optional dependency (extra 'learn')
    import torch


class FusionStrategy(Plugin[ConfigT]):
    """Builds a torch module mapping {stream: (batch, time, dim)} to (batch, time, d_model)."""

    kind = PluginKind.FUSION

    @abstractmethod
    def build(self, input_dims: dict[str, int], d_model: int) -> "torch.nn.Module":
        """Return a fresh module; the model trains it with the rest of the network."""
