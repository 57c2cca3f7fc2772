"""Streaming decode of every frame, small and upright, for per-frame analysis."""

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


def output_size(probe: VideoProbe, width: int) -> tuple[int, int]:
    """Displayed (width, height) after scaling to `width`, keeping the aspect and an even height."""
    height = max(2, int(round(width * probe.height / probe.width / 2.0)) * 2)
    return width, height


def iter_frames(path: Path, width: int, probe: VideoProbe | None = None) -> Iterator[VideoFrame]:
    """Yield every frame of the first video stream, scaled and rotated, one at a time.

    Times come from each frame's own timestamp, so variable-frame-rate video keeps true times.
    A decode error, or an early end, after `COMPLETE_ENOUGH` of the duration ends the stream quietly;
    before that it is a MediaError.
    """
    path = Path(path)
    info = probe if probe is not None else probe_video(path)
    out_width, out_height = output_size(info, width)
    quarter_turns = (-info.rotation // 90) % 4
    coded_width, coded_height = (out_height, out_width) if quarter_turns % 2 else (out_width, out_height)
    scaler = VideoReformatter()  # one instance keeps its scaling context: per-frame set-up would double the cost
    decoded_until = 0.0
    try:
        with av.open(media_url(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            start = float(stream.start_time * stream.time_base) if stream.start_time is not None else 0.0
            for index, frame in enumerate(container.decode(stream)):
                time = (frame.time if frame.time is not None else index / info.fps) - start
                small = scaler.reformat(frame, coded_width, coded_height, "rgb24", interpolation="AREA")
                rgb = small.to_ndarray()
                if quarter_turns:
                    rgb = np.ascontiguousarray(np.rot90(rgb, quarter_turns))
                decoded_until = time + 1.0 / info.fps
                yield VideoFrame(index=index, time=time, rgb=rgb)
    except av.FFmpegError as error:
        if decoded_until < COMPLETE_ENOUGH * info.duration:
            problem = f"corrupt or truncated video: decoding failed at {decoded_until:.2f} s ({error})"
            raise MediaError(path, problem) from error
        return
    if decoded_until < COMPLETE_ENOUGH * info.duration:
        problem = f"corrupt or truncated video: frames end at {decoded_until:.2f} s of {info.duration:.2f} s"
        raise MediaError(path, problem)
