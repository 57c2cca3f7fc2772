"""Valence, arousal and Video2Music's six emotion probabilities, estimated from colour and motion.

Colour follows Valdez & Mehrabian (1994), "Effects of color on emotions", J. Exp. Psychol. Gen.
123(4), whose regressions on brightness B and saturation S are

    pleasure = .69 B + .22 S,   arousal = -.31 B + .60 S,   (dominance = .76 B + .32 S, unused).

B and S are taken in 0..1 and centred to -1..1 (2x - 1), so both results stay within -1..1.
Valdez & Mehrabian's saturation is a Munsell-like chroma; HSV saturation is unreliable in dark
pixels (a near-black pixel can have S = 1), so the perceptual colourfulness measure (which grows
with chroma) stands in for S. Motion raises arousal: the final arousal is the mean of the colour
arousal and a motion term 2 (1 - exp(-motion / MOTION_SCALE)) - 1, which is -1 for a still picture
and approaches +1 for strong motion. Both series are smoothed over `smoothing_seconds` within each
scene, so moods change at cuts rather than drifting across them.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field
from scipy.ndimage import uniform_filter1d

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.schemas.analysis import EMOTIONS
from v2m_core.steps.files import read_array, write_array
from v2m_core.steps.frame_analysis import BRIGHTNESS, COLOURFULNESS, MOTION

MOTION_SCALE = 0.04
"""Mean frame difference (per 0.1 s) at which motion counts as clearly moving: 1 - 1/e of the way to +1."""

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


class AffectConfig(PluginConfig):
    smoothing_seconds: int = Field(default=3, ge=1, description="Moving-average window within a scene.")
    motion_weight: float = Field(default=0.5, ge=0, le=1, description="Share of arousal that comes from motion.")
    temperature: float = Field(default=0.1, gt=0, description="Softmax temperature on squared prototype distances.")


def colour_affect(brightness: np.ndarray, saturation: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Valdez & Mehrabian's pleasure and arousal from brightness and saturation in 0..1."""
    b, s = 2.0 * brightness - 1.0, 2.0 * saturation - 1.0
    return 0.69 * b + 0.22 * s, -0.31 * b + 0.60 * s


def emotion_probabilities(valence: np.ndarray, arousal: np.ndarray, temperature: float) -> np.ndarray:
    """(n x 6) softmax over negative squared distances to `EMOTION_PROTOTYPES`, in EMOTIONS order."""
    prototypes = np.array([EMOTION_PROTOTYPES[name] for name in EMOTIONS])
    points = np.stack([valence, arousal], axis=1)
    logits = -((points[:, None, :] - prototypes[None, :, :]) ** 2).sum(axis=2) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    return weights / weights.sum(axis=1, keepdims=True)


def expected_affect(emotion: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Valence and arousal implied by (n x 6) emotion probabilities: the probability-weighted mean of
    the prototypes, so an emotion from elsewhere (a CLIP step) still drives energy and tempo."""
    prototypes = np.array([EMOTION_PROTOTYPES[name] for name in EMOTIONS])
    affect = np.asarray(emotion, dtype=float) @ prototypes
    return affect[:, 0], affect[:, 1]


def smooth_within_scenes(values: np.ndarray, scene_ids: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average that never mixes seconds of different scenes."""
    smoothed = values.copy()
    for scene in np.unique(scene_ids):
        rows = np.flatnonzero(scene_ids == scene)
        smoothed[rows] = uniform_filter1d(values[rows], size=window, mode="nearest")
    return smoothed


class AffectStep(ExtractorStep):
    """Rule-based affect that needs no model: the default until a learned recognizer replaces it."""

    name: ClassVar[str] = "affect"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Valence, arousal and emotion probabilities from brightness, colourfulness and motion."
    inputs: ClassVar[tuple[str, ...]] = ("visual.npy", "scenes.npy")
    outputs: ClassVar[tuple[str, ...]] = ("affect.npy",)
    Config = AffectConfig

    def run(self, context: StepContext) -> None:
        config = self.config
        assert isinstance(config, AffectConfig)
        visual = read_array(context.path("visual.npy")).astype(np.float64)
        scene_ids = read_array(context.path("scenes.npy"))[:, 0]
        valence, colour_arousal = colour_affect(visual[:, BRIGHTNESS], visual[:, COLOURFULNESS])
        motion_arousal = 2.0 * (1.0 - np.exp(-visual[:, MOTION] / MOTION_SCALE)) - 1.0
        arousal = (1.0 - config.motion_weight) * colour_arousal + config.motion_weight * motion_arousal
        valence = smooth_within_scenes(valence, scene_ids, config.smoothing_seconds)
        arousal = smooth_within_scenes(arousal, scene_ids, config.smoothing_seconds)
        emotions = emotion_probabilities(valence, arousal, config.temperature)
        write_array(context.path("affect.npy"), np.column_stack([valence, arousal, emotions]))
        context.progress(1.0)
