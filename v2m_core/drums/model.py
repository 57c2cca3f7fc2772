"""The drum model: a one-layer GRU stepping through sixteenths, bar after bar, and its checkpoint.

Each step sees the previous step's velocities, its position in the bar and the bar's conditions,
and predicts per class the chance of a hit and its velocity. Checkpoints hold only tensors and
plain containers, so they load with `torch.load(weights_only=True)` and never run code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from v2m_core.drums.kit import CLASSES
from v2m_core.drums.patterns import CONDITIONS
from v2m_core.errors import UsageError
from v2m_core.learn.payload import read_payload, write_payload

FORMAT = "v2m-drums/2"
POSITIONS = 16
"""Step positions told apart (one 4/4 bar of sixteenths); longer bars wrap."""
INPUTS = len(CLASSES) + POSITIONS + len(CONDITIONS)


class DrumModel(nn.Module):
    def __init__(self, hidden: int = 48) -> None:
        super().__init__()
        self.hidden = hidden
        self.gru = nn.GRU(INPUTS, hidden, batch_first=True)
        self.hits = nn.Linear(hidden, len(CLASSES))
        self.velocities = nn.Linear(hidden, len(CLASSES))

    def forward(self, inputs: torch.Tensor, state: torch.Tensor | None = None
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(batch, steps, INPUTS) -> hit logits, velocities 0..1 (batch, steps, classes), next state."""
        out, state = self.gru(inputs, state)
        return self.hits(out), torch.sigmoid(self.velocities(out)), state


def step_inputs(previous: torch.Tensor, positions: torch.Tensor, conditions: torch.Tensor) -> torch.Tensor:
    """Concatenate previous velocities (.., classes), step positions (..) and conditions (.., CONDITIONS)."""
    onehot = nn.functional.one_hot(positions % POSITIONS, POSITIONS).to(previous.dtype)
    return torch.cat([previous, onehot, conditions], dim=-1)


class DrumPlayer:
    """Samples a model bar by bar, carrying its state and last step across bars (and resetting both
    where the kit rests), so the renderer and the pattern plot play the model the same way."""

    def __init__(self, model: DrumModel, temperature: float = 1.0) -> None:
        self.model, self.temperature = model, temperature
        self.rest()

    def rest(self) -> None:
        self._previous, self._state = torch.zeros(1, 1, len(CLASSES)), None

    @torch.no_grad()
    def bar(self, conditions: np.ndarray, steps: int, rng: np.random.Generator) -> np.ndarray:
        """(steps, classes) velocities 0..1 of one bar under `conditions` (0 where no hit)."""
        conditioned = torch.tensor(conditions[None, None], dtype=torch.float32)
        played = np.zeros((steps, len(CLASSES)))
        for step in range(steps):
            logits, velocity, self._state = self.model(step_inputs(self._previous, torch.tensor([[step]]), conditioned),
                                                       self._state)
            hits = rng.random(len(CLASSES)) < torch.sigmoid(logits[0, 0] / self.temperature).numpy()
            played[step] = np.where(hits, velocity[0, 0].numpy(), 0.0)
            self._previous = torch.tensor(played[step], dtype=torch.float32)[None, None]
        return played


def save_model(path: Path, model: DrumModel, training: dict[str, Any]) -> None:
    """`training` says what the model saw; its "emotion_bars" > 0 tells the renderer the emotion inputs mean something."""
    write_payload(path, {"format": FORMAT, "hidden": model.hidden, "classes": list(CLASSES), "conditions": list(CONDITIONS),
                         "model": model.state_dict(), "training": training})


def load_model(path: Path) -> tuple[DrumModel, dict[str, Any]]:
    """The model in eval mode and the training summary saved with it."""
    payload = read_payload(path, FORMAT, "v2m drum model (train one with v2m train drums MIDI_DIR)")
    if payload["classes"] != list(CLASSES) or payload["conditions"] != list(CONDITIONS):
        raise UsageError(f"{path}: drum model made for another kit or conditions")
    model = DrumModel(int(payload["hidden"]))
    model.load_state_dict(payload["model"])
    return model.eval(), payload["training"]
