"""The built-in analysis pipeline: frames, then scenes, then affect, assembled into one VideoAnalysis."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.steps.affect import AffectStep
from v2m_core.steps.files import read_array, read_json, read_probe
from v2m_core.steps.frame_analysis import (
    BRIGHTNESS, COLOURFULNESS, MOTION, SATURATION, FrameAnalysisConfig, FrameAnalysisStep,
)
from v2m_core.steps.scenes import SceneStep


def analyse_video(
    video: Path,
    workdir: Path,
    width: int = 160,
    progress: Callable[[str, float], None] | None = None,
) -> VideoAnalysis:
    """Run the three built-in steps in `workdir` and read their files back; `progress` gets (step name, fraction)."""
    video, workdir = Path(video), Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    steps: list[ExtractorStep] = [FrameAnalysisStep(FrameAnalysisConfig(width=width)), SceneStep(), AffectStep()]
    for step in steps:
        if progress is None:
            step.run(StepContext(video=video, workdir=workdir))
        else:
            step.run(StepContext(video=video, workdir=workdir, progress=partial(progress, step.name)))
    visual = read_array(workdir / "visual.npy")
    scenes = read_array(workdir / "scenes.npy")
    affect = read_array(workdir / "affect.npy")
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
        affect_source="colour-motion",
    )
