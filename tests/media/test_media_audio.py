"""extract_audio(), read_wav(), and audio read block by block (fitted to a length, read again each pass)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from v2m_core.errors import MediaError
from v2m_core.media.audio import DecodedBlocks, WavBlocks, extract_audio, fitted_blocks, read_wav
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


def test_blocks_are_regrouped_and_cut_or_padded_to_the_length() -> None:
    audio = np.arange(20, dtype=np.float32).reshape(10, 2)
    pieces = list(fitted_blocks(iter([audio[:3], audio[3:4], audio[4:]]), 13, 4, 2))
    assert [len(piece) for piece in pieces] == [4, 4, 4, 1]
    np.testing.assert_array_equal(np.concatenate(pieces), np.concatenate([audio, np.zeros((3, 2), np.float32)]))
    assert np.array_equal(np.concatenate(list(fitted_blocks(iter([audio]), 7, 3, 2))), audio[:7])


def test_a_wav_and_a_soundtrack_are_read_again_each_pass(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    make_video(video, [SceneSpec(1.5, "testsrc2")], size=(160, 90), fps=25, audio=True)
    assert extract_audio(video, tmp_path / "clip.wav", sample_rate=22050)
    whole, _ = read_wav(tmp_path / "clip.wav")
    soundtrack = DecodedBlocks(video, 22050, len(whole) - 100, 4000)  # cut short: the decoder is stopped there
    wav = WavBlocks(tmp_path / "clip.wav", len(whole) + 50, 4000)
    for _ in range(2):
        np.testing.assert_array_equal(np.concatenate(list(soundtrack.blocks())), whole[:-100])
        padded = np.concatenate(list(wav.blocks()))
        np.testing.assert_array_equal(padded, np.concatenate([whole, np.zeros((50, whole.shape[1]), np.float32)]))
    silent = tmp_path / "silent.mp4"
    make_video(silent, [SceneSpec(0.5, "smptebars")], size=(160, 90), fps=25)
    with pytest.raises(MediaError, match="silent.mp4: has no audio stream"):
        DecodedBlocks(silent, 22050, 100, 10)
    soundfile.write(tmp_path / "short.wav", whole[:10], 22050)
    assert WavBlocks(tmp_path / "short.wav", 10, 4).channels == whole.shape[1]
