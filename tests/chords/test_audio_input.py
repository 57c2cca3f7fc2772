"""Audio from audio or video files, in bounded blocks, and recognizers run over files block by block."""

from pathlib import Path

import numpy as np
import pytest
import soundfile

from v2m_core.audio_input import iter_audio, load_audio, prepare, resample, resampled
from v2m_core.chords.recognize import default_recognizer, recognize_file
from v2m_core.errors import MediaError
from v2m_core.recognizers.chroma_template import ChromaTemplateRecognizer
from v2m_core.testing import chord_tones


def test_stereo_wav_at_any_rate_becomes_mono_at_the_asked_rate(tmp_path: Path) -> None:
    tone = chord_tones([60, 64, 67], 1.0, sample_rate=48000)
    soundfile.write(tmp_path / "a.wav", np.stack([tone, tone], axis=1), 48000)
    audio = load_audio(tmp_path / "a.wav", 22050)
    assert audio.dtype == np.float32 and audio.ndim == 1 and abs(len(audio) - 22050) <= 2


def test_blocks_have_bounded_length(tmp_path: Path) -> None:
    soundfile.write(tmp_path / "b.flac", np.zeros(8000 * 5, dtype=np.float32), 8000)
    blocks = list(iter_audio(tmp_path / "b.flac", 8000, block_seconds=2.0))
    assert [len(b) for b in blocks] == [16000, 16000, 8000]


def test_audio_track_of_a_video(tmp_path: Path) -> None:
    from v2m_core.media.synthetic import SceneSpec, make_video

    make_video(tmp_path / "v.mp4", [SceneSpec(duration=1.0, pattern="testsrc2")], size=(64, 36), fps=5, audio=True)
    assert abs(len(load_audio(tmp_path / "v.mp4", 16000)) - 16000) < 1600


def test_bad_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="missing.wav: file not found"):
        load_audio(tmp_path / "missing.wav", 22050)
    (tmp_path / "empty.wav").write_bytes(b"")
    with pytest.raises(MediaError, match="empty file"):
        load_audio(tmp_path / "empty.wav", 22050)
    (tmp_path / "corrupt.mp3").write_bytes(b"ID3" + bytes(range(256)) * 20)
    with pytest.raises(MediaError, match="corrupt.mp3: (cannot decode audio|has no audio)"):
        load_audio(tmp_path / "corrupt.mp3", 22050)


def test_prepare_mixes_down_and_resamples() -> None:
    stereo = np.ones((44100, 2), dtype=np.float32)
    assert prepare(stereo, 44100, 22050).shape == (22050,)


def test_recognize_file_stitches_blocks(tmp_path: Path) -> None:
    audio = np.concatenate([chord_tones([48, 60, 64, 67], 3.0), chord_tones([45, 57, 60, 64], 3.0)])
    soundfile.write(tmp_path / "c.wav", audio, 22050)
    timeline = recognize_file(ChromaTemplateRecognizer(), tmp_path / "c.wav", 22050, block_seconds=2.0)
    labels = [s.label for s in timeline.segments if s.end - s.start > 0.5]
    assert labels == ["C:maj", "A:min"] and timeline.segments[-1].end == pytest.approx(6.0)
    assert all(a.end <= b.start + 1e-9 for a, b in zip(timeline.segments, timeline.segments[1:]))


def test_default_recognizer_prefers_madmom() -> None:
    assert default_recognizer(["chroma-template", "essentia", "madmom"]) == "madmom"
    assert default_recognizer(["chroma-template", "essentia"]) == "chroma-template"


@pytest.mark.parametrize(("rate", "target"), [(44100, 16000), (16000, 44100), (48000, 16000), (22050, 22050)])
def test_resampling_block_by_block_is_resampling_the_whole(rate: int, target: int) -> None:
    """Bit for bit, with block edges off the two rates' common grid (441 samples at 44.1 kHz to 16 kHz)."""
    audio = (0.3 * np.random.default_rng(0).standard_normal(rate + 123)).astype(np.float32)
    for size in (97, 440, 441, 4410 + 7, len(audio)):
        blocks = [audio[start:start + size] for start in range(0, len(audio), size)]
        assert np.array_equal(np.concatenate(list(resampled(blocks, rate, target))), resample(audio, rate, target))
