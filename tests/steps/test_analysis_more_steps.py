"""A planner's steps (`analyse_video(more_steps=...)`) run on the analysis's decode, each in its own folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from v2m_core.analysis import analyse_video
from v2m_core.interfaces.step import StepContext
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.steps.keyframes import KeyframesConfig, KeyframesStep


def test_a_planners_frame_step_shares_the_analysis_decode(tmp_path: Path, decodes: list[Path]) -> None:
    video = tmp_path / "clip.mp4"
    make_video(video, [SceneSpec(1.2, "testsrc2", motion="fast"), SceneSpec(1.0, "smptebars")], size=(160, 90))
    alone = tmp_path / "alone"
    alone.mkdir()
    KeyframesStep(KeyframesConfig(size=32)).run(StepContext(video=video, workdir=alone))
    decodes.clear()  # the step alone decoded once; count the analysis's decodes from here
    features = tmp_path / "work" / "features"
    analysis = analyse_video(video, tmp_path / "work" / "analysis",
                             more_steps=[(KeyframesStep(KeyframesConfig(size=32)), features)])
    assert decodes == [video]
    assert analysis.cuts == [pytest.approx(1.2)]
    assert (features / "keyframes.npy").read_bytes() == (alone / "keyframes.npy").read_bytes()
    assert not (tmp_path / "work" / "analysis" / "keyframes.npy").exists()
