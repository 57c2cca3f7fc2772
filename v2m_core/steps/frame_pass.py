"""Steps computed frame by frame from the video, and the one decode that feeds all of them.

Decoding is most of what such a step costs (for 1080p H.264, more than everything it does with the
frames), so every `FrameStep` that runs on a video shares one decode: `run_frame_steps` hands each
decoded frame to every step's `FrameReader`, which converts only what it needs. A frame step reads
nothing but the video (its `inputs` stay empty), so an engine may run it together with the first
frame step it meets; each keeps its own outputs, settings, version and cache entry.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from v2m_core.interfaces.base import ConfigT
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.media.decode import DecodedFrame, iter_decoded
from v2m_core.media.probe import probe
from v2m_core.schemas.analysis import VideoProbe


class FrameReader(ABC):
    """One frame step's work on one video: fed every frame in order, then asked to write its outputs."""

    @abstractmethod
    def add(self, frame: DecodedFrame) -> None: ...

    @abstractmethod
    def finish(self) -> None:
        """Write every output of the step (after the last frame)."""


class FrameStep(ExtractorStep[ConfigT]):
    """An extractor step that needs only the video's frames; `run` alone decodes for it alone."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.inputs:
            raise TypeError(f"frame step {cls.__name__} reads {', '.join(cls.inputs)}: it may read only the video")

    @abstractmethod
    def reader(self, context: StepContext, info: VideoProbe) -> FrameReader:
        """A fresh reader that writes this step's outputs in `context`'s work folder."""

    def run(self, context: StepContext) -> None:
        run_frame_steps([(self, context)])


def run_frame_steps(jobs: Sequence[tuple[FrameStep, StepContext]]) -> None:
    """Run frame steps on one video with a single decode (all contexts name the same video)."""
    if not jobs:
        return
    video = jobs[0][1].video
    if any(context.video != video for _, context in jobs):
        raise ValueError("run_frame_steps: every step must read the same video")
    info = probe(video)
    readers = [step.reader(context, info) for step, context in jobs]
    for frame in iter_decoded(video, info):
        for reader in readers:
            reader.add(frame)
    for reader in readers:
        reader.finish()
