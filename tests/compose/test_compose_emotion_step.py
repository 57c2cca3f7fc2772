"""An emotion step plugin (one writing emotion.npy) can replace the colour/motion emotion in compose."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from v2m_core.compose.pipeline import compose
from v2m_core.errors import UsageError
from v2m_core.interfaces import ExtractorStep, StepContext
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.plugins import hookimpl
from v2m_core.plugins.hookspecs import Register
from v2m_core.schemas.analysis import EMOTION_PROTOTYPES, EMOTIONS
from v2m_core.schemas.config import ComposeConfig
from v2m_core.steps.files import read_array, second_count, write_array
from v2m_core.testing.fixtures import isolated_manager


class SadFromKeyframes(ExtractorStep):
    """Reads the keyframes (so compose must make them) and calls every second sad."""

    name: ClassVar[str] = "always-sad"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Every second sad."
    inputs: ClassVar[tuple[str, ...]] = ("keyframes.npy",)
    outputs: ClassVar[tuple[str, ...]] = ("emotion.npy",)

    def run(self, context: StepContext) -> None:
        seconds = len(read_array(context.path("keyframes.npy")))
        write_array(context.path("emotion.npy"), np.tile(np.eye(len(EMOTIONS))[EMOTIONS.index("sad")], (seconds, 1)))


class NoEmotion(SadFromKeyframes):
    name: ClassVar[str] = "no-emotion"
    outputs: ClassVar[tuple[str, ...]] = ("other.npy",)


@hookimpl
def register_steps(register: Register) -> None:
    register(SadFromKeyframes)
    register(NoEmotion)


@pytest.fixture(scope="module")
def bright_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Fast, colourful test patterns: the colour/motion estimate calls this anything but sad."""
    video = tmp_path_factory.mktemp("emotion-step") / "clip.mp4"
    make_video(video, [SceneSpec(3.0, "testsrc2", motion="fast"), SceneSpec(3.0, "smptebars", motion="fast")],
               size=(160, 90), fps=15)
    return video


def test_the_emotion_step_decides_the_emotion_and_the_affect_follows(bright_video: Path, tmp_path: Path) -> None:
    manager = isolated_manager(sys.modules[__name__])
    plain = compose(bright_video, tmp_path / "plain.wav", ComposeConfig(), plugins=manager)
    assert plain.analysis.affect_source == "colour-motion" and {s.emotion for s in plain.plan.sections} != {"sad"}
    sad = compose(bright_video, tmp_path / "sad.wav", ComposeConfig(emotion="always-sad"), plugins=manager,
                  keep=tmp_path / "work")
    assert sad.analysis.affect_source == "always-sad" and {s.emotion for s in sad.plan.sections} == {"sad"}
    assert sad.analysis.valence == pytest.approx([EMOTION_PROTOTYPES["sad"][0]] * sad.analysis.seconds)
    assert sad.plan.key.mode == "minor" and (tmp_path / "work" / "analysis" / "keyframes.npy").is_file()
    assert second_count(sad.analysis.probe.duration) == sad.analysis.seconds


def test_a_step_that_writes_no_emotion_is_refused_before_analysis(bright_video: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no-emotion.*emotion.npy"):
        compose(bright_video, tmp_path / "x.wav", ComposeConfig(emotion="no-emotion"),
                plugins=isolated_manager(sys.modules[__name__]))
    assert not (tmp_path / "x.wav").exists()
