"""Any video a person has: a picture the output's container cannot hold (an old AVI's msmpeg4v3 or cinepak in
.mp4) is re-encoded as H.264 and the summary says so; `--copy-video` keeps it as it is, or fails up front naming
the codec, the container and ffmpeg's reason."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.compose.conftest import stream_facts, video_stream_md5
from v2m_core.errors import UsageError
from v2m_core.media.mux import mux, video_codec_for
from v2m_core.media.probe import probe
from v2m_core.media.synthetic import SceneSpec, make_rotated_video, make_video

SCENES = [SceneSpec(1.5, "testsrc2", motion="fast"), SceneSpec(1.5, "smptebars", brightness=0.5, motion="static")]


def _avi(path: Path, video_codec: str, audio_codec: str | None = None) -> Path:
    make_video(path, SCENES, size=(160, 96), fps=15, audio=audio_codec is not None,
               codec_args=("-c:v", video_codec, *(("-c:a", audio_codec) if audio_codec else ())))
    return path


@pytest.fixture(scope="module")
def old_avi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """msmpeg4v3 (DivX 3) with PCM sound: .mp4 can hold neither."""
    return _avi(tmp_path_factory.mktemp("avi") / "holiday 1999.avi", "msmpeg4v3", "pcm_s16le")


def test_an_old_avi_composed_to_mp4_is_reencoded_and_says_so(cli, old_avi: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.mp4"
    result = cli("compose", str(old_avi), "-o", str(output), "--original-audio", "keep", "--format", "json")
    assert result.code == 0, result.err
    summary = json.loads(result.out)
    assert summary["video"].startswith("re-encoded as H.264 (CRF 18): .mp4 cannot hold msmpeg4v3")
    assert "--copy-video -o out.mkv" in summary["video"]
    source, made = probe(old_avi), probe(output)
    assert made.video_codec == "h264" and made.rotation == 0
    assert (made.width, made.height, made.fps) == (source.width, source.height, source.fps)
    assert abs(made.duration - source.duration) < 0.1
    assert [s["codec_type"] for s in stream_facts(output)] == ["video", "audio", "audio"]  # PCM kept, as AAC


def test_copy_video_into_a_container_that_cannot_hold_it_fails_before_any_work(cli, old_avi: Path,
                                                                             tmp_path: Path) -> None:
    result = cli("compose", str(old_avi), "-o", str(tmp_path / "out.mp4"), "--copy-video")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1, result.err
    assert "its msmpeg4v3 video cannot be copied into .mp4" in result.err
    assert "Could not find tag for codec msmpeg4v3" in result.err and "out.mkv" in result.err
    assert list(tmp_path.iterdir()) == []


def test_copy_video_into_mkv_keeps_the_picture_bit_for_bit(cli, old_avi: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.mkv"
    result = cli("compose", str(old_avi), "-o", str(output), "--copy-video", "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["video"] == "copied (msmpeg4v3)"
    assert video_stream_md5(output) == video_stream_md5(old_avi)


def test_each_container_takes_what_it_can_hold(tmp_path: Path) -> None:
    cinepak, mpeg4 = _avi(tmp_path / "cinepak.avi", "cinepak"), _avi(tmp_path / "mpeg4.avi", "mpeg4")
    assert video_codec_for(cinepak, tmp_path / "o.mp4", "cinepak", copy_video=False)[0] == "h264"
    assert video_codec_for(cinepak, tmp_path / "o.mov", "cinepak", copy_video=False) == ("copy", "copied (cinepak)")
    assert video_codec_for(mpeg4, tmp_path / "o.mp4", "mpeg4", copy_video=False) == ("copy", "copied (mpeg4)")
    with pytest.raises(UsageError, match=r"cinepak video cannot be copied into \.mp4 \(ffmpeg: Could not find tag"):
        video_codec_for(cinepak, tmp_path / "o.mp4", "cinepak", copy_video=True)


def test_reencoding_keeps_the_picture_upright_at_its_size_and_rate(tmp_path: Path) -> None:
    phone = tmp_path / "phone.mp4"
    make_rotated_video(phone, rotation=90, duration=2.0, size=(160, 96))
    music = tmp_path / "music.wav"
    soundfile.write(music, np.zeros((2 * 44100, 2), dtype=np.float32), 44100)
    output = tmp_path / "out.mp4"
    mux(phone, music, output, video_codec="h264")
    source, made = probe(phone), probe(output)
    assert made.video_codec == "h264"
    assert (made.width, made.height) == (source.width, source.height) == (96, 160)  # as shown: portrait
    assert made.fps == pytest.approx(source.fps, rel=0.01)
