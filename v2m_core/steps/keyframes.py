"""One frame per second, square and small, for the embedding and zero-shot emotion steps.

Second i takes the first frame shown at or after i + 0.5 s (the middle of the second), centre-
cropped to a square and resized to `size`; seconds past the last frame repeat it. Only the chosen
frames are converted, and the decode is the one every frame step shares (steps/frame_pass.py), so
the step costs little beyond them. Stored as uint8 (seconds, size, size, 3): a quarter of
float32's size, and what image models expect before normalisation.
"""

from __future__ import annotations

from typing import ClassVar

import cv2
import numpy as np
from pydantic import Field

from v2m_core.atomic import atomic_path
from v2m_core.errors import MediaError
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import StepContext
from v2m_core.media.decode import DecodedFrame
from v2m_core.schemas.analysis import VideoProbe
from v2m_core.steps.files import second_count
from v2m_core.steps.frame_pass import FrameReader, FrameStep


class KeyframesConfig(PluginConfig):
    size: int = Field(default=224, ge=16, le=1024, description="Side of the square frames (336 for CLIP ViT-L/14@336).")


def centre_square(rgb: np.ndarray, size: int) -> np.ndarray:
    height, width = rgb.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    return cv2.resize(rgb[top:top + side, left:left + side], (size, size), interpolation=cv2.INTER_AREA)


class KeyframesStep(FrameStep[KeyframesConfig]):
    name: ClassVar[str] = "keyframes"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "One centre-cropped frame per second (uint8), for image models."
    outputs: ClassVar[tuple[str, ...]] = ("keyframes.npy",)

    def reader(self, context: StepContext, info: VideoProbe) -> FrameReader:
        return _KeyframeSampler(self.config.size, context, info)


class _KeyframeSampler(FrameReader):
    """Keeps the first frame at or after each second's middle; converts only those."""

    def __init__(self, size: int, context: StepContext, info: VideoProbe) -> None:
        self._size, self._context = size, context
        self._seconds = second_count(info.duration)
        self._frames = np.zeros((self._seconds, size, size, 3), dtype=np.uint8)
        self._filled = 0

    def add(self, frame: DecodedFrame) -> None:
        if self._filled >= self._seconds or frame.time + 1e-6 < self._filled + 0.5:
            return
        square = centre_square(frame.rgb(), self._size)
        while self._filled < self._seconds and frame.time + 1e-6 >= self._filled + 0.5:
            self._frames[self._filled] = square
            self._filled += 1
        self._context.progress(self._filled / self._seconds)

    def finish(self) -> None:
        if self._filled == 0:
            raise MediaError(self._context.video, "no frames decoded")
        self._frames[self._filled:] = self._frames[self._filled - 1]
        with atomic_path(self._context.path("keyframes.npy")) as temporary, temporary.open("wb") as handle:
            np.save(handle, self._frames)
        self._context.progress(1.0)
