"""Loudness, true peak and the limiter over audio given block by block equal the whole-array results, bit for bit,
wherever the block edges fall."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from v2m_core.media.loudness import LoudnessMeter, TruePeakMeter, integrated_lufs, limited, true_peak_db
from v2m_core.media.speech import SegmentLoudness, segment_loudness

RATE = 8000


def _audio(seconds: float, seed: int = 0) -> np.ndarray:
    """Tones and noise with a few sharp peaks: enough over a -6 dB ceiling for the limiter to work, spread over
    every second."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    left = 0.3 * np.sin(2 * np.pi * 440 * t) * (0.4 + 0.6 * np.sin(2 * np.pi * t / 3) ** 2)
    left += 0.05 * rng.standard_normal(len(t))
    left[rng.integers(0, len(t), 40)] *= 4
    return np.stack([left, np.roll(left, 37)], axis=1).astype(np.float32)


def _split(audio: np.ndarray, sizes: list[int]) -> Iterator[np.ndarray]:
    """`audio` in consecutive blocks of the given sizes, cycled; copies, as a file reader would give."""
    start, index = 0, 0
    while start < len(audio):
        yield audio[start:start + sizes[index % len(sizes)]].copy()
        start += sizes[index % len(sizes)]
        index += 1


AWKWARD = [[1], [13, 1, 799], [RATE - 1, 2, RATE + 5], [RATE // 10 - 1, RATE // 10 + 1], [5 * RATE]]
"""Block sizes: a sample at a time, around the true peak's 12-sample window, around a second (the limiter's
piece) and a 100 ms step (the loudness meter's), and all in one block."""


@pytest.mark.parametrize("sizes", AWKWARD)
def test_loudness_meter_over_blocks_equals_the_whole(sizes: list[int]) -> None:
    audio = _audio(4.3)
    audio[RATE:2 * RATE] = 0  # gated silence
    meter = LoudnessMeter(RATE)
    for block in _split(audio, sizes):
        meter.add(block)
    assert meter.lufs() == integrated_lufs(audio, RATE)
    assert np.isfinite(meter.lufs())


@pytest.mark.parametrize("sizes", AWKWARD)
def test_true_peak_meter_over_blocks_equals_the_whole(sizes: list[int]) -> None:
    audio = _audio(3.0, seed=1) * 0.2
    audio[int(2.5 * RATE) - 6:int(2.5 * RATE) + 6] *= 8  # the peak comes late: earlier blocks saw a lower one
    quarter = 0.9 * np.sin(2 * np.pi * np.arange(40) / 4 + np.pi / 4)  # an inter-sample peak, across block edges
    audio[RATE - 20:RATE + 20, 0] = quarter
    meter = TruePeakMeter()
    for block in _split(audio, sizes):
        meter.add(block)
    whole = true_peak_db(audio, RATE)
    assert meter.peak_db() == whole
    assert whole > 20 * np.log10(np.max(np.abs(audio))) + 0.5  # the inter-sample peak was found


def test_true_peak_of_silence_and_of_audio_shorter_than_its_window() -> None:
    assert true_peak_db(np.zeros((100, 2), dtype=np.float32), RATE) == float("-inf")
    short = np.array([[0.5], [-0.25], [0.1]], dtype=np.float32)
    assert true_peak_db(short, RATE) == pytest.approx(20 * np.log10(0.5))


@pytest.mark.parametrize("sizes", AWKWARD)
def test_limiter_over_blocks_equals_the_whole(sizes: list[int]) -> None:
    audio = _audio(4.5, seed=2)
    audio[:3] = audio[-3:] = 1.5  # over the ceiling at both ends of the audio
    whole = np.concatenate(list(limited([audio.copy()], RATE, ceiling_db=-6.0)))
    pieces = list(limited(_split(audio, sizes), RATE, ceiling_db=-6.0))
    assert all(len(piece) == RATE for piece in pieces[:-1])  # one second a piece, from the first frame on
    assert np.array_equal(np.concatenate(pieces), whole)
    assert np.max(np.abs(whole)) <= 10 ** (-6.0 / 20) + 1e-6 < np.max(np.abs(audio))


def test_limiter_passes_quiet_audio_unchanged_and_takes_nothing_in_nothing_out() -> None:
    quiet = _audio(2.2) * 0.1
    assert np.array_equal(np.concatenate(list(limited(_split(quiet, [777]), RATE, -6.0))), quiet)
    assert list(limited(iter([]), RATE, -6.0)) == []


def test_segment_loudness_over_blocks_equals_the_whole() -> None:
    audio = _audio(4.0, seed=3)
    segments = ((0.0, 0.1), (0.5, 1.7), (1.75, 1.8), (3.9, 4.0))  # short ones are measured over 400 ms around them
    whole = segment_loudness(audio, RATE, segments)
    for sizes in AWKWARD[1:]:
        levels, start = SegmentLoudness(segments, RATE, len(audio)), 0
        for block in _split(audio, sizes):
            levels.add(block, start)
            start += len(block)
        assert np.array_equal(levels.lufs(), whole)
    assert np.all(np.isfinite(whole))
