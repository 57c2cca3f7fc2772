"""The built-in analysis pipeline: frames, then scenes, then affect, assembled into one VideoAnalysis.

An emotion step plugin (one that writes `emotion.npy`, such as `emotion-clip` from v2m-semantic)
may replace the colour/motion emotion; valence and arousal then follow from its probabilities.
`run_steps` is how compose runs steps, these and those a planner asks for (the amt planner's input streams),
all frame steps on one decode.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import numpy as np

from v2m_core.errors import UsageError
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.schemas.analysis import EMOTIONS, VideoAnalysis
from v2m_core.steps.affect import AffectStep, expected_affect
from v2m_core.steps.files import read_array, read_json, read_probe
from v2m_core.steps.frame_analysis import (
    BRIGHTNESS, COLOURFULNESS, MOTION, SATURATION, FrameAnalysisConfig, FrameAnalysisStep,
)
from v2m_core.steps.frame_pass import FrameStep, run_frame_steps
from v2m_core.steps.keyframes import KeyframesStep
from v2m_core.steps.scenes import SceneStep

EMOTION_FILE = "emotion.npy"
ON_REQUEST: dict[str, type[ExtractorStep]] = {"keyframes.npy": KeyframesStep}
"""Built-in steps run only when an emotion step needs what they write."""


def analyse_video(
    video: Path,
    workdir: Path,
    width: int = 160,
    progress: Callable[[str, float], None] | None = None,
    emotion_step: ExtractorStep | None = None,
    more_steps: Sequence[tuple[ExtractorStep, Path]] = (),
) -> VideoAnalysis:
    """Run the three built-in steps in `workdir` (then `emotion_step` and what it needs) and read their
    files back; `progress` gets (step name, fraction). `more_steps` (a planner's, each with its work folder)
    run after them, their frame steps on the analysis's decode."""
    workdir = Path(workdir)
    steps: list[ExtractorStep] = [FrameAnalysisStep(FrameAnalysisConfig(width=width)), SceneStep(), AffectStep()]
    if emotion_step is not None:
        steps += [*_inputs_for(emotion_step, steps), emotion_step]
    run_steps([*((step, workdir) for step in steps), *more_steps], video, progress)
    visual = read_array(workdir / "visual.npy")
    scenes = read_array(workdir / "scenes.npy")
    affect = read_array(workdir / "affect.npy")
    source = "colour-motion"
    if emotion_step is not None:
        emotion = read_array(workdir / EMOTION_FILE)
        if emotion.shape != (visual.shape[0], len(EMOTIONS)):
            raise UsageError(f"{emotion_step.name} wrote {EMOTION_FILE} of shape {emotion.shape}, "
                             f"expected ({visual.shape[0]}, {len(EMOTIONS)}): one row of {EMOTIONS} per second")
        affect = np.column_stack([*expected_affect(emotion), emotion])
        source = emotion_step.name
    return VideoAnalysis(
        probe=read_probe(workdir / "probe.json"),
        seconds=visual.shape[0],
        motion=visual[:, MOTION].tolist(),
        brightness=visual[:, BRIGHTNESS].tolist(),
        saturation=visual[:, SATURATION].tolist(),
        colourfulness=visual[:, COLOURFULNESS].tolist(),
        cuts=[float(cut) for cut in read_json(workdir / "cuts.json")],
        scene_id=[int(scene) for scene in scenes[:, 0]],
        scene_offset=scenes[:, 1].tolist(),
        valence=affect[:, 0].tolist(),
        arousal=affect[:, 1].tolist(),
        emotion=affect[:, 2:].tolist(),
        affect_source=source,
    )


def run_steps(steps: Sequence[tuple[ExtractorStep, Path]], video: Path,
              progress: Callable[[str, float], None] | None = None) -> None:
    """Run `steps`, already in order, on `video`, each in its work folder (created): how compose runs every
    step it needs, the analysis's and a planner's (the dataset builder adds its cache around the same `run`).
    Every frame step runs where the first one is, on one shared decode (they read only the video)."""
    video = Path(video)
    for folder in {Path(workdir) for _, workdir in steps}:
        folder.mkdir(parents=True, exist_ok=True)

    def context(step: ExtractorStep, workdir: Path) -> StepContext:
        if progress is None:
            return StepContext(video=video, workdir=Path(workdir))
        return StepContext(video=video, workdir=Path(workdir), progress=partial(progress, step.name))

    frame_steps = [(step, workdir) for step, workdir in steps if isinstance(step, FrameStep)]
    for step, workdir in steps:
        if not isinstance(step, FrameStep):
            step.run(context(step, workdir))
        elif step is frame_steps[0][0]:
            run_frame_steps([(frame_step, context(frame_step, folder)) for frame_step, folder in frame_steps])


def _inputs_for(step: ExtractorStep, made: list[ExtractorStep]) -> list[ExtractorStep]:
    """The on-request built-in steps that write what `step` reads; a usage error for what none writes."""
    available = {name for done in made for name in done.outputs}
    missing = [name for name in step.inputs if name not in available]
    unknown = [name for name in missing if name not in ON_REQUEST]
    if EMOTION_FILE not in step.outputs or unknown:
        raise UsageError(f"step '{step.name}' cannot give compose its emotion: it must write {EMOTION_FILE} "
                         f"from {', '.join(sorted({*available, *ON_REQUEST}))}"
                         + (f" (it reads {', '.join(unknown)})" if unknown else ""))
    return [ON_REQUEST[name]() for name in missing]
