"""SceneStep and AffectStep: per-second scene offsets and colour-motion affect."""

from __future__ import annotations


import numpy as np
import pytest

from v2m_core.analysis import analyse_video
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.schemas.analysis import EMOTIONS, VideoAnalysis
from v2m_core.steps.affect import AffectStep, colour_affect, emotion_probabilities
from v2m_core.steps.scenes import SceneStep, scene_rows
from v2m_core.testing import StepContract

Contrast = tuple[VideoAnalysis, list[tuple[str, float]]]


def test_scene_rows_count_seconds_since_each_cut() -> None:
    rows = scene_rows(5.5, [2.0, 3.5])
    assert rows[:, 0].tolist() == [0, 0, 1, 1, 2, 2]
    assert rows[:, 1].tolist() == [0.0, 1.0, 0.0, 1.0, 0.5, 1.5]
    assert scene_rows(0.4, []).tolist() == [[0.0, 0.0]]


def test_valdez_mehrabian_signs() -> None:
    pleasure, arousal = colour_affect(np.array([0.9, 0.1]), np.array([0.5, 0.5]))
    assert pleasure[0] > 0 > pleasure[1] and arousal[0] < arousal[1]
    assert np.all(np.abs(colour_affect(np.array([0.0, 1.0]), np.array([0.0, 1.0]))) <= 1)


def test_emotion_probabilities_sum_to_one_and_follow_the_plane() -> None:
    probabilities = emotion_probabilities(np.array([0.6, -0.6, 0.0]), np.array([0.7, -0.5, 0.0]), 0.1)
    assert np.allclose(probabilities.sum(axis=1), 1)
    assert [EMOTIONS[i] for i in probabilities.argmax(axis=1)] == ["exciting", "sad", "neutral"]


@pytest.fixture(scope="module")
def contrast(tmp_path_factory: pytest.TempPathFactory) -> Contrast:
    folder = tmp_path_factory.mktemp("contrast")
    video = folder / "contrast.mp4"
    make_video(video, [SceneSpec(4.0, "smptebars", brightness=0.3, saturation=0.3, motion="static"),
                       SceneSpec(4.0, "testsrc2", brightness=1.5, saturation=1.8, motion="fast")],
               size=(320, 180), fps=25, audio=True)
    calls: list[tuple[str, float]] = []
    analysis = analyse_video(video, folder / "work", progress=lambda step, fraction: calls.append((step, fraction)))
    return analysis, calls


def test_calm_dark_is_low_arousal_and_bright_fast_is_exciting(contrast: Contrast) -> None:
    analysis, _ = contrast
    calm, lively = slice(0, 4), slice(4, 8)
    arousal = np.array(analysis.arousal)
    emotion = np.array(analysis.emotion)
    assert analysis.cuts == pytest.approx([4.0], abs=0.04)
    assert np.mean(analysis.brightness[lively]) > np.mean(analysis.brightness[calm])
    assert np.mean(analysis.motion[lively]) > np.mean(analysis.motion[calm])
    assert arousal[calm].max() < 0 < arousal[lively].min()
    calm_share = emotion[calm][:, [EMOTIONS.index(n) for n in ("sad", "relaxing", "neutral")]].sum(axis=1)
    assert calm_share.min() > 0.8
    assert all(EMOTIONS[i] == "exciting" for i in emotion[lively].argmax(axis=1))
    assert emotion[lively, EMOTIONS.index("exciting")].mean() > 0.5


def test_analysis_is_aligned_and_reports_progress(contrast: Contrast) -> None:
    analysis, calls = contrast
    assert analysis.seconds == 8 and analysis.affect_source == "colour-motion"
    assert analysis.scene_id == [0, 0, 0, 0, 1, 1, 1, 1] and analysis.scene_offset[4] == pytest.approx(0.0, abs=0.04)
    assert np.allclose(np.array(analysis.emotion).sum(axis=1), 1, atol=1e-5)
    assert [step for step, fraction in calls if fraction == 1.0] == ["frames", "scenes", "affect"]


class TestSceneContract(StepContract):
    plugin_class = SceneStep


class TestAffectContract(StepContract):
    plugin_class = AffectStep
