"""Checkpoints: weights, optimiser state, configuration, vocabulary and feature spec in one file.

Everything is tensors and plain containers, so loading uses `torch.load(weights_only=True)` and a
checkpoint can never run code. Writes are atomic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from v2m_core.learn.features import Normaliser
from v2m_core.learn.model import AffectiveTransformer, build_model
from v2m_core.learn.payload import read_payload, write_payload
from v2m_core.learn.regressor import DynamicsRegressor
from v2m_core.learn.tokens import ChordTokens
from v2m_core.learn.training_config import TrainConfig
from v2m_core.plugins import PluginManager
from v2m_core.schemas.manifest import FeatureSpec

FORMAT = "v2m-amt/1"


@dataclass(frozen=True)
class Dynamics:
    """Training-split statistics of loudness and note density: z-score (mean, scale) and the 5th/95th
    percentiles of the z-scores, which map a prediction onto 0..1 energy."""

    mean: np.ndarray
    scale: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def state(self) -> dict[str, list[float]]:
        return {name: getattr(self, name).tolist() for name in ("mean", "scale", "low", "high")}

    @classmethod
    def from_state(cls, state: dict[str, list[float]]) -> "Dynamics":
        return cls(*(np.asarray(state[name], dtype=np.float32) for name in ("mean", "scale", "low", "high")))

    def energy(self, predicted: np.ndarray) -> np.ndarray:
        """Per-second 0..1 energy: the mean of both predictions scaled between the percentiles."""
        span = np.where(self.high - self.low > 1e-6, self.high - self.low, 1.0)
        return np.clip((predicted - self.low) / span, 0.0, 1.0).mean(axis=1)


@dataclass
class Trained:
    """A model with everything needed to feed it and read it."""

    config: TrainConfig
    tokens: ChordTokens
    specs: list[FeatureSpec]
    normaliser: Normaliser
    model: AffectiveTransformer
    regressor: DynamicsRegressor | None
    dynamics: Dynamics | None

    @property
    def input_dims(self) -> dict[str, int]:
        return {spec.name: spec.dim for spec in self.specs}


def build(config: TrainConfig, tokens: ChordTokens, specs: list[FeatureSpec], normaliser: Normaliser,
          dynamics: Dynamics | None, plugins: PluginManager | None) -> Trained:
    dims = {spec.name: spec.dim for spec in specs}
    model = build_model(config.model, tokens, dims, plugins)
    regressor = DynamicsRegressor(sum(dims.values()), config.regressor_hidden) if dynamics is not None else None
    return Trained(config, tokens, specs, normaliser, model, regressor, dynamics)


def save(path: Path, trained: Trained, training: dict[str, Any]) -> None:
    """`training` holds what resuming needs: optimiser, scheduler, weighting, epoch, history, early-stopping state."""
    payload = {
        "format": FORMAT,
        "config": trained.config.model_dump(mode="json"),
        "tokens": list(trained.tokens.labels),
        "features": [spec.model_dump(mode="json") for spec in trained.specs],
        "normaliser": trained.normaliser.state(),
        "dynamics": trained.dynamics.state() if trained.dynamics else None,
        "model": trained.model.state_dict(),
        "regressor": trained.regressor.state_dict() if trained.regressor else None,
        "training": training,
    }
    write_payload(path, payload)


def read(path: Path, device: str = "cpu") -> dict[str, Any]:
    """The raw payload, loaded without unpickling arbitrary objects."""
    return read_payload(path, FORMAT, "v2m checkpoint", device)


def load(path: Path, device: str = "cpu", plugins: PluginManager | None = None) -> tuple[Trained, dict[str, Any]]:
    """The model in eval mode on `device`, and the training state saved with it."""
    payload = read(path, device)
    normaliser = payload["normaliser"]
    trained = build(TrainConfig.model_validate(payload["config"]), ChordTokens(tuple(payload["tokens"])),
                    [FeatureSpec.model_validate(spec) for spec in payload["features"]],
                    Normaliser(normaliser["mean"], normaliser["scale"]),
                    Dynamics.from_state(payload["dynamics"]) if payload["dynamics"] else None, plugins)
    trained.model.load_state_dict(payload["model"])
    trained.model.to(device).eval()
    if trained.regressor is not None:
        trained.regressor.load_state_dict(payload["regressor"])
        trained.regressor.to(device).eval()
    return trained, payload["training"]
