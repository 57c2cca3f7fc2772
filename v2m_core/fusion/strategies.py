"""Built-in fusion strategy plugins: `concat` and `attention`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.fusion import FusionStrategy

if TYPE_CHECKING:
    import torch


class ConcatFusionStrategy(FusionStrategy[PluginConfig]):
    name = "concat"
    version = "1.0.0"
    description = "Concatenate feature streams and project with one Linear layer (as Video2Music)."

    def build(self, input_dims: dict[str, int], d_model: int) -> "torch.nn.Module":
        from v2m_core.fusion.modules import ConcatFusion

        return ConcatFusion(input_dims, d_model)


class AttentionFusionConfig(PluginConfig):
    heads: int = Field(default=4, ge=1)
    dropout: float = Field(default=0.1, ge=0, lt=1)


class AttentionFusionStrategy(FusionStrategy[AttentionFusionConfig]):
    name = "attention"
    version = "1.0.0"
    description = "Per-stream projections with a learned query attending across the streams each second."

    def build(self, input_dims: dict[str, int], d_model: int) -> "torch.nn.Module":
        from v2m_core.fusion.modules import AttentionFusion

        return AttentionFusion(input_dims, d_model, heads=self.config.heads, dropout=self.config.dropout)
