"""Built-in plugins pass the same contract tests that third-party plugins run on themselves."""

from __future__ import annotations

import os

import numpy as np

from v2m_core.executors.processes import ProcessPoolConfig, ProcessPoolExecutor
from v2m_core.executors.serial import SerialExecutor
from v2m_core.fusion.strategies import AttentionFusionStrategy, ConcatFusionStrategy
from v2m_core.planners.rules import RulePlanner
from v2m_core.recognizers.chroma_template import ChromaTemplateRecognizer
from v2m_core.renderers.bass import BassRenderer
from v2m_core.renderers.chords import ChordsRenderer
from v2m_core.renderers.drums import DrumsRenderer
from v2m_core.renderers.melody import MelodyRenderer
from v2m_core.steps.affect import AffectStep
from v2m_core.steps.frame_analysis import FrameAnalysisStep
from v2m_core.steps.scenes import SceneStep
from v2m_core.synthesizers.fluidsynth import FluidSynthSynthesizer
from v2m_core.testing import (
    ExecutorContract, FusionContract, PlannerContract, RecognizerContract, RendererContract, StepContract,
    SynthesizerContract, chord_tones,
)


class TestChromaTemplate(RecognizerContract):
    plugin_class = ChromaTemplateRecognizer


class TestConcatFusion(FusionContract):
    plugin_class = ConcatFusionStrategy


class TestAttentionFusion(FusionContract):
    plugin_class = AttentionFusionStrategy


class TestChordsRenderer(RendererContract):
    plugin_class = ChordsRenderer


class TestBassRenderer(RendererContract):
    plugin_class = BassRenderer


class TestMelodyRenderer(RendererContract):
    plugin_class = MelodyRenderer


class TestDrumsRenderer(RendererContract):
    plugin_class = DrumsRenderer


class TestFrameAnalysisStep(StepContract):
    plugin_class = FrameAnalysisStep


class TestSceneStep(StepContract):
    plugin_class = SceneStep


class TestAffectStep(StepContract):
    plugin_class = AffectStep


class TestRulePlanner(PlannerContract):
    plugin_class = RulePlanner


class TestFluidSynth(SynthesizerContract):
    plugin_class = FluidSynthSynthesizer


class TestSerialExecutor(ExecutorContract):
    plugin_class = SerialExecutor


class TestProcessPoolExecutor(ExecutorContract):
    plugin_class = ProcessPoolExecutor

    def make_plugin(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(ProcessPoolConfig(workers=2))


def test_chroma_template_follows_a_progression() -> None:
    progression = [([48, 60, 64, 67], "C:maj"), ([45, 57, 60, 64], "A:min"), ([41, 53, 57, 60], "F:maj"),
                   ([43, 55, 59, 62], "G:maj")]
    audio = np.concatenate([chord_tones(pitches, 2.0) for pitches, _ in progression])
    timeline = ChromaTemplateRecognizer().recognize(audio, 22050)
    at = [next(s.label for s in timeline.segments if s.start <= t < s.end) for t in (1.0, 3.0, 5.0, 7.0)]
    assert at == [label for _, label in progression]


def _square(value: int) -> int:
    if value == 3:
        raise ValueError("three is bad")
    return value * value


def test_executors_report_failures_per_item() -> None:
    serial = dict(SerialExecutor().map(_square, [1, 2, 3, 4]))
    pooled = dict(ProcessPoolExecutor(ProcessPoolConfig(workers=2)).map(_square, [1, 2, 3, 4]))
    for results in (serial, pooled):
        assert {k: v for k, v in results.items() if k != 3} == {1: 1, 2: 4, 4: 16}
        assert isinstance(results[3], ValueError)


def _torch_threads(_: int) -> tuple[str | None, int]:
    import torch

    return os.environ.get("OMP_NUM_THREADS"), torch.get_num_threads()


def test_pool_workers_share_the_cores_instead_of_each_taking_all() -> None:
    shared = dict(ProcessPoolExecutor(ProcessPoolConfig(workers=2, threads_per_worker=1)).map(_torch_threads, [0]))
    assert shared[0] == ("1", 1)
    share = max(1, (os.cpu_count() or 1) // 2)
    default = dict(ProcessPoolExecutor(ProcessPoolConfig(workers=2)).map(_torch_threads, [0]))
    assert default[0] == (str(share), share)
