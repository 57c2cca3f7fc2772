"""Streaming decode of every frame, converted only as far as each reader asks (small for analysis,
full size for keyframes), so one decode can serve several readers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from v2m_core.errors import MediaError
from v2m_core.media.ffmpeg import media_url
from v2m_core.media.probe import probe as probe_video
from v2m_core.schemas.analysis import VideoProbe

COMPLETE_ENOUGH = 0.9
"""Fraction of the expected duration after which a decode error counts as a damaged tail, not a failure."""


@dataclass(frozen=True)
class VideoFrame:
    """One decoded frame as displayed: `time` is its presentation time in seconds from the stream start."""

    index: int
    time: float
    rgb: np.ndarray


@dataclass(frozen=True)
class DecodedFrame:
    """One decoded frame before any conversion: readers convert what they need (`rgb`, `FrameScaler`)."""

    index: int
    time: float
    picture: av.VideoFrame
    quarter_turns: int
    """Counter-clockwise quarter turns that show the coded picture upright."""

    def rgb(self) -> np.ndarray:
        """The whole picture, upright, as (height, width, 3) uint8."""
        return np.ascontiguousarray(np.rot90(self.picture.to_ndarray(format="rgb24"), self.quarter_turns))


def output_size(probe: VideoProbe, width: int) -> tuple[int, int]:
    """Displayed (width, height) after scaling to `width`, keeping the aspect and an even height."""
    height = max(2, int(round(width * probe.height / probe.width / 2.0)) * 2)
    return width, height


class FrameScaler:
    """Scales decoded frames to `width` (displayed), area-averaged, then turns them upright.

    One instance per stream keeps its scaling context: per-frame set-up would double the cost.
    """

    def __init__(self, probe: VideoProbe, width: int) -> None:
        out_width, out_height = output_size(probe, width)
        turned = (-probe.rotation // 90) % 2
        self._coded_size = (out_height, out_width) if turned else (out_width, out_height)
        self._reformatter = VideoReformatter()

    def __call__(self, frame: DecodedFrame) -> VideoFrame:
        small = self._reformatter.reformat(frame.picture, *self._coded_size, "rgb24", interpolation="AREA")
        rgb: np.ndarray = small.to_ndarray()
        if frame.quarter_turns:
            rgb = np.ascontiguousarray(np.rot90(rgb, frame.quarter_turns))
        return VideoFrame(index=frame.index, time=frame.time, rgb=rgb)


def iter_decoded(path: Path, probe: VideoProbe | None = None) -> Iterator[DecodedFrame]:
    """Yield every frame of the first video stream, unconverted, one at a time.

    Times come from each frame's own timestamp, so variable-frame-rate video keeps true times.
    A decode error, or an early end, after `COMPLETE_ENOUGH` of the duration ends the stream quietly;
    before that it is a MediaError.
    """
    path = Path(path)
    info = probe if probe is not None else probe_video(path)
    quarter_turns = (-info.rotation // 90) % 4
    decoded_until = 0.0
    try:
        with av.open(media_url(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            start = (float(stream.start_time * stream.time_base)
                     if stream.start_time is not None and stream.time_base is not None else 0.0)
            for index, frame in enumerate(container.decode(stream)):
                time = (frame.time if frame.time is not None else index / info.fps) - start
                decoded_until = time + 1.0 / info.fps
                yield DecodedFrame(index=index, time=time, picture=frame, quarter_turns=quarter_turns)
    except av.FFmpegError as error:
        if decoded_until < COMPLETE_ENOUGH * info.duration:
            problem = f"corrupt or truncated video: decoding failed at {decoded_until:.2f} s ({error})"
            raise MediaError(path, problem) from error
        return
    if decoded_until < COMPLETE_ENOUGH * info.duration:
        problem = f"corrupt or truncated video: frames end at {decoded_until:.2f} s of {info.duration:.2f} s"
        raise MediaError(path, problem)


def iter_frames(path: Path, width: int, probe: VideoProbe | None = None) -> Iterator[VideoFrame]:
    """Yield every frame scaled to `width` and upright, one at a time (see `iter_decoded`)."""
    info = probe if probe is not None else probe_video(Path(path))
    scale = FrameScaler(info, width)
    for frame in iter_decoded(path, info):
        yield scale(frame)
