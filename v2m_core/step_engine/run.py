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
              progress: Callable[[str, float], None] | None = None,
              more: Sequence[tuple[ExtractorStep[Any], Path]] = ()) -> None:
    """Run `steps`, already in order, on `video` in `workdir` (created): compose's analysis, and the steps a
    dataset build finds stale in its cache; then `more`, each in its own folder (a planner's steps, after
    the analysis). Every frame step runs where the first one is, on one shared decode; `progress` hears
    (step name, fraction)."""
    video = Path(video)
    placed = [*((step, Path(workdir)) for step in steps), *((step, Path(folder)) for step, folder in more)]
    for folder in {folder for _, folder in placed}:
        folder.mkdir(parents=True, exist_ok=True)

    def context(step: ExtractorStep[Any], folder: Path) -> StepContext:
        if progress is None:
            return StepContext(video=video, workdir=folder)
        return StepContext(video=video, workdir=folder, progress=partial(progress, step.name))

    frame_steps = [(step, folder) for step, folder in placed if isinstance(step, FrameStep)]
    for step, folder in placed:
        if not isinstance(step, FrameStep):
            step.run(context(step, folder))
        elif step is frame_steps[0][0]:
            run_frame_steps([(frame_step, context(frame_step, place)) for frame_step, place in frame_steps])
