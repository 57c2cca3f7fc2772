"""The affective multimodal transformer: video seconds to the encoder, chord tokens to the decoder.

A fusion plugin turns the per-second streams into one d_model sequence; the decoder embeds each
chord as root + quality + major/minor flag and, with `relative`, uses relative self-attention.
Decoder position t holds the chord of second t-1 (START at t = 0) and predicts the chord of second t.
"""

from __future__ import annotations

from typing import Any

import torch
from pydantic import Field, ValidationInfo, field_validator
from torch import nn

from v2m_core.interfaces.fusion import FusionStrategy
from v2m_core.learn.attention import Block, Dropout, causal_bias, padding_bias, sinusoids
from v2m_core.learn.tokens import NO_ROOT, ChordTokens
from v2m_core.plugins import PluginManager
from v2m_core.schemas.base import V2MModel


class ModelConfig(V2MModel):
    """Defaults are Video2Music's AMT sizes."""

    fusion: str = Field(default="concat", description="Fusion strategy plugin name.")
    fusion_settings: dict[str, Any] = Field(default_factory=dict, description="That plugin's settings.")
    d_model: int = Field(default=512, ge=8)
    layers: int = Field(default=6, ge=1, description="Encoder layers, and as many decoder layers.")
    heads: int = Field(default=8, ge=1)
    feed_forward: int = Field(default=1024, ge=8)
    dropout: float = Field(default=0.1, ge=0, lt=1)
    relative: bool = Field(default=True, description="Relative self-attention in the decoder.")
    max_distance: int = Field(default=64, ge=1, description="Relative distances are clipped at this many seconds.")

    @field_validator("heads")
    @classmethod
    def _heads_divide_width(cls, heads: int, info: ValidationInfo) -> int:
        width = info.data.get("d_model")
        if width is not None and width % heads:
            raise ValueError(f"{heads} does not divide d_model {width} (each head gets d_model / heads values)")
        return heads


class AffectiveTransformer(nn.Module):
    token_parts: torch.Tensor
    """(tokens, 3) root, quality and flag of each chord token (a buffer: it moves with the model)."""

    def __init__(self, config: ModelConfig, tokens: ChordTokens, fusion: nn.Module) -> None:
        super().__init__()
        d = config.d_model
        self.fusion = fusion
        parts = torch.tensor(tokens.parts, dtype=torch.long)
        self.register_buffer("token_parts", parts, persistent=False)
        self.root = nn.Embedding(NO_ROOT + 1, d)
        self.quality = nn.Embedding(len(tokens.qualities), d)
        self.flag = nn.Embedding(3, d)
        distance = config.max_distance if config.relative else 0
        self.encoder = nn.ModuleList(Block(d, config.heads, config.feed_forward, config.dropout, False, 0)
                                     for _ in range(config.layers))
        self.decoder = nn.ModuleList(Block(d, config.heads, config.feed_forward, config.dropout, True, distance)
                                     for _ in range(config.layers))
        self.encoder_norm, self.decoder_norm = nn.LayerNorm(d), nn.LayerNorm(d)
        self.drop = Dropout(config.dropout)
        self.head = nn.Linear(d, tokens.outputs)
        self.absolute_positions = not config.relative

    def encode(self, features: dict[str, torch.Tensor], padding: torch.Tensor) -> torch.Tensor:
        """(batch, seconds, d_model) from {stream: (batch, seconds, dim)}; `padding` is True past a video's end."""
        x = self.fusion(features)
        x = self.drop(x + sinusoids(x.shape[1], x.shape[2], x.device))
        bias = padding_bias(padding)
        for block in self.encoder:
            x = block(x, bias)
        return self.encoder_norm(x)

    def decode(self, tokens: torch.Tensor, memory: torch.Tensor, padding: torch.Tensor,
               cache: list[dict[str, dict[str, torch.Tensor]]] | None = None) -> torch.Tensor:
        """Logits (batch, len(tokens), outputs) for the next chord at every decoder position.

        With `cache` (one {"self": {}, "cross": {}} per decoder layer), `tokens` continue the ones
        decoded before, which are not recomputed: generation then costs one position per step.
        """
        past = cache[0]["self"]["k"].shape[2] if cache and "k" in cache[0]["self"] else 0
        length = tokens.shape[1]
        parts = self.token_parts[tokens]
        x = self.root(parts[..., 0]) + self.quality(parts[..., 1]) + self.flag(parts[..., 2])
        if self.absolute_positions:
            x = x + sinusoids(past + length, x.shape[2], x.device)[past:]
        x = self.drop(x)
        self_bias, memory_bias = causal_bias(length, past + length, tokens.device), padding_bias(padding)
        for index, block in enumerate(self.decoder):
            x = block(x, self_bias, memory, memory_bias, cache[index] if cache is not None else None)
        return self.head(self.decoder_norm(x))

    def new_cache(self) -> list[dict[str, dict[str, torch.Tensor]]]:
        """An empty decoder cache for incremental generation."""
        return [{"self": {}, "cross": {}} for _ in self.decoder]

    def forward(self, features: dict[str, torch.Tensor], tokens: torch.Tensor, padding: torch.Tensor) -> torch.Tensor:
        return self.decode(tokens, self.encode(features, padding), padding)


def build_model(config: ModelConfig, tokens: ChordTokens, input_dims: dict[str, int],
                plugins: PluginManager | None = None) -> AffectiveTransformer:
    """The model with its fusion module from the named plugin (third-party ones included)."""
    manager = plugins if plugins is not None else PluginManager()
    strategy = manager.create(FusionStrategy, config.fusion, config.fusion_settings)
    return AffectiveTransformer(config, tokens, strategy.build(dict(input_dims), config.d_model))
