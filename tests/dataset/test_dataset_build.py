"""The build engine: failures, caching, step selection, splits, vocabulary, plugins, kill -9 resume."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from tests.dataset.music_videos import MusicVideo, copy_videos, core_config, dataset_manager
from v2m_core.dataset.build import BuildResult, build_dataset
from v2m_core.dataset.plan import BuildOptions
from v2m_core.dataset.validate import validate_dataset
from v2m_core.errors import UsageError
from v2m_core.interfaces.base import PluginKind
from v2m_core.interfaces.recognizer import ChordRecognizer
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.plugins import PluginManager, hookimpl
from v2m_core.plugins.hookspecs import Register
from v2m_core.schemas.chords import ChordSegment, ChordTimeline
from v2m_core.steps.files import read_array, write_array


class AlwaysDMinor(ChordRecognizer):
    """A second recognizer to switch to: labels everything D minor."""

    name = "always-d-minor"
    version = "1.0.0"
    description = "Test recognizer."

    def recognize(self, audio: np.ndarray, sample_rate: int) -> ChordTimeline:
        return ChordTimeline(segments=[ChordSegment(start=0, end=len(audio) / sample_rate, label="D:min")],
                             vocabulary="majmin", source=self.name)


class BrightnessChange(ExtractorStep):
    """A third-party step adding a feature the core knows nothing about."""

    name: ClassVar[str] = "brightness-change"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Per-second change in brightness."
    inputs: ClassVar[tuple[str, ...]] = ("visual.npy",)
    outputs: ClassVar[tuple[str, ...]] = ("brightness_change.npy",)

    def run(self, context: StepContext) -> None:
        brightness = read_array(context.path("visual.npy"))[:, 1]
        write_array(context.path("brightness_change.npy"), np.diff(brightness, prepend=brightness[0])[:, None])


@hookimpl
def register_steps(register: Register) -> None:
    register(BrightnessChange)


@hookimpl
def register_chord_recognizers(register: Register) -> None:
    register(AlwaysDMinor)


def _with_test_plugins(manager: PluginManager) -> PluginManager:
    """The dataset manager plus this module's test recognizer and third-party step."""
    manager.register_module(sys.modules[__name__], source="entry-point", package="tests", entry_point="tests")
    return manager


def ran(result: BuildResult) -> dict[str, set[str]]:
    """Step -> videos it actually ran for (not cached)."""
    steps: dict[str, set[str]] = {}
    for event in result.events:
        if event.status == "ran":
            steps.setdefault(event.step, set()).add(event.video)
    return steps


def tree_digest(root: Path) -> dict[str, str]:
    """Every committed file of a dataset (the .v2m cache, which holds timings, left out) -> sha256."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".v2m" not in p.relative_to(root).parts}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, music_videos: dict[str, MusicVideo],
          bad_videos: dict[str, Path]) -> tuple[Path, Path, BuildResult]:
    folder = tmp_path_factory.mktemp("build")
    videos = copy_videos([v.path for v in music_videos.values()] + list(bad_videos.values()), folder / "videos")
    result = build_dataset(videos, folder / "dataset", core_config(), dataset_manager())
    return videos, folder / "dataset", result


def test_bad_videos_are_reported_and_never_stop_the_others(built: tuple[Path, Path, BuildResult]) -> None:
    _, dataset, result = built
    failures = {f.video: f for f in result.failures}
    assert set(failures) == {"silent", "corrupt", "short"}
    assert "no audio" in failures["silent"].error and "too short" in failures["short"].error
    assert "corrupt" in failures["corrupt"].error
    assert json.loads((dataset / "failures.json").read_text()) == [f.model_dump() for f in result.failures]
    manifest = json.loads((dataset / "dataset.json").read_text())
    assert [v["id"] for v in manifest["videos"]] == ["alpha", "beta", "gamma"]
    assert validate_dataset(dataset) == []


def test_outputs_match_the_known_truth(built: tuple[Path, Path, BuildResult], music_videos: dict[str, MusicVideo]) -> None:
    _, dataset, _ = built
    for name, video in music_videos.items():
        folder = dataset / "videos" / name
        labels = [line.split()[2] for line in (folder / "chords.lab").read_text().splitlines()]
        truth = [chord for chord in video.chords for _ in range(2)]
        assert len(labels) == 8 and sum(a == b for a, b in zip(labels, truth)) >= 6, (name, labels)
        cuts = json.loads((folder / "cuts.json").read_text())
        assert len(cuts) == 1 and abs(cuts[0] - video.cut) <= 0.1
        loudness = np.load(folder / "loudness.npy")[:, 0]
        assert loudness.shape == (8,) and loudness[:4].min() > loudness[4:].max()
        assert np.load(folder / "emotion.npy").shape == (8, 6)


def test_a_second_build_reuses_everything(built: tuple[Path, Path, BuildResult]) -> None:
    videos, dataset, _ = built
    before = tree_digest(dataset)
    again = build_dataset(videos, dataset, core_config(), dataset_manager())
    assert ran(again) == {} and tree_digest(dataset) == before


def test_switching_the_recognizer_reruns_only_chords(tmp_path: Path, music_videos: dict[str, MusicVideo]) -> None:
    videos = copy_videos([music_videos["alpha"].path], tmp_path / "videos")
    manager = _with_test_plugins(dataset_manager())
    build_dataset(videos, tmp_path / "ds", core_config(), manager)
    switched = build_dataset(videos, tmp_path / "ds", core_config(recognizer="always-d-minor"), manager)
    assert set(ran(switched)) == {"chords"}
    manifest = json.loads((tmp_path / "ds" / "dataset.json").read_text())
    assert manifest["recognizer"] == "always-d-minor" and manifest["chord_vocabulary"][-1] == "D:min"
    with pytest.raises(UsageError, match="valid names"):
        build_dataset(videos, tmp_path / "ds", core_config(recognizer="no-such-recognizer"), manager)


def test_step_selection_force_and_from_step(tmp_path: Path, music_videos: dict[str, MusicVideo]) -> None:
    videos = copy_videos([music_videos["beta"].path], tmp_path / "videos")
    manager = dataset_manager()
    with pytest.raises(UsageError, match="'audio' writes audio.wav"):
        build_dataset(videos, tmp_path / "ds", core_config(), manager, options=BuildOptions(skip=["audio"]))
    build_dataset(videos, tmp_path / "ds", core_config(), manager)
    skipped = build_dataset(videos, tmp_path / "ds", core_config(), manager, options=BuildOptions(skip=["audio"]))
    assert ran(skipped) == {}
    only = build_dataset(videos, tmp_path / "ds", core_config(), manager,
                         options=BuildOptions(only=["chords"], force=True))
    assert set(ran(only)) == {"chords"}
    resumed = build_dataset(videos, tmp_path / "ds", core_config(), manager, options=BuildOptions(from_step="audio"))
    assert set(ran(resumed)) == {"audio", "loudness", "chords"}
    with pytest.raises(UsageError, match="unknown step"):
        build_dataset(videos, tmp_path / "ds", core_config(), manager, options=BuildOptions(only=["nope"]))


def test_changed_output_is_redone(tmp_path: Path, music_videos: dict[str, MusicVideo]) -> None:
    videos = copy_videos([music_videos["alpha"].path], tmp_path / "videos")
    build_dataset(videos, tmp_path / "ds", core_config(), dataset_manager())
    loudness = tmp_path / "ds" / "videos" / "alpha" / "loudness.npy"
    original = loudness.read_bytes()
    loudness.write_bytes(original[:-4] + b"\0\0\0\0")
    again = build_dataset(videos, tmp_path / "ds", core_config(), dataset_manager())
    assert ran(again) == {"loudness": {"alpha"}} and loudness.read_bytes() == original


def test_splits_vocabulary_and_incremental_updates(tmp_path: Path, music_videos: dict[str, MusicVideo]) -> None:
    videos = copy_videos([music_videos["alpha"].path, music_videos["beta"].path], tmp_path / "videos")
    config = core_config(split_ratios={"train": 0, "val": 1, "test": 1})
    first = build_dataset(videos, tmp_path / "ds", config, dataset_manager()).manifest
    assert first is not None and {v.split for v in first.videos} == {"val", "test"}
    copy_videos([music_videos["gamma"].path], videos)
    second = build_dataset(videos, tmp_path / "ds", config, dataset_manager()).manifest
    assert second is not None
    assert {v.id: v.split for v in second.videos} == {**{v.id: v.split for v in first.videos}, "gamma": "train"}
    assert second.chord_vocabulary[:len(first.chord_vocabulary)] == first.chord_vocabulary
    (videos / "gamma.mp4").unlink()
    third = build_dataset(videos, tmp_path / "ds", config, dataset_manager()).manifest
    assert third is not None and [v.id for v in third.videos] == ["alpha", "beta"]
    assert third.chord_vocabulary == second.chord_vocabulary
    reshuffled = build_dataset(videos, tmp_path / "ds", config.model_copy(update={"preserve_splits": False}),
                               dataset_manager()).manifest
    assert reshuffled is not None and {v.id: v.split for v in reshuffled.videos} == {v.id: v.split for v in first.videos}


def test_a_third_party_step_adds_a_feature(tmp_path: Path, music_videos: dict[str, MusicVideo]) -> None:
    videos = copy_videos([music_videos["alpha"].path], tmp_path / "videos")
    manager = _with_test_plugins(dataset_manager())
    manifest = build_dataset(videos, tmp_path / "ds", core_config(extra_steps=["brightness-change"]), manager).manifest
    assert manifest is not None
    feature = next(f for f in manifest.features if f.name == "brightness_change")
    assert (feature.dim, feature.source, feature.file) == (1, "brightness-change", "brightness_change.npy")
    # what compose needs to make the stream again: the step and those it reads from, as the build ran them
    assert [(s.name, s.package, s.version) for s in feature.steps] == [
        ("frames", "v2m", "1.0.0"), ("brightness-change", "tests", "1.0.0")]
    assert feature.steps[0].settings == manager.create(PluginKind.STEP, "frames").config.model_dump(mode="json")
    assert validate_dataset(tmp_path / "ds") == []


def test_parallel_build_equals_serial(tmp_path: Path, music_videos: dict[str, MusicVideo]) -> None:
    videos = copy_videos([v.path for v in music_videos.values()], tmp_path / "videos")
    build_dataset(videos, tmp_path / "serial", core_config(), dataset_manager())
    parallel = build_dataset(videos, tmp_path / "parallel", core_config(workers=2), dataset_manager())
    assert not parallel.failures and tree_digest(tmp_path / "serial") == tree_digest(tmp_path / "parallel")


def test_kill_9_then_resume_is_byte_identical(tmp_path: Path, music_videos: dict[str, MusicVideo],
                                             bad_videos: dict[str, Path]) -> None:
    videos = copy_videos([v.path for v in music_videos.values()] + [bad_videos["silent"]], tmp_path / "videos")
    build_dataset(videos, tmp_path / "reference", core_config(), dataset_manager())
    script = Path(__file__).with_name("dataset_build_script.py")
    target = tmp_path / "killed"
    kills = 0
    for delay in (1.0, 1.3, 1.6, 1.9, 2.2):
        process = subprocess.Popen([sys.executable, str(script), str(videos), str(target)])
        time.sleep(delay)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
    assert kills >= 3, "the builds finished before they could be killed: lengthen the videos"
    subprocess.run([sys.executable, str(script), str(videos), str(target)], check=True)
    assert tree_digest(target) == tree_digest(tmp_path / "reference")
