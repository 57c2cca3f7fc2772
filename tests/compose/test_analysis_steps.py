"""compose's analysis comes from the step registry, ordered by the engine the dataset builder uses: a step
that reads what a dataset step writes gets that step in compose too."""

from __future__ import annotations

import sys
from typing import ClassVar

import pytest

from v2m_core.analysis import analysis_steps
from v2m_core.errors import UsageError
from v2m_core.interfaces import ExtractorStep, PluginConfig, StepContext
from v2m_core.plugins import hookimpl
from v2m_core.plugins.hookspecs import Register
from v2m_core.testing import isolated_manager


class EmotionFromSound(ExtractorStep[PluginConfig]):
    name: ClassVar[str] = "emotion-from-sound"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Reads the dataset builder's audio step."
    inputs: ClassVar[tuple[str, ...]] = ("audio.wav",)
    outputs: ClassVar[tuple[str, ...]] = ("emotion.npy",)

    def run(self, context: StepContext) -> None:  # pragma: no cover - only ordered here
        raise NotImplementedError


@hookimpl
def register_steps(register: Register) -> None:
    register(EmotionFromSound)


def test_the_analysis_is_the_built_in_steps_in_order() -> None:
    steps = analysis_steps(isolated_manager(), {}, width=96)
    assert [step.name for step in steps] == ["frames", "scenes", "affect"]
    assert steps[0].config.model_dump()["width"] == 96


def test_an_emotion_step_gets_the_registered_steps_it_reads_from_with_their_settings() -> None:
    manager = isolated_manager(sys.modules[__name__])
    steps = analysis_steps(manager, {"affect": {"motion_weight": 0.25}}, emotion="emotion-from-sound")
    names = [step.name for step in steps]
    assert names[:3] == ["frames", "scenes", "affect"] and names[-1] == "emotion-from-sound"
    assert names.index("audio") < names.index("emotion-from-sound")
    assert steps[2].config.model_dump()["motion_weight"] == 0.25


def test_a_step_that_is_no_emotion_source_is_refused() -> None:
    with pytest.raises(UsageError, match="'affect' cannot give compose its emotion"):
        analysis_steps(isolated_manager(), {}, emotion="affect")
