"""How far the music sits under the speech in a composed video, measured from the delivered files alone.

Method: decode the original video's audio and the composed video's audio; align them (cross-correlation,
which absorbs the AAC encoders' delays); fit the original's gain in the output by least squares
(output ≈ g · original + music: the music is uncorrelated with the original's waveform); take
g · original as the speech as heard and the residual, output − g · original, as the music as heard.
Then compare their BS.1770 loudness inside each speech segment.

Nothing here reads what the pipeline decided: a music bed that was not ducked, ducked at the wrong
times or not deep enough, or an original that was attenuated, all show up. The residual also holds
the second AAC encode's coding noise, which is counted as music, so the margin can only be
under-, never over-estimated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.signal import correlate

from v2m_core.audio_input import load_audio
from v2m_core.media.loudness import integrated_lufs
from v2m_core.media.speech import Segment, SpeechMargin, music_under_speech

SAMPLE_RATE = 44100
MAX_LAG_SECONDS = 0.1
"""Encoder delays are a few thousand samples at most (AAC priming is 1024-2112)."""
ALIGNMENT_SECONDS = 60.0
"""Cross-correlate this much of the start: enough to lock, linear in length."""


@dataclass(frozen=True)
class DuckingMeasure:
    original_gain_db: float
    """The original's level in the output, relative to the original (0: kept at full level; -inf: replaced)."""
    margin: SpeechMargin
    """Speech minus music loudness inside each speech segment."""
    music_lufs_during_speech: float
    music_lufs_elsewhere: float
    """The estimated music's loudness inside and outside the speech segments (their difference is the ducking)."""


def measure_ducking(original_video: Path, composed_video: Path, segments: tuple[Segment, ...]) -> DuckingMeasure:
    """Measure the composed video's music against the speech in `segments` (seconds) of the original."""
    original = load_audio(original_video, SAMPLE_RATE).astype(np.float64)
    composed = load_audio(composed_video, SAMPLE_RATE).astype(np.float64)
    length = min(len(original), len(composed))
    lag = _lag(original[:length], composed[:length])
    shifted = np.zeros(length)
    if lag >= 0:
        shifted[lag:] = original[:length - lag]
    else:
        shifted[:lag] = original[-lag:length]
    output = composed[:length]
    energy = float(shifted @ shifted)
    gain = float(output @ shifted) / energy if energy > 0 else 0.0
    speech, music = gain * shifted, output - gain * shifted
    inside = np.zeros(length, dtype=bool)
    for start, end in segments:
        inside[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)] = True
    return DuckingMeasure(
        original_gain_db=float(20 * np.log10(abs(gain))) if gain else float("-inf"),
        margin=music_under_speech(speech, music, SAMPLE_RATE, segments),
        music_lufs_during_speech=integrated_lufs(music[inside], SAMPLE_RATE),
        music_lufs_elsewhere=integrated_lufs(music[~inside], SAMPLE_RATE),
    )


def _lag(original: np.ndarray, composed: np.ndarray) -> int:
    """Samples by which `composed` trails `original` (negative: leads), within MAX_LAG_SECONDS."""
    span = int(ALIGNMENT_SECONDS * SAMPLE_RATE)
    limit = int(MAX_LAG_SECONDS * SAMPLE_RATE)
    correlation = correlate(composed[:span], original[:span], mode="full", method="fft")
    centre = min(span, len(original)) - 1
    window = correlation[max(0, centre - limit):centre + limit + 1]
    return int(np.argmax(window)) + max(0, centre - limit) - centre
