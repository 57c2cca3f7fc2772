"""Autoregressive chord generation for a video of any length, and the dynamics regressor's energy.

The encoder sees at most `window` seconds at a time. After each window the next one starts
`context` seconds before the last generated chord and re-reads those chords as its decoder prefix,
so harmony carries across windows and a 20-minute video gets 1,200 chords.
"""

from __future__ import annotations

import numpy as np
import torch

from v2m_core.errors import V2MError
from v2m_core.learn.checkpoint import Trained


def _tensors(features: dict[str, np.ndarray], start: int, stop: int, device: torch.device) -> dict[str, torch.Tensor]:
    return {name: torch.from_numpy(array[start:stop]).unsqueeze(0).to(device) for name, array in features.items()}


@torch.no_grad()
def generate_chords(trained: Trained, streams: dict[str, np.ndarray], seed: int, temperature: float = 1.0,
                    top_k: int = 0, max_repeats: int = 2, context: int | None = None,
                    device: str = "cpu") -> list[str]:
    """One chord label per second of `streams` (raw, un-normalised features, all of one length).

    Only pitched chords can be drawn (N, X and END are banned), never more than `max_repeats` equal
    chords in a row (unless the model knows only one); `top_k` 0 samples from the whole tempered distribution.
    """
    model, tokens = trained.model.to(device).eval(), trained.tokens
    if not tokens.chord_ids:
        raise V2MError("the model knows no pitched chord (it was trained on seconds that are all N or X); "
                       "train it again on a dataset whose soundtracks have chords")
    features = trained.normaliser(streams)
    seconds = len(next(iter(features.values())))
    window = trained.config.window
    carry = min(window - 1, window // 2 if context is None else context)
    generator = torch.Generator(device="cpu").manual_seed(seed)
    allowed = torch.full((tokens.outputs,), -torch.inf)
    allowed[list(tokens.chord_ids)] = 0.0
    chords: list[int] = []
    while len(chords) < seconds:
        begin = max(0, len(chords) - carry)
        stop = min(seconds, begin + window)
        padding = torch.zeros(1, stop - begin, dtype=torch.bool, device=device)
        memory = model.encode(_tensors(features, begin, stop, torch.device(device)), padding)
        prefix = [tokens.start if begin == 0 else chords[begin - 1], *chords[begin:]]
        cache = model.new_cache()
        step = torch.tensor([prefix], dtype=torch.long, device=device)
        while len(chords) < stop:
            logits = model.decode(step, memory, padding, cache)[0, -1].float().cpu() / temperature + allowed
            if len(tokens.chord_ids) > 1 and len(chords) >= max_repeats and len(set(chords[-max_repeats:])) == 1:
                logits[chords[-1]] = -torch.inf
            if 0 < top_k < logits.numel():
                logits[logits < logits.topk(top_k).values[-1]] = -torch.inf
            probabilities = torch.softmax(logits, dim=-1)
            if not bool(torch.isfinite(probabilities).all()):
                raise V2MError("the model's outputs are not finite numbers (its weights hold NaN or inf); "
                               "use another checkpoint, e.g. the run's best.pt")
            choice = int(torch.multinomial(probabilities, 1, generator=generator))
            chords.append(choice)
            step = torch.tensor([[choice]], dtype=torch.long, device=device)
    return [tokens.labels[i] for i in chords]


@torch.no_grad()
def predict_energy(trained: Trained, streams: dict[str, np.ndarray], device: str = "cpu") -> np.ndarray | None:
    """Per-second 0..1 energy from predicted loudness and note density; None without a regressor."""
    if trained.regressor is None or trained.dynamics is None:
        return None
    features = trained.normaliser(streams)
    predicted = trained.regressor.to(device).eval()(_tensors(features, 0, len(next(iter(features.values()))),
                                                              torch.device(device)))
    return trained.dynamics.energy(predicted[0].cpu().numpy())
