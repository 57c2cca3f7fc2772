"""The melody model: a one-layer GRU stepping through sixteenths, and its checkpoint.

Each step sees the previous step's token, its position in the bar, the harmony sounding under it and
the bar's energy, and predicts the next token (rest, hold or a pitch onset); a learned gain on the
harmony's pitch classes lets it favour chord tones where the music does, in any key. Checkpoints are written
and read through v2m_core.learn.payload, so they load with `torch.load(weights_only=True)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

from v2m_core.errors import UsageError
from v2m_core.learn.payload import read_payload, write_payload
from v2m_core.melody.tokens import FIRST_PITCH, HIGH, LOW, TOKENS

FORMAT = "v2m-melody/1"
POSITIONS = 16
"""Step positions told apart (one 4/4 bar of sixteenths); longer bars wrap."""
INPUTS = TOKENS + POSITIONS + 12 + 1
WHAT = "v2m melody model (train one with v2m train melody MIDI_DIR)"


class MelodyModel(nn.Module):
    """GRU over steps; `classes` (12, pitches) spreads a pitch-class vector onto the pitch tokens."""

    classes: torch.Tensor

    def __init__(self, hidden: int = 64) -> None:
        super().__init__()
        self.hidden = hidden
        self.gru = nn.GRU(INPUTS, hidden, batch_first=True)
        self.tokens = nn.Linear(hidden, TOKENS)
        self.fit = nn.Linear(hidden, 1)
        self.register_buffer("classes", nn.functional.one_hot(torch.arange(LOW, HIGH + 1) % 12, 12).float().T,
                             persistent=False)

    def forward(self, inputs: torch.Tensor, state: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """(batch, steps, INPUTS) -> next-token logits (batch, steps, TOKENS), next state.

        Each pitch's logit also gets the harmony weight of its pitch class times a learned, state-dependent
        gain: how much to favour sounding pitch classes is one number per step, the same in every key."""
        out, state = self.gru(inputs, state)
        harmony = inputs[..., TOKENS + POSITIONS:TOKENS + POSITIONS + 12]
        bonus = self.fit(out) * 12 * (harmony @ self.classes)
        return self.tokens(out) + nn.functional.pad(bonus, (FIRST_PITCH, 0)), state


def step_inputs(previous: torch.Tensor, positions: torch.Tensor, harmony: torch.Tensor,
                energy: torch.Tensor) -> torch.Tensor:
    """Concatenate previous tokens (..), step positions (..), harmony (.., 12) and energy (..)."""
    return torch.cat([nn.functional.one_hot(previous, TOKENS).to(harmony.dtype),
                      nn.functional.one_hot(positions % POSITIONS, POSITIONS).to(harmony.dtype),
                      harmony, energy[..., None]], dim=-1)


def save_model(path: Path, model: MelodyModel, training: dict[str, Any]) -> None:
    write_payload(path, {"format": FORMAT, "hidden": model.hidden, "range": [LOW, HIGH],
                         "model": model.state_dict(), "training": training})


def load_model(path: Path) -> tuple[MelodyModel, dict[str, Any]]:
    """The model in eval mode and the training summary saved with it."""
    payload = read_payload(path, FORMAT, WHAT)
    if payload["range"] != [LOW, HIGH]:
        raise UsageError(f"{path}: melody model made for the pitch range {payload['range']}, not {[LOW, HIGH]}")
    model = MelodyModel(int(payload["hidden"]))
    model.load_state_dict(payload["model"])
    return model.eval(), payload["training"]
