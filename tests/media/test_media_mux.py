"""mux(): untouched picture, audio of the video's length, one stream layout per mode, atomic failures."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from v2m_core.errors import MediaError
from v2m_core.media.mux import mux
from v2m_core.media.probe import probe
from v2m_core.media.synthetic import SceneSpec, make_rotated_video, make_video

SCENES = [SceneSpec(1.2, "testsrc2", motion="fast"), SceneSpec(1.0, "smptebars")]


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("mux")
    files = {"with_audio": folder / "with audio.mp4", "silent": folder / "silent.mp4",
             "short_music": folder / "short.wav", "long_music": folder / "long.wav"}
    make_video(files["with_audio"], SCENES, size=(160, 90), fps=25, audio=True)
    make_video(files["silent"], SCENES, size=(160, 90), fps=25)
    for name, seconds in (("short_music", 1.0), ("long_music", 4.0)):
        time = np.arange(int(44100 * seconds)) / 44100
        tone = 0.2 * np.sin(2 * np.pi * 330 * time)
        soundfile.write(files[name], np.stack([tone, tone], axis=1).astype(np.float32), 44100)
    return files


def _video_md5(path: Path) -> str:
    return subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v", "-c", "copy", "-f", "md5", "-"],
                          capture_output=True, text=True, check=True).stdout


def _audio_streams(path: Path) -> list[dict[str, str]]:
    streams = json.loads(subprocess.run(["ffprobe", "-v", "error", "-of", "json", "-show_streams", str(path)],
                                        capture_output=True, text=True, check=True).stdout)["streams"]
    return [stream for stream in streams if stream["codec_type"] == "audio"]


def _audio_durations(path: Path) -> list[float]:
    return [float(stream["duration"]) for stream in _audio_streams(path)]


@pytest.mark.parametrize(("mode", "audio_streams"), [("replace", 1), ("mix", 1), ("keep", 2)])
@pytest.mark.parametrize("music", ["short_music", "long_music"])
def test_modes_copy_the_picture_and_fit_the_audio(media: dict[str, Path], tmp_path: Path, mode: str,
                                                  audio_streams: int, music: str) -> None:
    output = tmp_path / "out.mp4"
    mux(media["with_audio"], media[music], output, mode)  # type: ignore[arg-type]
    assert _video_md5(output) == _video_md5(media["with_audio"])
    durations = _audio_durations(output)
    assert len(durations) == audio_streams
    video_duration = probe(media["with_audio"]).duration
    assert all(abs(duration - video_duration) <= 0.05 for duration in durations)
    assert [p.name for p in tmp_path.iterdir()] == ["out.mp4"]


@pytest.mark.parametrize("mode", ["mix", "keep"])
def test_without_original_audio_mix_and_keep_replace(media: dict[str, Path], tmp_path: Path, mode: str) -> None:
    output = tmp_path / "out.mkv"
    mux(media["silent"], media["short_music"], output, mode)  # type: ignore[arg-type]
    assert [stream["codec_name"] for stream in _audio_streams(output)] == ["aac"]
    assert _video_md5(output) == _video_md5(media["silent"])


def test_rotation_metadata_survives(media: dict[str, Path], tmp_path: Path) -> None:
    video = tmp_path / "phone.mp4"
    make_rotated_video(video, rotation=90, duration=1.0, size=(160, 96))
    output = tmp_path / "phone out.mov"
    mux(video, media["short_music"], output)
    assert probe(output).rotation == 90 and _video_md5(output) == _video_md5(video)


def test_refuses_to_overwrite_the_input(media: dict[str, Path], tmp_path: Path) -> None:
    video = tmp_path / "in.mp4"
    video.write_bytes(media["with_audio"].read_bytes())
    before = video.read_bytes()
    link = tmp_path / "link.mp4"
    link.symlink_to(video)
    for output in (video, tmp_path / "." / "in.mp4", link):
        with pytest.raises(MediaError, match="output would overwrite the input video"):
            mux(video, media["short_music"], output)
    assert video.read_bytes() == before


def test_unwritable_output_folder_names_the_output(media: dict[str, Path], tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    output = blocker / "out.mp4"
    with pytest.raises(MediaError) as raised:
        mux(media["with_audio"], media["short_music"], output)
    assert str(raised.value).startswith(str(output))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_read_only_output_folder_is_refused(media: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(MediaError, match="out.mp4"):
            mux(media["with_audio"], media["short_music"], folder / "out.mp4")
    finally:
        folder.chmod(0o700)


def test_failure_leaves_no_temporary_file_and_keeps_the_old_output(media: dict[str, Path], tmp_path: Path) -> None:
    broken_music = tmp_path / "broken.wav"
    broken_music.write_text("not audio")
    output = tmp_path / "out.mp4"
    output.write_bytes(b"previous result")
    with pytest.raises(MediaError) as raised:
        mux(media["with_audio"], broken_music, output)
    assert str(raised.value).startswith(str(output)) and "\n" not in str(raised.value)
    assert output.read_bytes() == b"previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.wav", "out.mp4"]


def test_unknown_extension_is_refused(media: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="unsupported output extension"):
        mux(media["with_audio"], media["short_music"], tmp_path / "out.avi")
