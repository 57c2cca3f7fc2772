"""Synthetic videos: exact frame counts and cut times, and a demo clip that shows off the features."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from v2m_core.media.probe import probe
from v2m_core.media.synthetic import DEMO_SCENES, SceneSpec, make_demo_video, make_video, varied_scenes


def _packets(path: Path) -> int:
    command = ["ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0",
               "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", str(path)]
    return int(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def test_many_scenes_keep_every_frame_and_exact_cuts(tmp_path: Path) -> None:
    scenes = [SceneSpec(0.3 + 0.1 * (i % 5), DEMO_SCENES[i % 6].pattern, motion=DEMO_SCENES[i % 6].motion)
              for i in range(24)]
    video = tmp_path / "many.mp4"
    cuts = make_video(video, scenes, size=(64, 36), fps=10)
    frames = [round(scene.duration * 10) for scene in scenes]
    assert _packets(video) == sum(frames)
    assert cuts == pytest.approx(list(np.cumsum(frames)[:-1] / 10))


def test_varied_scenes_fill_the_time_with_changing_neighbours() -> None:
    scenes = varied_scenes(100.0)
    assert sum(scene.duration for scene in scenes) == pytest.approx(100.0)
    assert len({scene.duration for scene in scenes}) > 3 and min(scene.duration for scene in scenes) >= 1.0
    assert all(a.pattern != b.pattern or a.motion != b.motion for a, b in zip(scenes, scenes[1:]))


def test_demo_video_has_varied_scenes_and_quiet_audio(tmp_path: Path) -> None:
    video = tmp_path / "demo.mp4"
    cuts = make_demo_video(video)
    info = probe(video)
    assert 25 <= info.duration <= 35 and (info.width, info.height) == (640, 360) and info.has_audio
    lengths = np.diff([0.0, *cuts, info.duration])
    assert len(cuts) >= 4 and lengths.min() >= 2.0 and lengths.max() - lengths.min() >= 2.0
