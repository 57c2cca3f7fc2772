"""probe(): facts of good videos, and one clear MediaError naming the file for every bad input."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from v2m_core.errors import MediaError
from v2m_core.media.ffmpeg import run_ffmpeg
from v2m_core.media.probe import probe
from v2m_core.media.synthetic import SceneSpec, make_rotated_video, make_vfr_video, make_video


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("probe") / "clip.mp4"
    make_video(path, [SceneSpec(1.0, "testsrc2"), SceneSpec(1.0, "smptebars")], size=(160, 90), fps=25, audio=True)
    return path


def test_probe_reads_duration_rate_size_and_audio(clip: Path) -> None:
    info = probe(clip)
    assert info.duration == pytest.approx(2.0, abs=0.05)
    assert info.fps == pytest.approx(25.0)
    assert info.frame_count == 50
    assert (info.width, info.height, info.rotation) == (160, 90, 0)
    assert info.video_codec == "h264"
    assert info.has_audio and info.audio_codec == "aac"
    assert not info.variable_frame_rate


def test_rotation_90_swaps_width_and_height(tmp_path: Path) -> None:
    video = tmp_path / "phone.mp4"
    make_rotated_video(video, rotation=90, duration=1.0, size=(160, 96))
    info = probe(video)
    assert (info.rotation, info.width, info.height) == (90, 96, 160)


def test_variable_frame_rate_is_flagged(tmp_path: Path) -> None:
    video = tmp_path / "vfr.mp4"
    make_vfr_video(video, size=(160, 90))
    info = probe(video)
    assert info.variable_frame_rate and not info.has_audio


def test_non_ascii_path_with_spaces_works(clip: Path, tmp_path: Path) -> None:
    folder = tmp_path / "vidéos d'été ü"
    folder.mkdir()
    video = shutil.copy(clip, folder / "mon clip – 1.mp4")
    assert probe(Path(video)).duration == pytest.approx(2.0, abs=0.05)


def _missing(folder: Path, clip: Path) -> Path:
    return folder / "nowhere.mp4"


def _directory(folder: Path, clip: Path) -> Path:
    (folder / "adir.mp4").mkdir()
    return folder / "adir.mp4"


def _text(folder: Path, clip: Path) -> Path:
    path = folder / "notes.mp4"
    path.write_text("this is not a video\n" * 20)
    return path


def _audio_only(folder: Path, clip: Path) -> Path:
    path = folder / "song.mp4"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", str(path)], blame=path)
    return path


def _empty(folder: Path, clip: Path) -> Path:
    path = folder / "empty.mp4"
    path.touch()
    return path


def _truncated(folder: Path, clip: Path) -> Path:
    path = folder / "half.mp4"
    data = clip.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (_missing, "file not found"),
        (_directory, "is a directory"),
        (_text, "not a video file (ffprobe could not read it)"),
        (_audio_only, "has no video stream"),
        (_empty, "empty file"),
        (_truncated, "corrupt or truncated video (moov atom not found)"),
    ],
)
def test_bad_inputs_raise_one_line_naming_the_file(
    make: Callable[[Path, Path], Path], problem: str, clip: Path, tmp_path: Path
) -> None:
    path = make(tmp_path, clip)
    with pytest.raises(MediaError) as raised:
        probe(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and problem in message and "\n" not in message
