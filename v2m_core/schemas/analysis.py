"""Per-second description of a video: what the analysis steps produce and planners consume."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from v2m_core.schemas.base import PersistedModel, V2MModel

EMOTIONS: tuple[str, ...] = ("exciting", "fearful", "tense", "sad", "relaxing", "neutral")
"""Video2Music's six emotion classes, in the order of every emotion probability vector."""
EMOTION_PROTOTYPES: dict[str, tuple[float, float]] = {
    "exciting": (0.6, 0.7),
    "fearful": (-0.6, 0.6),
    "tense": (-0.3, 0.4),
    "sad": (-0.6, -0.5),
    "relaxing": (0.5, -0.5),
    "neutral": (0.0, 0.0),
}
"""(valence, arousal) centre of each class: Russell's circumplex placement of the labels (excited high
and pleasant, afraid high and unpleasant, tense nearer the middle, sad low and unpleasant, relaxed
low and pleasant), with neutral at the origin."""

EmotionName = Literal["exciting", "fearful", "tense", "sad", "relaxing", "neutral"]


class VideoProbe(V2MModel):
    """Container facts read before decoding."""

    path: str
    duration: float = Field(gt=0, description="Seconds, from the video stream (container if unknown).")
    fps: float = Field(gt=0, description="Average frame rate.")
    frame_count: int | None = None
    width: int = Field(gt=0, description="Displayed width, after rotation.")
    height: int = Field(gt=0, description="Displayed height, after rotation.")
    rotation: int = Field(default=0, description="Degrees the player rotates the picture (0, 90, 180, 270).")
    video_codec: str = ""
    has_audio: bool = False
    audio_codec: str | None = None
    variable_frame_rate: bool = False


class VideoAnalysis(PersistedModel):
    """Time-aligned per-second features of one video (index i covers [i, i+1) seconds)."""

    probe: VideoProbe
    seconds: int = Field(gt=0, description="Number of per-second rows: ceil(duration).")
    motion: list[float] = Field(description="Mean absolute frame difference, 0..1, per second.")
    brightness: list[float] = Field(description="Mean luma, 0..1, per second.")
    saturation: list[float] = Field(description="Mean HSV saturation, 0..1, per second.")
    colourfulness: list[float] = Field(description="Hasler-Suesstrunk colourfulness, scaled 0..1, per second.")
    cuts: list[float] = Field(description="Hard-cut times in seconds, frame-precise, ascending.")
    scene_id: list[int] = Field(description="Scene index per second (scene holding the second's start).")
    scene_offset: list[float] = Field(description="Seconds since the scene started, per second.")
    valence: list[float] = Field(description="Pleasure estimate, -1..1, per second.")
    arousal: list[float] = Field(description="Arousal estimate, -1..1, per second.")
    emotion: list[list[float]] = Field(description="Probabilities over EMOTIONS, one row per second.")
    affect_source: str = Field(default="colour-motion", description="Which estimator produced valence/arousal/emotion.")

    @model_validator(mode="after")
    def _aligned(self) -> "VideoAnalysis":
        for name in ("motion", "brightness", "saturation", "colourfulness", "scene_id", "scene_offset",
                     "valence", "arousal", "emotion"):
            if len(getattr(self, name)) != self.seconds:
                raise ValueError(f"{name} has {len(getattr(self, name))} rows, expected {self.seconds}")
        if any(len(row) != len(EMOTIONS) for row in self.emotion):
            raise ValueError(f"emotion rows must have {len(EMOTIONS)} probabilities")
        if self.cuts != sorted(self.cuts):
            raise ValueError("cuts must be ascending")
        return self
