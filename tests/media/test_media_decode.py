"""iter_frames(): streaming, complete, upright frames with true timestamps."""

from __future__ import annotations

import inspect
import subprocess
from pathlib import Path

import numpy as np
import pytest

from v2m_core.errors import MediaError
from v2m_core.media.decode import iter_frames
from v2m_core.media.ffmpeg import run_ffmpeg
from v2m_core.media.synthetic import SceneSpec, make_rotated_video, make_vfr_video, make_video


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("decode") / "clip.mp4"
    make_video(path, [SceneSpec(1.0, "testsrc2", motion="fast"), SceneSpec(1.0, "smptebars")], size=(320, 180), fps=25)
    return path


def test_frames_stream_one_at_a_time_with_every_frame(clip: Path) -> None:
    frames = iter_frames(clip, 160)
    assert inspect.isgenerator(frames)
    first = next(frames)
    assert (first.index, first.time) == (0, 0.0)
    assert first.rgb.shape == (90, 160, 3) and first.rgb.dtype == np.uint8
    rest = [(frame.index, frame.time) for frame in frames]
    assert len(rest) + 1 == 50
    assert [index for index, _ in rest] == list(range(1, 50))
    assert np.allclose([time for _, time in rest], np.arange(1, 50) / 25.0)


def test_height_keeps_aspect_and_stays_even(clip: Path) -> None:
    frame = next(iter_frames(clip, 100))
    assert frame.rgb.shape[1] == 100 and frame.rgb.shape[0] % 2 == 0 and abs(frame.rgb.shape[0] - 56) <= 2


def test_rotated_video_frames_come_out_as_displayed(tmp_path: Path) -> None:
    video = tmp_path / "phone.mp4"
    make_rotated_video(video, rotation=90, duration=1.0, size=(192, 108))
    frame = next(iter_frames(video, 54))
    assert frame.rgb.shape == (96, 54, 3)
    shown = subprocess.run(  # ffmpeg applies the display matrix itself
        ["ffmpeg", "-v", "error", "-i", str(video), "-frames:v", "1", "-vf", "scale=54:96:flags=area",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True,
    ).stdout
    reference = np.frombuffer(shown, np.uint8).reshape(96, 54, 3).astype(float)
    error = np.abs(frame.rgb - reference).mean()
    upside_down = np.abs(np.rot90(frame.rgb, 2) - reference).mean()
    assert error < 12 and error < upside_down / 2


def test_variable_frame_rate_keeps_true_times(tmp_path: Path) -> None:
    video = tmp_path / "vfr.mp4"
    make_vfr_video(video, size=(160, 90))
    times = np.array([frame.time for frame in iter_frames(video, 80)])
    gaps = np.diff(times)
    assert np.all(gaps > 0)
    assert np.allclose(gaps[times[1:] < 1.9], 0.04, atol=1e-3)
    assert np.allclose(gaps[times[:-1] > 2.1], 0.12, atol=1e-3)


def test_truncated_video_with_index_up_front_raises(clip: Path, tmp_path: Path) -> None:
    indexed = tmp_path / "indexed.mp4"
    run_ffmpeg(["-i", str(clip), "-c", "copy", "-movflags", "+faststart", str(indexed)], blame=indexed)
    half = tmp_path / "half.mp4"
    data = indexed.read_bytes()
    half.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError, match="corrupt or truncated") as raised:
        for _ in iter_frames(half, 64):
            pass
    assert str(raised.value).startswith(str(half))
