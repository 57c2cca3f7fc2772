"""Multi-head attention with optional relative position representations (Shaw et al., 2018).

Relative distances are clipped at `max_distance`, so the same weights serve any window length:
what matters to a chord is how far back the others were, not its absolute second.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class Dropout(nn.Dropout):
    """`nn.Dropout` with the same distribution, drawn as uniform numbers and a comparison: ATen's CPU
    Bernoulli sampler (MKL's) takes twice as long here, and a training step draws 62 masks (docs/benchmarks.md)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return dropout(x, self.p, self.training)


def dropout(x: torch.Tensor, p: float, training: bool) -> torch.Tensor:
    """Zero each value with probability `p` and scale the rest by 1 / (1 - p), while `training`."""
    if not training or p == 0.0:
        return x
    keep = torch.rand(x.shape, device=x.device).ge_(p).mul_(1.0 / (1.0 - p))
    return x * keep.to(x.dtype)


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, bias: torch.Tensor | None,
           dropout_p: float) -> torch.Tensor:
    """softmax(q k^T + bias) v, with dropout on the weights; `q` comes scaled.

    PyTorch's fused kernel (scaled_dot_product_attention) takes the additive bias; on CPU it has no
    dropout, and SDPA then falls back to its math path, slower than the three steps below (it also
    guards rows that are all -inf, which no bias here makes; docs/benchmarks.md has the figures).
    """
    if dropout_p == 0.0 or q.device.type != "cpu":
        return F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=dropout_p, scale=1.0)
    scores = q @ k.transpose(-2, -1)
    if bias is not None:
        scores = scores.add_(bias)
    return dropout(torch.softmax(scores, dim=-1), dropout_p, True) @ v


class Attention(nn.Module):
    def __init__(self, d_model: int, heads: int, dropout: float, max_distance: int = 0, static: bool = False) -> None:
        """`static`: keys and values come from a memory that does not grow (cross-attention), so a cache keeps them."""
        super().__init__()
        self.static = static
        if d_model % heads:
            raise ValueError(f"d_model {d_model} is not a multiple of heads {heads}")
        self.heads, self.head_dim, self.dropout = heads, d_model // heads, dropout
        self.query, self.key, self.value = (nn.Linear(d_model, d_model) for _ in range(3))
        self.output = nn.Linear(d_model, d_model)
        self.max_distance = max_distance
        self.relative = nn.Embedding(2 * max_distance + 1, self.head_dim) if max_distance else None

    def forward(self, x: torch.Tensor, memory: torch.Tensor, bias: torch.Tensor | None,
                cache: dict[str, torch.Tensor] | None = None) -> torch.Tensor:
        """`bias` is additive, broadcastable to (batch, heads, len(x), keys): -inf hides a key.

        With `cache` (generation), self-attention keys and values of earlier calls are kept and `x`
        holds only the new positions, which are the last of the keys.
        """
        batch, length, width = x.shape

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, t.shape[1], self.heads, self.head_dim).transpose(1, 2)

        q = heads(self.query(x)) * self.head_dim ** -0.5
        if cache is not None and self.static and "k" in cache:
            k, v = cache["k"], cache["v"]
        else:
            k, v = heads(self.key(memory)), heads(self.value(memory))
            if cache is not None:
                if "k" in cache:
                    k, v = torch.cat([cache["k"], k], dim=2), torch.cat([cache["v"], v], dim=2)
                cache["k"], cache["v"] = k, v
        if self.relative is not None:
            keys = k.shape[2]
            positions = torch.arange(keys, device=x.device)
            distance = positions[None, :] - positions[keys - length:, None]
            table = self.relative(distance.clamp(-self.max_distance, self.max_distance) + self.max_distance)
            relative = torch.einsum("bhtd,tsd->bhts", q, table)
            bias = relative if bias is None else relative + bias
        out = attend(q, k, v, bias, self.dropout if self.training else 0.0)
        return self.output(out.transpose(1, 2).reshape(batch, length, width))


class Block(nn.Module):
    """A pre-norm transformer layer: self-attention, cross-attention to `memory` when `cross`, feed-forward."""

    def __init__(self, d_model: int, heads: int, ff: int, dropout: float, cross: bool, max_distance: int) -> None:
        super().__init__()
        self.self_attention = Attention(d_model, heads, dropout, max_distance)
        self.cross_attention = Attention(d_model, heads, dropout, static=True) if cross else None
        self.feed_forward = nn.Sequential(nn.Linear(d_model, ff), nn.GELU(), Dropout(dropout), nn.Linear(ff, d_model))
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(3 if cross else 2))
        self.drop = Dropout(dropout)

    def forward(self, x: torch.Tensor, self_bias: torch.Tensor | None, memory: torch.Tensor | None = None,
                memory_bias: torch.Tensor | None = None,
                cache: dict[str, dict[str, torch.Tensor]] | None = None) -> torch.Tensor:
        """`cache` ({"self": {}, "cross": {}} per layer) makes generation incremental."""
        h = self.norms[0](x)
        x = x + self.drop(self.self_attention(h, h, self_bias, cache["self"] if cache is not None else None))
        if self.cross_attention is not None and memory is not None:
            x = x + self.drop(self.cross_attention(self.norms[1](x), memory, memory_bias,
                                                   cache["cross"] if cache is not None else None))
        return x + self.drop(self.feed_forward(self.norms[-1](x)))


def causal_bias(queries: int, keys: int, device: torch.device) -> torch.Tensor:
    """(queries, keys) for queries that are the last of the keys: each sees only keys up to itself."""
    return torch.full((queries, keys), float("-inf"), device=device).triu(keys - queries + 1)


def padding_bias(padding: torch.Tensor) -> torch.Tensor:
    """(batch, 1, 1, keys) from a boolean (batch, keys) mask that is True at padded seconds."""
    return torch.zeros(padding.shape, device=padding.device).masked_fill(padding, float("-inf"))[:, None, None, :]


def sinusoids(length: int, width: int, device: torch.device) -> torch.Tensor:
    """(length, width) sinusoidal position encoding (Vaswani et al.)."""
    position = torch.arange(length, device=device, dtype=torch.float32)[:, None]
    frequency = torch.exp(torch.arange(0, width, 2, device=device, dtype=torch.float32) * (-math.log(10000.0) / width))
    table = torch.zeros(length, width, device=device)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency)[:, : width // 2]
    return table
