"""Emotion probabilities from the colour-and-motion affect estimate, as the dataset's emotion stream.

The fallback when no CLIP weights are available for zero-shot emotion (the `emotion-clip` step of
the v2m-semantic plugin writes the same file from the picture's content).
"""

from __future__ import annotations

from typing import ClassVar

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.steps.files import read_array, write_array


class EmotionFromAffectStep(ExtractorStep[PluginConfig]):
    name: ClassVar[str] = "emotion-affect"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Six emotion probabilities per second from the affect step (colour and motion)."
    inputs: ClassVar[tuple[str, ...]] = ("affect.npy",)
    outputs: ClassVar[tuple[str, ...]] = ("emotion.npy",)

    def run(self, context: StepContext) -> None:
        write_array(context.path("emotion.npy"), read_array(context.path("affect.npy"))[:, 2:])
        context.progress(1.0)
