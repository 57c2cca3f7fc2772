"""The BTC network (Park et al., "A Bi-Directional Transformer for Musical Chord Recognition", ISMIR 2019).

Module and parameter names follow the published implementation (github.com/jayg996/BTC-ISMIR19), so
its checkpoints load with `load_state_dict` unchanged: e.g. `self_attn_layers.self_attn_layers.0.
attn_block.multi_head_attention.query_linear.weight`, `output_layer.output_projection.bias`. Numerical
details are kept too, because the trained weights expect them: layer norm with the unbiased standard
deviation, a ReLU after both feed-forward convolutions, and an unused LSTM in the output layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class BTCShape:
    """The published model: 144 CQT bins in, 108-frame windows, 8 layers, 4 heads, width 128."""

    num_chords: int = 25
    feature_size: int = 144
    timestep: int = 108
    hidden_size: int = 128
    num_layers: int = 8
    num_heads: int = 4
    filter_size: int = 128

    @classmethod
    def of_state_dict(cls, state: dict[str, torch.Tensor], num_heads: int = 4) -> "BTCShape":
        """Read every size from the weights themselves (heads, which leave no trace, excepted)."""
        embedding = state["self_attn_layers.embedding_proj.weight"]
        layers = {key.split(".")[2] for key in state if key.startswith("self_attn_layers.self_attn_layers.")}
        conv = state["self_attn_layers.self_attn_layers.0.attn_block.positionwise_convolution.layers.0.conv.weight"]
        return cls(num_chords=int(state["output_layer.output_projection.weight"].shape[0]),
                   feature_size=int(embedding.shape[1]), hidden_size=int(embedding.shape[0]), num_layers=len(layers),
                   num_heads=num_heads, filter_size=int(conv.shape[0]))


class LayerNorm(nn.Module):
    """Normalises with the unbiased standard deviation plus eps, as the checkpoints were trained."""

    def __init__(self, features: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(features))
        self.beta = nn.Parameter(torch.zeros(features))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.gamma * (x - x.mean(-1, keepdim=True)) / (x.std(-1, keepdim=True) + self.eps) + self.beta


class MultiHeadAttention(nn.Module):
    """Scaled dot-product attention whose additive mask limits each direction to past or future frames."""

    def __init__(self, width: int, num_heads: int, mask: torch.Tensor) -> None:
        super().__init__()
        if width % num_heads:
            raise ValueError(f"width {width} is not divisible by {num_heads} heads")
        self.num_heads = num_heads
        self.query_scale = (width // num_heads) ** -0.5
        self.query_linear = nn.Linear(width, width, bias=False)
        self.key_linear = nn.Linear(width, width, bias=False)
        self.value_linear = nn.Linear(width, width, bias=False)
        self.output_linear = nn.Linear(width, width, bias=False)
        self.register_buffer("bias_mask", mask, persistent=False)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, width = x.shape
        return x.view(batch, length, self.num_heads, width // self.num_heads).permute(0, 2, 1, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        queries = self._split(self.query_linear(x)) * self.query_scale
        keys, values = self._split(self.key_linear(x)), self._split(self.value_linear(x))
        logits = queries @ keys.transpose(-1, -2) + self.bias_mask[:, :, :x.shape[1], :x.shape[1]]
        contexts = torch.softmax(logits, dim=-1) @ values
        batch, _, length, _ = contexts.shape
        return self.output_linear(contexts.permute(0, 2, 1, 3).reshape(batch, length, -1))


class Conv(nn.Module):
    """A width-3 convolution along time, zero-padded on both sides."""

    def __init__(self, inputs: int, outputs: int) -> None:
        super().__init__()
        self.pad = nn.ConstantPad1d((1, 1), 0.0)
        self.conv = nn.Conv1d(inputs, outputs, kernel_size=3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(self.pad(x.permute(0, 2, 1))).permute(0, 2, 1)


class PositionwiseFeedForward(nn.Module):
    def __init__(self, width: int, filter_size: int) -> None:
        super().__init__()
        self.layers = nn.ModuleList([Conv(width, filter_size), Conv(filter_size, width)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = torch.relu(layer(x))
        return x


class SelfAttentionBlock(nn.Module):
    """Pre-norm attention and feed-forward, each with a residual connection."""

    def __init__(self, shape: BTCShape, mask: torch.Tensor) -> None:
        super().__init__()
        self.multi_head_attention = MultiHeadAttention(shape.hidden_size, shape.num_heads, mask)
        self.positionwise_convolution = PositionwiseFeedForward(shape.hidden_size, shape.filter_size)
        self.layer_norm_mha = LayerNorm(shape.hidden_size)
        self.layer_norm_ffn = LayerNorm(shape.hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.multi_head_attention(self.layer_norm_mha(x))
        return x + self.positionwise_convolution(self.layer_norm_ffn(x))


def causal_mask(length: int) -> torch.Tensor:
    """(1, 1, length, length): -inf above the diagonal, so frame t attends to frames <= t."""
    return torch.triu(torch.full((length, length), float("-inf")), diagonal=1)[None, None]


class BiDirectionalSelfAttention(nn.Module):
    """A past-looking and a future-looking block side by side, joined by a linear layer."""

    def __init__(self, shape: BTCShape) -> None:
        super().__init__()
        mask = causal_mask(shape.timestep)
        self.attn_block = SelfAttentionBlock(shape, mask)
        self.backward_attn_block = SelfAttentionBlock(shape, mask.transpose(2, 3))
        self.linear = nn.Linear(2 * shape.hidden_size, shape.hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(torch.cat((self.attn_block(x), self.backward_attn_block(x)), dim=2))


def timing_signal(length: int, channels: int, max_timescale: float = 1.0e4) -> torch.Tensor:
    """(1, length, channels) sinusoidal positions (sines then cosines), as in tensor2tensor."""
    timescales = channels // 2
    increment = math.log(max_timescale) / max(timescales - 1, 1)
    inverse = torch.exp(torch.arange(timescales, dtype=torch.float64) * -increment)
    scaled = torch.arange(length, dtype=torch.float64)[:, None] * inverse[None, :]
    signal = torch.cat([torch.sin(scaled), torch.cos(scaled)], dim=1)
    signal = nn.functional.pad(signal, (0, channels % 2))
    return signal.float()[None]


class BiDirectionalSelfAttentionLayers(nn.Module):
    def __init__(self, shape: BTCShape) -> None:
        super().__init__()
        self.register_buffer("timing_signal", timing_signal(shape.timestep, shape.hidden_size), persistent=False)
        self.embedding_proj = nn.Linear(shape.feature_size, shape.hidden_size, bias=False)
        self.self_attn_layers = nn.Sequential(*[BiDirectionalSelfAttention(shape) for _ in range(shape.num_layers)])
        self.layer_norm = LayerNorm(shape.hidden_size)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        x = self.embedding_proj(features) + self.timing_signal[:, :features.shape[1], :]
        return self.layer_norm(self.self_attn_layers(x))


class SoftmaxOutputLayer(nn.Module):
    """Projection to chord logits; `lstm` is never run but exists in the published checkpoints."""

    def __init__(self, hidden_size: int, num_chords: int) -> None:
        super().__init__()
        self.output_projection = nn.Linear(hidden_size, num_chords)
        self.lstm = nn.LSTM(input_size=hidden_size, hidden_size=hidden_size // 2, batch_first=True, bidirectional=True)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.output_projection(hidden)


class BTCModel(nn.Module):
    """(batch, timestep, feature_size) normalised log-CQT -> (batch, timestep, num_chords) logits."""

    def __init__(self, shape: BTCShape) -> None:
        super().__init__()
        self.shape = shape
        self.self_attn_layers = BiDirectionalSelfAttentionLayers(shape)
        self.output_layer = SoftmaxOutputLayer(shape.hidden_size, shape.num_chords)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.output_layer(self.self_attn_layers(features))
