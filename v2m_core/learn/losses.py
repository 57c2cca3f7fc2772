"""The dual-task objective: chord cross-entropy plus Video2Music's emotion-to-chord-quality term.

The emotion term is a binary cross-entropy between every chord logit and a mask of the chords
whose quality suits the second's strongest emotion, so the model learns e.g. that sad seconds
favour minor colours even where the soundtrack's exact chord is unpredictable. The two terms are
mixed by a fixed weight, or by learned uncertainty weighting (Kendall et al., 2018).
"""

from __future__ import annotations

from typing import TypeVar

import torch
import torch.nn.functional as F
from torch import nn

from v2m_core.chords.vocabularies import V2M
from v2m_core.learn.tokens import ChordTokens
from v2m_core.schemas.analysis import EMOTIONS

EMOTION_QUALITIES: dict[str, frozenset[str]] = {
    "exciting": frozenset({"maj", "sus4", "7"}),
    "fearful": frozenset({"dim", "min7", "dim7", "hdim7"}),
    "tense": frozenset({"dim", "sus4", "min7", "7"}),
    "sad": frozenset({"min7", "min", "sus2"}),
    "relaxing": frozenset({"maj", "maj6", "maj7"}),
    "neutral": frozenset(),
}
"""Video2Music's emotion -> allowed qualities (its dataset loader); neutral allows none."""
CONFIDENT_EMOTION = 0.8
"""Video2Music counts emotion correspondence only on seconds whose top emotion reaches this."""


def emotion_mask(tokens: ChordTokens) -> torch.Tensor:
    """(emotions, outputs) 0/1: chord j suits emotion i. Qualities outside Video2Music's 13 count as
    the nearest of them (`V2M.map`); N, X and END suit none."""
    mask = torch.zeros(len(EMOTIONS), tokens.outputs)
    for j in tokens.chord_ids:
        quality = V2M.map(tokens.labels[j]).split(":")[1]
        for i, emotion in enumerate(EMOTIONS):
            mask[i, j] = float(quality in EMOTION_QUALITIES[emotion])
    return mask


def chord_loss(logits: torch.Tensor, targets: torch.Tensor, pad: int) -> torch.Tensor:
    """Mean cross-entropy over non-PAD positions."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=pad)


def emotion_loss(logits: torch.Tensor, emotion: torch.Tensor, valid: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """BCE between sigmoid(logits) and the allowed-chord mask of each second's top emotion, over `valid` seconds."""
    allowed = mask[emotion.argmax(dim=-1)]
    valid = valid.unsqueeze(-1).float()
    loss = F.binary_cross_entropy_with_logits(logits, allowed, reduction="none")
    return (loss * valid).sum() / (valid.sum() * logits.shape[-1]).clamp(min=1.0)


class TaskWeighting(nn.Module):
    """total = (1 - w) chord + w emotion; with `learned`, exp(-s_i) L_i + s_i per task instead."""

    def __init__(self, emotion_weight: float, learned: bool) -> None:
        super().__init__()
        self.emotion_weight = emotion_weight
        self.log_variance = nn.Parameter(torch.zeros(2)) if learned else None

    def forward(self, chord: torch.Tensor, emotion: torch.Tensor) -> torch.Tensor:
        if self.log_variance is None:
            return fixed_total(chord, emotion, self.emotion_weight)
        s = self.log_variance
        return torch.exp(-s[0]) * chord + s[0] + torch.exp(-s[1]) * emotion + s[1]


Loss = TypeVar("Loss", float, torch.Tensor)


def fixed_total(chord: Loss, emotion: Loss, emotion_weight: float) -> Loss:
    """The fixed mix (Video2Music: 0.4 chord + 0.6 emotion); also the validation objective for early stopping."""
    return (1.0 - emotion_weight) * chord + emotion_weight * emotion
