"""compose's analysis: the built-in frames, scenes and affect steps (and an emotion step, with the steps that
write what it reads), made from the plugin registry, ordered and run by the step engine the dataset builder
uses, then read back as one VideoAnalysis.

An emotion step plugin (one that writes `emotion.npy`, such as `emotion-clip` from v2m-semantic)
may replace the colour/motion emotion; valence and arousal then follow from its probabilities.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from v2m_core.errors import UsageError
from v2m_core.interfaces.base import PluginKind
from v2m_core.interfaces.step import ExtractorStep
from v2m_core.plugins.manager import PluginManager
from v2m_core.plugins.settings import settings_for
from v2m_core.schemas.analysis import EMOTIONS, VideoAnalysis
from v2m_core.step_engine.create import create_step
from v2m_core.step_engine.order import order_steps
from v2m_core.step_engine.run import run_steps
from v2m_core.steps.affect import AffectStep, expected_affect
from v2m_core.steps.files import read_array, read_json, read_probe
from v2m_core.steps.frame_analysis import (
    BRIGHTNESS, COLOURFULNESS, MOTION, SATURATION, FrameAnalysisConfig, FrameAnalysisStep,
)
from v2m_core.steps.scenes import SceneStep

EMOTION_FILE = "emotion.npy"
ANALYSIS_STEPS: tuple[type[ExtractorStep[Any]], ...] = (FrameAnalysisStep, SceneStep, AffectStep)
"""What every analysis runs; the files of a VideoAnalysis come from them."""


def analysis_steps(plugins: PluginManager, settings: Mapping[str, Mapping[str, Any]], width: int = 160,
                   emotion: str | None = None) -> list[ExtractorStep[Any]]:
    """compose's analysis steps in run order, each made by the registry with its `plugins.settings` (frames at
    `width`): the built-in three, then the `emotion` step after the registered steps that write what it reads.
    A usage error, before any work, for an emotion step that writes no emotion.npy or reads what no step writes."""
    wanted = [plugins.get(ExtractorStep, step.name) for step in ANALYSIS_STEPS]
    if emotion:
        chosen = plugins.get(ExtractorStep, emotion)
        if EMOTION_FILE not in chosen.outputs:
            raise UsageError(f"step '{emotion}' cannot give compose its emotion: it does not write {EMOTION_FILE} "
                             "(one row of probabilities over EMOTIONS per second)")
        wanted.append(chosen)
    registered = [plugins.get(ExtractorStep, name) for name in plugins.names(PluginKind.STEP)]
    steps = []
    for step in order_steps(wanted, registered):
        step_settings = {**settings_for(settings, PluginKind.STEP, step.name),
                         **({"width": width} if step is FrameAnalysisStep else {})}
        steps.append(create_step(plugins, step.name, step_settings)[0])
    return steps


def analyse_video(
    video: Path,
    workdir: Path,
    width: int = 160,
    progress: Callable[[str, float], None] | None = None,
    steps: Sequence[ExtractorStep[Any]] | None = None,
    more_steps: Sequence[tuple[ExtractorStep[Any], Path]] = (),
) -> VideoAnalysis:
    """Run `steps` (from `analysis_steps`; by default the built-in three at their defaults, frames at `width`)
    in `workdir` and read their files back; `progress` gets (step name, fraction). `more_steps` (a planner's,
    each with its work folder) run after them, their frame steps on the analysis's decode."""
    workdir = Path(workdir)
    if steps is None:
        steps = [FrameAnalysisStep(FrameAnalysisConfig(width=width)), SceneStep(), AffectStep()]
    run_steps(steps, video, workdir, progress, more=more_steps)
    emotion_step = next((step for step in steps if EMOTION_FILE in step.outputs), None)
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
