"""A planner's steps (`analyse_video(more_steps=...)`) run on the analysis's decode, each in its own folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from v2m_core.analysis import analyse_video
from v2m_core.interfaces.step import StepContext
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.schemas.analysis import VideoProbe
from v2m_core.steps import frame_pass
from v2m_core.steps.keyframes import KeyframesConfig, KeyframesStep


def test_a_planners_frame_step_shares_the_analysis_decode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    video = tmp_path / "clip.mp4"
    make_video(video, [SceneSpec(1.2, "testsrc2", motion="fast"), SceneSpec(1.0, "smptebars")], size=(160, 90))
    alone = tmp_path / "alone"
    alone.mkdir()
    KeyframesStep(KeyframesConfig(size=32)).run(StepContext(video=video, workdir=alone))
    decodes: list[Path] = []
    real = frame_pass.iter_decoded

    def counted(path: Path, probe: VideoProbe | None = None):  # type: ignore[no-untyped-def]
        decodes.append(Path(path))
        return real(path, probe)

    monkeypatch.setattr(frame_pass, "iter_decoded", counted)
    features = tmp_path / "work" / "features"
    analysis = analyse_video(video, tmp_path / "work" / "analysis",
                             more_steps=[(KeyframesStep(KeyframesConfig(size=32)), features)])
    assert decodes == [video]
    assert analysis.cuts == [pytest.approx(1.2)]
    assert (features / "keyframes.npy").read_bytes() == (alone / "keyframes.npy").read_bytes()
    assert not (tmp_path / "work" / "analysis" / "keyframes.npy").exists()
