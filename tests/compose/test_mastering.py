"""Mastering: the streamed loudness meter equals pyloudnorm; targets are met; the limiter holds; mastering a WAV
block by block writes what mastering the array gives."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
import soundfile
from pydantic import ValidationError
from scipy.signal import resample_poly

from v2m_core.compose.mastering import master, master_wav
from v2m_core.media.audio import WavBlocks
from v2m_core.media.loudness import integrated_lufs, limited, true_peak_db
from v2m_core.schemas.composition import LoudnessReport
from v2m_core.schemas.config import ComposeConfig

RATE = 44100


def _music_like(seconds: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    tones = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 6)) / (i + 1) for i, f in enumerate((110, 220, 330, 523, 880)))
    swell = 0.3 + 0.7 * (np.sin(2 * np.pi * t / 7) ** 2)
    left = 0.1 * tones * swell + 0.02 * rng.standard_normal(len(t))
    return np.stack([left, np.roll(left, 300)], axis=1).astype(np.float32)


def test_streamed_loudness_equals_pyloudnorm() -> None:
    audio = _music_like(13.37)
    audio[RATE * 3:RATE * 6] = 0  # gated silence
    expected = pyloudnorm.Meter(RATE).integrated_loudness(audio)
    assert abs(integrated_lufs(audio, RATE, chunk_seconds=1.0) - expected) < 1e-4


def test_true_peak_matches_full_oversampling() -> None:
    audio = _music_like(5.0, seed=2) * 3
    full = 20 * np.log10(np.max(np.abs(resample_poly(audio, 4, 1, axis=0))))
    assert abs(true_peak_db(audio, RATE) - full) < 0.1
    quarter = (0.5 * np.sin(2 * np.pi * RATE / 4 * np.arange(RATE) / RATE + np.pi / 4)).astype(np.float32)
    assert true_peak_db(quarter[:, None], RATE) > 20 * np.log10(np.max(np.abs(quarter))) + 2.5  # inter-sample peak


def test_master_meets_loudness_and_true_peak_targets() -> None:
    out, report, _ = master(_music_like(20.0), RATE, target_lufs=-14.0, ceiling_dbtp=-1.0)
    assert abs(integrated_lufs(out, RATE) + 14.0) <= 0.2 and abs(report.integrated_lufs + 14.0) <= 0.2
    assert true_peak_db(out, RATE) <= -1.0 + 1e-6
    assert np.max(np.abs(out[:10])) < 0.01 < np.max(np.abs(out[RATE:2 * RATE]))  # faded in
    assert np.max(np.abs(out[-50:])) < 1e-2  # faded out


def test_mastering_a_wav_block_by_block_writes_what_mastering_the_array_gives(tmp_path) -> None:
    audio = _music_like(12.0, seed=3) * 4  # loud: the limiter works and several passes run
    soundfile.write(tmp_path / "synth.wav", audio, RATE, subtype="FLOAT")
    fitted = np.concatenate([audio, np.zeros((RATE // 2, 2), dtype=np.float32)])  # the video is longer
    source = WavBlocks(tmp_path / "synth.wav", len(fitted), 3 * RATE + 7)  # blocks that split the limiter's seconds
    report, gain_db = master_wav(source, RATE, tmp_path / "music.wav", -14.0, -1.0, fade_out=1.5)
    expected, expected_report, expected_gain_db = master(fitted, RATE, -14.0, -1.0, fade_out=1.5)
    soundfile.write(tmp_path / "expected.wav", expected, RATE, subtype="PCM_24", format="WAV")
    assert (tmp_path / "music.wav").read_bytes() == (tmp_path / "expected.wav").read_bytes()
    assert (report, gain_db) == (expected_report, expected_gain_db) and abs(report.integrated_lufs + 14.0) <= 0.2
    assert sorted(path.name for path in tmp_path.iterdir()) == ["expected.wav", "music.wav", "synth.wav"]


def test_limiter_never_exceeds_the_ceiling() -> None:
    audio = _music_like(4.0) * 8
    def limit(signal: np.ndarray) -> np.ndarray:
        return np.concatenate(list(limited([signal.copy()], RATE, ceiling_db=-1.3)))

    assert np.max(np.abs(limit(audio))) <= 10 ** (-1.3 / 20) + 1e-6
    untouched = _music_like(4.0) * 0.1
    assert np.array_equal(limit(untouched), untouched)


def test_very_short_audio_is_peak_normalised() -> None:
    out, report, _ = master(_music_like(0.2), RATE, target_lufs=-14.0, ceiling_dbtp=-1.0)
    assert report.true_peak_dbtp <= -1.0 and np.max(np.abs(out)) > 0.5


def test_a_target_below_the_loudness_gate_never_makes_full_scale_noise() -> None:
    """Below -70 LUFS BS.1770 gates everything out (-inf); the gain must stay finite and bounded."""
    rate = 44100
    audio = (0.3 * np.sin(2 * np.pi * 220 * np.arange(rate * 3) / rate)).astype(np.float32)[:, None]
    for target in (-80.0, -100.0):
        out, report, gain_db = master(audio.copy(), rate, target, -1.0)
        assert np.all(np.isfinite(out)) and np.isfinite(gain_db)
        assert np.max(np.abs(out)) < 0.01  # quiet, as asked: never +-1.0
    silent = np.zeros((rate, 1), dtype=np.float32)
    out, report, gain_db = master(silent, rate, -14.0, -1.0)
    assert np.all(out == 0) and gain_db == 0.0


def test_a_loudness_below_the_gate_is_reported_as_none_and_reads_back() -> None:
    """Silence has no integrated loudness and no peak: None, not -inf, so the report is strict JSON that reads
    back as it was written."""
    _, report, _ = master(np.zeros((44100, 1), dtype=np.float32), 44100, -14.0, -1.0)
    assert report.integrated_lufs is None and report.true_peak_dbtp is None
    text = report.model_dump_json()
    assert "Infinity" not in text and "NaN" not in text
    assert LoudnessReport.model_validate_json(text) == report
    assert report.describe() == "too quiet to measure, silent"


def test_level_settings_are_bounded_and_finite() -> None:
    for bad in ({"target_lufs": -80}, {"target_lufs": float("nan")}, {"true_peak_dbtp": -100},
                {"mix_gain_db": float("nan")}, {"mix_gain_db": 40}, {"tempo": float("inf")}, {"tempo": 5}):
        with pytest.raises(ValidationError):
            ComposeConfig(**bad)


def test_the_cli_refuses_a_level_below_the_gate_before_any_work(cli, tmp_path) -> None:
    for flag in (("--target-lufs", "-80"), ("-s", "compose.true_peak_dbtp=-100"), ("--mix-gain-db", "nan")):
        result = cli("compose", str(tmp_path / "clip.mp4"), "-o", str(tmp_path / "q.mp4"), *flag)
        assert result.code == 2 and result.err.count("\n") == 1, result.err
        assert not (tmp_path / "q.mp4").exists()
