"""Attention's fast paths compute Shaw et al.'s relative attention exactly as the formula writes it."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from v2m_core.learn.attention import Attention, Dropout, causal_bias, padding_bias  # noqa: E402

WIDTH, HEADS = 16, 2


def formula(attention: Attention, x: torch.Tensor, memory: torch.Tensor, bias: torch.Tensor | None,
            keep: torch.Tensor | None = None) -> torch.Tensor:
    """softmax((q k^T + q a_ts) / sqrt(d) + bias) v, written out (a_ts: the clipped distance's embedding);
    `keep`, if given, is the dropout mask of the weights (already scaled by 1 / (1 - p))."""
    batch, length, _ = x.shape

    def heads(t: torch.Tensor) -> torch.Tensor:
        return t.view(batch, t.shape[1], HEADS, WIDTH // HEADS).transpose(1, 2)

    q, k, v = heads(attention.query(x)), heads(attention.key(memory)), heads(attention.value(memory))
    logits = q @ k.transpose(-2, -1)
    if attention.relative is not None:
        keys = k.shape[2]
        distance = torch.arange(keys)[None, :] - torch.arange(keys - length, keys)[:, None]
        a = attention.relative(distance.clamp(-attention.max_distance, attention.max_distance) + attention.max_distance)
        logits = logits + torch.einsum("bhtd,tsd->bhts", q, a)
    logits = logits / math.sqrt(WIDTH // HEADS) + (0.0 if bias is None else bias)
    weights = torch.softmax(logits, dim=-1) * (1.0 if keep is None else keep)
    return attention.output((weights @ v).transpose(1, 2).reshape(batch, length, WIDTH))


def _gradients(module: torch.nn.Module, x: torch.Tensor, out: torch.Tensor) -> list[torch.Tensor]:
    return list(torch.autograd.grad(out.square().sum(), [x, *module.parameters()]))


@pytest.mark.parametrize("max_distance", [0, 3])
def test_self_attention_matches_the_formula_with_its_gradients(max_distance: int) -> None:
    torch.manual_seed(0)
    attention = Attention(WIDTH, HEADS, 0.1, max_distance).eval()
    x = torch.randn(3, 11, WIDTH, requires_grad=True)
    bias = causal_bias(11, 11, x.device) + padding_bias(torch.arange(11)[None, :] >= torch.tensor([[11], [7], [4]]))
    fast, slow = attention(x, x, bias), formula(attention, x, x, bias)
    assert torch.allclose(fast, slow, atol=1e-5)
    for a, b in zip(_gradients(attention, x, fast), _gradients(attention, x, slow)):
        assert torch.allclose(a, b, atol=1e-4)


def test_cross_attention_matches_the_formula() -> None:
    torch.manual_seed(1)
    attention = Attention(WIDTH, HEADS, 0.1, static=True).eval()
    x, memory = torch.randn(2, 5, WIDTH), torch.randn(2, 9, WIDTH)
    bias = padding_bias(torch.arange(9)[None, :] >= torch.tensor([[9], [6]]))
    assert torch.allclose(attention(x, memory, bias), formula(attention, x, memory, bias), atol=1e-5)


def test_cached_steps_match_the_formula_over_the_whole_sequence() -> None:
    """Generation: the first call holds a prefix, each later one a single new position."""
    torch.manual_seed(2)
    attention = Attention(WIDTH, HEADS, 0.1, max_distance=3).eval()
    x = torch.randn(1, 10, WIDTH)
    cache: dict[str, torch.Tensor] = {}
    with torch.no_grad():
        steps = [attention(x[:, :4], x[:, :4], causal_bias(4, 4, x.device), cache)]
        steps += [attention(x[:, i: i + 1], x[:, i: i + 1], causal_bias(1, i + 1, x.device), cache)
                  for i in range(4, 10)]
        whole = formula(attention, x, x, causal_bias(10, 10, x.device))
    assert torch.allclose(torch.cat(steps, dim=1), whole, atol=1e-5)


def test_training_drops_attention_weights_as_the_formula_does() -> None:
    """In training (dropout on the weights, which PyTorch's fused CPU kernel lacks) the output is the
    formula's with the same mask: the one drawn first from the seeded generator."""
    torch.manual_seed(3)
    p = 0.25
    attention = Attention(WIDTH, HEADS, p, max_distance=3).train()
    x = torch.randn(2, 7, WIDTH)
    bias = causal_bias(7, 7, x.device)
    torch.manual_seed(4)
    dropped = attention(x, x, bias)
    torch.manual_seed(4)
    keep = (torch.rand(2, HEADS, 7, 7) >= p).float() / (1 - p)
    assert torch.allclose(dropped, formula(attention, x, x, bias, keep), atol=1e-5)
    assert not torch.allclose(dropped, formula(attention, x, x, bias), atol=1e-3)


def test_dropout_keeps_the_expected_share_and_the_mean() -> None:
    torch.manual_seed(5)
    layer = Dropout(0.3)
    out = layer(torch.ones(1_000_000))
    assert abs(float((out == 0).float().mean()) - 0.3) < 0.003
    assert torch.allclose(out[out != 0], torch.tensor(1 / 0.7)) and abs(float(out.mean()) - 1.0) < 0.01
    assert torch.equal(layer.eval()(out), out)
