"""Frame steps share one decode: the same bytes as each step alone, one decode per video, own caches."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import ClassVar

import pytest

from v2m_core.dataset.plan import PlannedStep
from v2m_core.dataset.runner import StepEvent, VideoTask, build_video
from v2m_core.interfaces.step import StepContext
from v2m_core.media.synthetic import SceneSpec, make_rotated_video, make_video
from v2m_core.schemas.analysis import VideoProbe
from v2m_core.steps.frame_analysis import FrameAnalysisStep
from v2m_core.steps.frame_pass import FrameReader, FrameStep, run_frame_steps
from v2m_core.steps.keyframes import KeyframesConfig, KeyframesStep
from v2m_core.steps.scenes import SceneStep

OUTPUTS = ("probe.json", "visual.npy", "cuts.json", "keyframes.npy")


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("frame-pass")
    plain, phone = folder / "plain.mp4", folder / "phone.mp4"
    make_video(plain, [SceneSpec(1.6, "testsrc2", motion="fast"), SceneSpec(1.5, "smptebars", brightness=0.5)],
               size=(320, 180), fps=25)
    make_rotated_video(phone, rotation=90, duration=2.2, size=(320, 180))
    return {"plain": plain, "phone": phone}


@pytest.mark.parametrize("name", ["plain", "phone"])
def test_one_shared_decode_writes_the_bytes_each_step_writes_alone(
        videos: dict[str, Path], name: str, tmp_path: Path, decodes: list[Path]) -> None:
    video = videos[name]
    alone, together = tmp_path / "alone", tmp_path / "together"
    alone.mkdir()
    together.mkdir()
    for step in (FrameAnalysisStep(), KeyframesStep(KeyframesConfig(size=64))):
        step.run(StepContext(video=video, workdir=alone))
    assert decodes == [video, video]
    context = StepContext(video=video, workdir=together)
    run_frame_steps([(FrameAnalysisStep(), context), (KeyframesStep(KeyframesConfig(size=64)), context)])
    assert decodes == [video] * 3
    for output in OUTPUTS:
        assert (together / output).read_bytes() == (alone / output).read_bytes(), output


def test_the_dataset_runner_decodes_once_and_caches_each_step(
        videos: dict[str, Path], tmp_path: Path, decodes: list[Path]) -> None:
    events: list[StepEvent] = []

    class Sink:
        def put(self, item: StepEvent) -> None:
            events.append(item)

    steps = (PlannedStep(FrameAnalysisStep(), "v2m"), PlannedStep(SceneStep(), "v2m"),
             PlannedStep(KeyframesStep(KeyframesConfig(size=32)), "v2m"))
    task = VideoTask(video_id="plain", video=videos["plain"], folder=tmp_path / "plain",
                     manifests=tmp_path / "manifests", steps=steps, min_seconds=1.0, require_audio=False, events=Sink())
    assert build_video(task).failure is None
    assert [(event.step, event.status) for event in events] == [
        ("frames", "ran"), ("scenes", "ran"), ("keyframes", "ran")]
    assert len(decodes) == 1
    assert sorted(path.name for path in task.manifests.iterdir()) == ["frames.json", "keyframes.json", "scenes.json"]

    events.clear()
    forced = (steps[0], steps[1], PlannedStep(steps[2].step, "v2m", force=True))
    assert build_video(dataclasses.replace(task, steps=forced)).failure is None
    assert [(event.step, event.status) for event in events] == [
        ("frames", "cached"), ("scenes", "cached"), ("keyframes", "ran")]
    assert len(decodes) == 2


def test_a_frame_step_may_read_only_the_video() -> None:
    with pytest.raises(TypeError, match="may read only the video"):
        class Reads(FrameStep):
            name: ClassVar[str] = "reads"
            inputs: ClassVar[tuple[str, ...]] = ("probe.json",)

            def reader(self, context: StepContext, info: VideoProbe) -> FrameReader:
                raise NotImplementedError
