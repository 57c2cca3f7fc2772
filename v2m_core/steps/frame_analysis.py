"""Measures every frame of one decode pass (shared with other frame steps) and finds hard cuts.

Per second: motion (mean absolute luma difference between frames about `motion_interval` apart,
differences that span a cut left out), brightness (mean luma), saturation (mean HSV S) and
colourfulness (Hasler & Suesstrunk 2003). Cuts come from PySceneDetect's ContentDetector fed frame
by frame, timed at the first frame of the new scene.
"""

from __future__ import annotations

import bisect
from collections import deque
from typing import ClassVar

import cv2
import numpy as np
from pydantic import Field
from scenedetect.common import FrameTimecode
from scenedetect.detectors import ContentDetector

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import StepContext
from v2m_core.media.decode import DecodedFrame, FrameScaler, VideoFrame
from v2m_core.schemas.analysis import VideoProbe
from v2m_core.steps.files import second_count, write_array, write_json, write_probe
from v2m_core.steps.frame_pass import FrameReader, FrameStep

COLOURFULNESS_SCALE = 120.0
"""Hasler & Suesstrunk's M for "extremely colourful" is about 109 on 0..255 RGB; M / 120 lands near 0..1."""

MOTION, BRIGHTNESS, SATURATION, COLOURFULNESS = range(4)


class FrameAnalysisConfig(PluginConfig):
    width: int = Field(default=160, ge=16, le=1920, description="Analysis width in pixels (height keeps the aspect).")
    cut_threshold: float = Field(default=27.0, gt=0, description="ContentDetector threshold (PySceneDetect default).")
    min_scene_seconds: float = Field(default=0.5, ge=0, description="Shortest scene; closer cuts are merged.")
    motion_interval: float = Field(default=0.1, gt=0, description="Seconds between frames compared for motion.")


def colourfulness(rgb: np.ndarray) -> float:
    """Hasler & Suesstrunk (2003) colourfulness M of an RGB image, divided by `COLOURFULNESS_SCALE`, at most 1."""
    pixels = rgb.reshape(-1, 3).astype(np.float32)
    rg = pixels[:, 0] - pixels[:, 1]
    yb = 0.5 * (pixels[:, 0] + pixels[:, 1]) - pixels[:, 2]
    spread = np.sqrt(rg.var() + yb.var())
    centre = np.sqrt(rg.mean() ** 2 + yb.mean() ** 2)
    return float(min(1.0, (spread + 0.3 * centre) / COLOURFULNESS_SCALE))


class FrameAnalysisStep(FrameStep[FrameAnalysisConfig]):
    """Measures every frame at low resolution; everything later works from these per-second features."""

    name: ClassVar[str] = "frames"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Per-second motion, brightness, saturation, colourfulness and frame-precise hard cuts."
    outputs: ClassVar[tuple[str, ...]] = ("probe.json", "visual.npy", "cuts.json")

    def reader(self, context: StepContext, info: VideoProbe) -> FrameReader:
        return _FrameMeasures(self.config, context, info)


class _FrameMeasures(FrameReader):
    """Accumulates per-second sums and motion samples frame by frame; cuts come from `_CutFinder`."""

    def __init__(self, config: FrameAnalysisConfig, context: StepContext, info: VideoProbe) -> None:
        self._config, self._context, self._info = config, context, info
        self._scale = FrameScaler(info, config.width)
        self._seconds = second_count(info.duration)
        self._sums = np.zeros((self._seconds, 4), dtype=np.float64)
        self._counts = np.zeros((self._seconds, 4), dtype=np.int64)
        min_scene_frames = max(1, round(config.min_scene_seconds * info.fps))
        self._cut_finder = _CutFinder(config.cut_threshold, min_scene_frames, info.fps)
        self._motion_samples: list[tuple[float, float, float]] = []
        self._reference: tuple[float, np.ndarray] | None = None

    def add(self, decoded: DecodedFrame) -> None:
        config, info = self._config, self._info
        frame = self._scale(decoded)
        row = min(max(int(frame.time), 0), self._seconds - 1)
        gray = cv2.cvtColor(frame.rgb, cv2.COLOR_RGB2GRAY)
        hsv_saturation = cv2.cvtColor(frame.rgb, cv2.COLOR_RGB2HSV)[:, :, 1]
        self._sums[row, 1:] += (gray.mean() / 255.0, hsv_saturation.mean() / 255.0, colourfulness(frame.rgb))
        self._counts[row, 1:] += 1
        if self._reference is None:
            self._reference = (frame.time, gray)
        elif frame.time - self._reference[0] >= config.motion_interval - 0.5 / info.fps:
            start, previous = self._reference
            gap = frame.time - start
            difference = float(cv2.absdiff(gray, previous).mean()) / 255.0
            self._motion_samples.append((start, frame.time, min(1.0, difference * config.motion_interval / gap)))
            self._reference = (frame.time, gray)
        self._cut_finder.add(frame)
        if frame.index % 50 == 0:
            self._context.progress(min(1.0, frame.time / info.duration))

    def finish(self) -> None:
        cuts = sorted(cut for cut in self._cut_finder.cuts if cut > 0)
        for start, end, value in self._motion_samples:
            if not _spans_cut(cuts, start, end):
                row = min(max(int(end), 0), self._seconds - 1)
                self._sums[row, MOTION] += value
                self._counts[row, MOTION] += 1
        write_probe(self._context.path("probe.json"), self._info)
        write_array(self._context.path("visual.npy"), _per_second(self._sums, self._counts))
        write_json(self._context.path("cuts.json"), cuts)
        self._context.progress(1.0)


class _CutFinder:
    """Feeds PySceneDetect's ContentDetector frame by frame and turns the frames it flags into times.

    The detector reports a cut at the first frame of the new scene, possibly some frames late (its
    minimum-scene-length filter); only that many recent frame times are kept.
    """

    def __init__(self, threshold: float, min_scene_frames: int, fps: float) -> None:
        self._detector = ContentDetector(threshold=threshold, min_scene_len=min_scene_frames)
        self._recent: deque[tuple[int, float]] = deque(maxlen=self._detector.event_buffer_length + 2)
        self._fps = fps
        self.cuts: list[float] = []

    def add(self, frame: VideoFrame) -> None:
        self._recent.append((frame.index, frame.time))
        bgr = cv2.cvtColor(frame.rgb, cv2.COLOR_RGB2BGR)
        for timecode in self._detector.process_frame(FrameTimecode(frame.index, fps=self._fps), bgr):
            self.cuts.append(self._time_of(timecode.frame_num))

    def _time_of(self, index: int) -> float:
        for frame_index, time in reversed(self._recent):
            if frame_index <= index:
                return time
        return self._recent[0][1]


def _spans_cut(cuts: list[float], start: float, end: float) -> bool:
    """Whether a cut falls in (start, end]: the two frames compared belong to different scenes."""
    position = bisect.bisect_left(cuts, start + 1e-9)
    return position < len(cuts) and cuts[position] <= end + 1e-9


def _per_second(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Means per second; a second without samples repeats the one before (the first, the next one with data)."""
    means = np.divide(sums, counts, out=np.full_like(sums, np.nan), where=counts > 0)
    for column in range(means.shape[1]):
        values = means[:, column]
        known = np.flatnonzero(~np.isnan(values))
        if known.size == 0:
            values[:] = 0.0
            continue
        filled = known[np.maximum(np.searchsorted(known, np.arange(values.size), side="right") - 1, 0)]
        means[:, column] = values[filled]
    return means.astype(np.float32)
