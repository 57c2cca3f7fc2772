"""What `v2m train` runs with: the model's shape plus every training and regularisation option."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from v2m_core.learn.model import ModelConfig
from v2m_core.schemas.base import V2MModel


class TrainConfig(V2MModel):
    model: ModelConfig = Field(default_factory=ModelConfig)
    features: list[str] | None = Field(default=None, description="Input streams; default: every non-target stream.")
    window: int = Field(default=300, ge=2, description="Longest training window (seconds); videos are cropped, never capped.")
    min_window: int = Field(default=32, ge=1, description="Shortest random time crop (seconds).")
    batch_size: int = Field(default=8, ge=1)
    epochs: int = Field(default=50, ge=1)
    learning_rate: float = Field(default=3e-4, gt=0)
    weight_decay: float = Field(default=0.01, ge=0, description="AdamW decoupled weight decay.")
    warmup: float = Field(default=0.05, ge=0, lt=1, description="Share of steps with a linear warm-up; cosine decay after.")
    patience: int = Field(default=5, ge=1, description="Epochs without a better validation loss before stopping.")
    emotion_weight: float = Field(default=0.6, ge=0, le=1,
                                  description="Weight of the emotion term (chord CE gets 1 - it); Video2Music: 0.6.")
    weighting: Literal["fixed", "uncertainty"] = Field(
        default="fixed", description="fixed: the weight above; uncertainty: learned (Kendall et al., 2018).")
    transpose: bool = Field(default=True, description="Shift all chords of a window by a random key (0-11 semitones).")
    noise: float = Field(default=0.05, ge=0, description="Std of Gaussian noise added to normalised features.")
    regressor_hidden: int = Field(default=64, ge=1, description="Hidden size of the loudness/note-density bi-GRU.")
    grad_clip: float = Field(default=1.0, gt=0)
    seed: int = 0
    device: Literal["cpu", "cuda"] = "cpu"
    precision: Literal["auto", "fp32", "bf16"] = Field(
        default="auto", description="Arithmetic of the forward passes: bf16 autocast, or float32; auto: bf16 on a "
                                    "CUDA device that supports it, float32 on CPU.")

    @model_validator(mode="after")
    def _windows(self) -> "TrainConfig":
        if self.min_window > self.window:
            raise ValueError(f"min_window {self.min_window} exceeds window {self.window}")
        return self
