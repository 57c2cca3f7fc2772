"""One frame per second, square and small, for the embedding and zero-shot emotion steps.

Second i takes the first frame shown at or after i + 0.5 s (the middle of the second), centre-
cropped to a square and resized to `size`; seconds past the last frame repeat it. Only the chosen
frames are converted, so the pass costs little beyond decoding. Stored as uint8 (seconds, size,
size, 3): a quarter of float32's size, and what image models expect before normalisation.
"""

from __future__ import annotations

from typing import ClassVar

import av
import cv2
import numpy as np
from pydantic import Field

from v2m_core.atomic import atomic_path
from v2m_core.errors import MediaError
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.media.ffmpeg import media_url
from v2m_core.steps.files import read_probe, second_count


class KeyframesConfig(PluginConfig):
    size: int = Field(default=224, ge=16, le=1024, description="Side of the square frames (336 for CLIP ViT-L/14@336).")


def centre_square(rgb: np.ndarray, size: int) -> np.ndarray:
    height, width = rgb.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    return cv2.resize(rgb[top:top + side, left:left + side], (size, size), interpolation=cv2.INTER_AREA)


class KeyframesStep(ExtractorStep):
    name: ClassVar[str] = "keyframes"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "One centre-cropped frame per second (uint8), for image models."
    inputs: ClassVar[tuple[str, ...]] = ("probe.json",)
    outputs: ClassVar[tuple[str, ...]] = ("keyframes.npy",)
    Config = KeyframesConfig

    def run(self, context: StepContext) -> None:
        config = self.config
        assert isinstance(config, KeyframesConfig)
        info = read_probe(context.path("probe.json"))
        seconds = second_count(info.duration)
        frames = np.zeros((seconds, config.size, config.size, 3), dtype=np.uint8)
        quarter_turns = (-info.rotation // 90) % 4
        filled = 0
        try:
            with av.open(media_url(context.video)) as container:
                stream = container.streams.video[0]
                stream.thread_type = "AUTO"
                start = float(stream.start_time * stream.time_base) if stream.start_time is not None else 0.0
                for index, frame in enumerate(container.decode(stream)):
                    time = (frame.time if frame.time is not None else index / info.fps) - start
                    if filled >= seconds:
                        break
                    if time + 1e-6 < filled + 0.5:
                        continue
                    rgb = np.rot90(frame.to_ndarray(format="rgb24"), quarter_turns)
                    square = centre_square(np.ascontiguousarray(rgb), config.size)
                    while filled < seconds and time + 1e-6 >= filled + 0.5:
                        frames[filled] = square
                        filled += 1
                    context.progress(filled / seconds)
        except av.FFmpegError as error:
            raise MediaError(context.video, f"cannot decode frames ({error})") from error
        if filled == 0:
            raise MediaError(context.video, "no frames decoded")
        frames[filled:] = frames[filled - 1]
        with atomic_path(context.path("keyframes.npy")) as temporary, temporary.open("wb") as handle:
            np.save(handle, frames)
        context.progress(1.0)
