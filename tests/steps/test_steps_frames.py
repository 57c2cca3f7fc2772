"""FrameAnalysisStep: frame-precise cuts and sensible per-second features."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from v2m_core.interfaces.step import StepContext
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.schemas.analysis import VideoProbe
from v2m_core.steps.frame_analysis import BRIGHTNESS, FrameAnalysisStep
from v2m_core.testing import StepContract

FPS = 25
SCENES = [
    SceneSpec(2.0, "smptebars", brightness=0.4, saturation=0.5, motion="static"),
    SceneSpec(1.3, "mandelbrot", brightness=0.9, saturation=0.9, motion="slow"),
    SceneSpec(2.6, "testsrc2", brightness=1.5, saturation=1.8, motion="fast"),
    SceneSpec(1.7, "color", brightness=0.5, saturation=0.6, motion="static"),
    SceneSpec(1.1, "life", motion="slow"),
    SceneSpec(2.2, "smptebars", brightness=1.6, saturation=1.6, motion="fast"),
]


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[float]]:
    folder = tmp_path_factory.mktemp("frames")
    video = folder / "cuts.mp4"
    cuts = make_video(video, SCENES, size=(320, 180), fps=FPS)
    fractions: list[float] = []
    FrameAnalysisStep().run(StepContext(video=video, workdir=folder, progress=fractions.append))
    assert fractions and fractions[-1] == 1.0 and fractions == sorted(fractions)
    return folder, cuts


def test_finds_every_cut_within_a_frame_and_nothing_else(analysed: tuple[Path, list[float]]) -> None:
    folder, expected = analysed
    found = json.loads((folder / "cuts.json").read_text())
    assert len(found) == len(expected) == len(SCENES) - 1
    assert np.max(np.abs(np.array(found) - np.array(expected))) <= 1.0 / FPS + 1e-6


def test_writes_probe_and_one_row_per_started_second(analysed: tuple[Path, list[float]]) -> None:
    folder, _ = analysed
    info = VideoProbe.model_validate_json((folder / "probe.json").read_text())
    visual = np.load(folder / "visual.npy")
    assert visual.dtype == np.float32 and visual.shape == (int(np.ceil(info.duration - 1e-6)), 4)
    assert np.all((visual >= 0) & (visual <= 1))


def test_dark_static_and_bright_fast_scenes_differ_as_expected(analysed: tuple[Path, list[float]]) -> None:
    folder, _ = analysed
    visual = np.load(folder / "visual.npy")
    dark, bright = visual[0:2], visual[4:5]  # inside scene 1 (dark, static) and scene 3 (bright, fast)
    assert bright[:, 0].min() > 5 * max(dark[:, 0].max(), 0.005)
    assert bright[:, BRIGHTNESS].min() > dark[:, BRIGHTNESS].max() + 0.2
    assert bright[:, 3].min() > dark[:, 3].max()


def test_short_low_rate_video_fills_every_second(tmp_path: Path) -> None:
    video = tmp_path / "slow.mp4"
    make_video(video, [SceneSpec(2.5, "testsrc2")], size=(160, 90), fps=2)
    FrameAnalysisStep().run(StepContext(video=video, workdir=tmp_path))
    visual = np.load(tmp_path / "visual.npy")
    assert visual.shape == (3, 4) and not np.isnan(visual).any()
    assert json.loads((tmp_path / "cuts.json").read_text()) == []


class TestFrameAnalysisContract(StepContract):
    plugin_class = FrameAnalysisStep
