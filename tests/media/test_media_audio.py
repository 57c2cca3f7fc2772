"""extract_audio() and read_wav()."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from v2m_core.errors import MediaError
from v2m_core.media.audio import extract_audio, read_wav
from v2m_core.media.synthetic import SceneSpec, make_video


def test_extracts_the_soundtrack_as_float_samples(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    make_video(video, [SceneSpec(1.5, "testsrc2")], size=(160, 90), fps=25, audio=True)
    wav = tmp_path / "clip.wav"
    assert extract_audio(video, wav, sample_rate=22050, mono=True)
    samples, rate = read_wav(wav)
    assert rate == 22050 and samples.dtype == np.float32 and samples.shape[1] == 1
    assert abs(samples.shape[0] / rate - 1.5) < 0.05 and 0 < np.abs(samples).max() <= 1


def test_video_without_audio_gives_false_and_no_file(tmp_path: Path) -> None:
    video = tmp_path / "silent.mp4"
    make_video(video, [SceneSpec(0.5, "smptebars")], size=(160, 90), fps=25)
    assert not extract_audio(video, tmp_path / "out.wav")
    assert not (tmp_path / "out.wav").exists()


def test_unreadable_wav_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_text("nope")
    with pytest.raises(MediaError, match="bad.wav"):
        read_wav(bad)
