"""Bad and unusual inputs to `v2m compose`: each works, or fails with one line, exit 1 and no partial output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.compose.conftest import stream_facts, video_stream_md5
from v2m_core.media.synthetic import SceneSpec, make_rotated_video, make_vfr_video, make_video

SHORT = [SceneSpec(2.0, "testsrc2", motion="fast"), SceneSpec(2.0, "smptebars", brightness=0.5, motion="static")]


def _clip(path: Path, scenes: list[SceneSpec] = SHORT, **options: object) -> Path:
    make_video(path, scenes, size=(160, 90), fps=options.pop("fps", 15), **options)  # type: ignore[arg-type]
    return path


def _fails_cleanly(cli, folder: Path, *args: str, expect: str) -> None:
    before = sorted(p.name for p in folder.iterdir())
    result = cli("compose", *args)
    assert result.code == 1, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and expect in lines[0] and "Traceback" not in result.err, result.err
    assert sorted(p.name for p in folder.iterdir()) == before, "a failed run left files behind"


def _works(cli, video: Path, output: Path, *extra: str) -> None:
    result = cli("compose", str(video), "-o", str(output), *extra)
    assert result.code == 0, result.err
    streams = stream_facts(output)
    assert [s["codec_type"] for s in streams].count("audio") >= 1
    assert video_stream_md5(output) == video_stream_md5(video)


def test_missing_file(cli, tmp_path: Path) -> None:
    _fails_cleanly(cli, tmp_path, str(tmp_path / "absent.mp4"), "-o", str(tmp_path / "out.mp4"), expect="absent.mp4")


def test_not_a_video(cli, tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n")
    _fails_cleanly(cli, tmp_path, str(text), "-o", str(tmp_path / "out.mp4"), expect="notes.mp4")


def test_no_video_stream(cli, tmp_path: Path) -> None:
    audio = tmp_path / "sound.m4a"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=duration=2", str(audio)], check=True)
    _fails_cleanly(cli, tmp_path, str(audio), "-o", str(tmp_path / "out.mp4"), expect="no video stream")


def test_zero_length_file(cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.touch()
    _fails_cleanly(cli, tmp_path, str(empty), "-o", str(tmp_path / "out.mp4"), expect="empty.mp4")


def test_truncated_file(cli, tmp_path: Path) -> None:
    whole = _clip(tmp_path / "whole.mp4")
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    whole.unlink()
    _fails_cleanly(cli, tmp_path, str(truncated), "-o", str(tmp_path / "out.mp4"), expect="truncated.mp4")


def test_output_equal_to_input_is_refused(cli, tmp_path: Path) -> None:
    video = _clip(tmp_path / "clip.mp4")
    digest = video.read_bytes()
    _fails_cleanly(cli, tmp_path, str(video), "-o", str(video), expect="overwrite the input")
    assert video.read_bytes() == digest


def test_unwritable_output(cli, tmp_path: Path) -> None:
    video = _clip(tmp_path / "clip.mp4")
    (tmp_path / "a-file").write_text("not a folder")
    _fails_cleanly(cli, tmp_path, str(video), "-o", str(tmp_path / "a-file" / "out.mp4"), expect="out.mp4")
    _fails_cleanly(cli, tmp_path, str(video), "-o", "/proc/v2m-out.mp4", expect="/proc/v2m-out.mp4")


def test_existing_output_survives_a_failed_run(cli, tmp_path: Path) -> None:
    output = tmp_path / "out.mp4"
    output.write_bytes(b"previous result")
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 1000)
    result = cli("compose", str(broken), "-o", str(output))
    assert result.code == 1 and output.read_bytes() == b"previous result"


def test_unknown_renderer_is_a_usage_error(cli, tmp_path: Path) -> None:
    video = _clip(tmp_path / "clip.mp4")
    result = cli("compose", str(video), "-o", str(tmp_path / "out.mp4"), "--renderers", "chords,banjo")
    assert result.code == 2 and "banjo" in result.err and "melody" in result.err


def test_video_without_audio_works(cli, tmp_path: Path) -> None:
    _works(cli, _clip(tmp_path / "silent.mp4", audio=False), tmp_path / "out.mp4", "--original-audio", "mix")


def test_very_short_video(cli, tmp_path: Path) -> None:
    video = _clip(tmp_path / "short.mp4", [SceneSpec(1.2, "testsrc2", motion="fast")])
    _works(cli, video, tmp_path / "out.mp4")


def test_odd_and_variable_frame_rates(cli, tmp_path: Path) -> None:
    odd = tmp_path / "odd.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=30000/1001:duration=3",
                    "-pix_fmt", "yuv420p", str(odd)], check=True)
    _works(cli, odd, tmp_path / "odd-out.mp4")
    vfr = tmp_path / "vfr.mp4"
    make_vfr_video(vfr, size=(160, 90))
    _works(cli, vfr, tmp_path / "vfr-out.mp4")


def test_rotated_phone_video_keeps_its_rotation(cli, tmp_path: Path) -> None:
    video = tmp_path / "phone.mp4"
    make_rotated_video(video, rotation=90, duration=2.5, size=(160, 96))
    output = tmp_path / "out.mov"
    _works(cli, video, output)
    from v2m_core.media.probe import probe

    assert probe(output).rotation == probe(video).rotation == 90


def test_non_ascii_path_with_spaces(cli, tmp_path: Path) -> None:
    folder = tmp_path / "vidéos d'été ♪"
    folder.mkdir()
    _works(cli, _clip(folder / "plage à midi.mp4"), folder / "musique finale.mp4")


def test_original_audio_modes(cli, tmp_path: Path) -> None:
    video = _clip(tmp_path / "clip.mp4", audio=True)
    _works(cli, video, tmp_path / "keep.mkv", "--original-audio", "keep")
    assert [s["codec_type"] for s in stream_facts(tmp_path / "keep.mkv")].count("audio") == 2
    _works(cli, video, tmp_path / "mix.mp4", "--original-audio", "mix", "--mix-gain-db", "-6")
    assert [s["codec_type"] for s in stream_facts(tmp_path / "mix.mp4")].count("audio") == 1


def test_stems_keep_and_plot(cli, tmp_path: Path) -> None:
    video = _clip(tmp_path / "clip.mp4")
    result = cli("compose", str(video), "-o", str(tmp_path / "out.mp4"), "--stems", "--keep", str(tmp_path / "work"),
                 "--plot", str(tmp_path / "plot.png"), "--style", "electronic", "--tempo", "128", "--key", "E minor",
                 "--instrument", "melody=81", "--format", "json")
    assert result.code == 0, result.err
    stems = sorted(p.name for p in (tmp_path / "work" / "stems").iterdir())
    assert {name.split("-", 1)[1] for name in stems} >= {"chords.wav", "bass.wav", "melody.wav", "drums.wav"}
    assert (tmp_path / "plot.png").read_bytes()[:4] == b"\x89PNG"
    assert '"style": "electronic"' in result.out and '"key": "E minor"' in result.out


@pytest.mark.slow
def test_twenty_minute_video(cli, tmp_path: Path) -> None:
    video = tmp_path / "long.mp4"
    scenes = [SceneSpec(60.0 + 7 * (i % 5), ("testsrc2", "smptebars", "mandelbrot", "color")[i % 4],
                        brightness=(0.4, 1.3)[i % 2], motion=("static", "slow", "fast")[i % 3]) for i in range(18)]
    make_video(video, scenes, size=(96, 54), fps=5, codec_args=("-c:v", "libx264", "-preset", "ultrafast",
                                                                  "-pix_fmt", "yuv420p"))
    output = tmp_path / "long-out.mp4"
    result = cli("compose", str(video), "-o", str(output), "--format", "json")
    assert result.code == 0, result.err
    duration = {s["codec_type"]: float(s["duration"]) for s in stream_facts(output)}
    assert duration["video"] >= 1200 and abs(duration["audio"] - duration["video"]) <= 0.05
    shutil.rmtree(tmp_path, ignore_errors=True)
