"""Valence, arousal and Video2Music's six emotion probabilities, estimated from colour and motion.

Colour follows Valdez & Mehrabian (1994), "Effects of color on emotions", J. Exp. Psychol. Gen.
123(4), whose regressions for *standardised* brightness B and saturation S are

    pleasure = .69 B + .22 S,   arousal = -.31 B + .60 S,   (dominance = -.76 B + .32 S, unused).

Standardised means relative to the population judged. Their population was Munsell chips; ours is
ordinary footage, so B and S are standardised against it (`standardise`): each is centred on what
ordinary footage shows and divided by its spread there, clipped to -1..1, so both results stay
within -1..1. Centring on the middle of the 0..1 range instead (as this step did until 1.1) put
ordinary footage below the centre: cameras expose for middle grey (mean luma near 0.4) and most shots
are far from maximally colourful, so a dinner scene read as unpleasant and calm, i.e. "sad", and
nearly every video came out minor.

- B is mean luma; its centre 0.4 is where auto-exposure puts an ordinary shot, and 0.1..0.7
  (night .. bright daylight) maps to -1..1.
- S: HSV saturation is unreliable in dark pixels (a near-black pixel can have S = 1), so the
  perceptual colourfulness of Hasler & Suesstrunk (2003), which grows with chroma, stands in. Its
  centre M = 36 (0.3 on our M / 120 scale) lies between their "moderately" (33) and "averagely
  colourful" (45); M 6..66 ("not" .. "quite colourful") maps to -1..1.

Motion raises arousal: the final arousal is the mean of the colour arousal and a motion term
2 (1 - exp(-motion / MOTION_SCALE)) - 1, which is -1 for a still picture, 0 at a handheld shot's
motion (about 0.014) and approaches +1 for sport and chases. Both series are smoothed over
`smoothing_seconds` within each scene, so moods change at cuts rather than drifting across them.

The classes are checked against synthetic profiles of ordinary footage (tests/steps/
test_affect_calibration.py): daylight street and dinner scenes come out neutral (or relaxing), sport
exciting, night and a horror corridor sad or fearful.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import Field
from scipy.ndimage import uniform_filter1d

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.schemas.analysis import EMOTION_PROTOTYPES, EMOTIONS
from v2m_core.steps.files import read_array, write_array
from v2m_core.steps.frame_analysis import BRIGHTNESS, COLOURFULNESS, MOTION

FOOTAGE_BRIGHTNESS = (0.4, 0.3)
"""(centre, spread) of mean luma over ordinary footage: auto-exposure aims at middle grey."""
FOOTAGE_COLOURFULNESS = (0.3, 0.25)
"""(centre, spread) of colourfulness (Hasler & Suesstrunk M / 120) over ordinary footage."""
MOTION_SCALE = 0.02
"""Mean frame difference (per 0.1 s) at which motion is 1 - 1/e of the way to +1; a handheld shot sits near 0."""


class AffectConfig(PluginConfig):
    smoothing_seconds: int = Field(default=3, ge=1, description="Moving-average window within a scene.")
    motion_weight: float = Field(default=0.5, ge=0, le=1, description="Share of arousal that comes from motion.")
    temperature: float = Field(default=0.1, gt=0, description="Softmax temperature on squared prototype distances.")


def standardise(values: np.ndarray, centre_spread: tuple[float, float]) -> np.ndarray:
    """Values relative to ordinary footage: (value - centre) / spread, clipped to -1..1."""
    centre, spread = centre_spread
    return np.clip((np.asarray(values, dtype=float) - centre) / spread, -1.0, 1.0)


def colour_affect(brightness: np.ndarray, colourfulness: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Valdez & Mehrabian's pleasure and arousal from brightness and colourfulness in 0..1."""
    b = standardise(brightness, FOOTAGE_BRIGHTNESS)
    s = standardise(colourfulness, FOOTAGE_COLOURFULNESS)
    return 0.69 * b + 0.22 * s, -0.31 * b + 0.60 * s


def motion_arousal(motion: np.ndarray) -> np.ndarray:
    """-1 for a still picture, 0 near a handheld shot's motion, towards +1 for strong motion."""
    return 2.0 * (1.0 - np.exp(-np.clip(np.asarray(motion, dtype=float), 0.0, None) / MOTION_SCALE)) - 1.0


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


def affect_rows(visual: np.ndarray, scene_ids: np.ndarray, config: AffectConfig) -> np.ndarray:
    """(n x 8) rows of valence, arousal and the six emotion probabilities for per-second `visual` features."""
    valence, colour_arousal = colour_affect(visual[:, BRIGHTNESS], visual[:, COLOURFULNESS])
    arousal = (1.0 - config.motion_weight) * colour_arousal + config.motion_weight * motion_arousal(visual[:, MOTION])
    valence = smooth_within_scenes(valence, scene_ids, config.smoothing_seconds)
    arousal = smooth_within_scenes(arousal, scene_ids, config.smoothing_seconds)
    return np.column_stack([valence, arousal, emotion_probabilities(valence, arousal, config.temperature)])


class AffectStep(ExtractorStep[AffectConfig]):
    """Rule-based affect that needs no model: the default until a learned recognizer replaces it."""

    name: ClassVar[str] = "affect"
    version: ClassVar[str] = "1.1.0"
    description: ClassVar[str] = "Valence, arousal and emotion probabilities from brightness, colourfulness and motion."
    inputs: ClassVar[tuple[str, ...]] = ("visual.npy", "scenes.npy")
    outputs: ClassVar[tuple[str, ...]] = ("affect.npy",)

    def run(self, context: StepContext) -> None:
        config = self.config
        visual = read_array(context.path("visual.npy")).astype(np.float64)
        scene_ids = read_array(context.path("scenes.npy"))[:, 0]
        write_array(context.path("affect.npy"), affect_rows(visual, scene_ids, config))
        context.progress(1.0)
