"""Running ordered steps on one video in its work folder: each step's `run`, and every frame step on one
shared decode (they read only the video)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.steps.frame_pass import FrameStep, run_frame_steps


def run_steps(steps: Sequence[ExtractorStep[Any]], video: Path, workdir: Path,
              progress: Callable[[str, float], None] | None = None) -> None:
    """Run `steps`, already in order, on `video` in `workdir` (created): compose's analysis and a planner's
    steps, and the steps a dataset build finds stale in its cache. Every frame step runs where the first one
    is, on one shared decode; `progress` hears (step name, fraction)."""
    video, workdir = Path(video), Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    def context(step: ExtractorStep[Any]) -> StepContext:
        if progress is None:
            return StepContext(video=video, workdir=workdir)
        return StepContext(video=video, workdir=workdir, progress=partial(progress, step.name))

    frame_steps = [step for step in steps if isinstance(step, FrameStep)]
    for step in steps:
        if not isinstance(step, FrameStep):
            step.run(context(step))
        elif step is frame_steps[0]:
            run_frame_steps([(frame_step, context(frame_step)) for frame_step in frame_steps])
