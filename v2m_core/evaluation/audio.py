"""Measures on the mastered audio: loudness (BS.1770), true peak, silent stretches, loudness vs motion."""

from __future__ import annotations

import numpy as np

from v2m_core.audio_input import as_mono
from v2m_core.media.loudness import integrated_lufs, true_peak_db
from v2m_core.evaluation.correlation import pearson

SILENCE_DBFS = -60.0
"""RMS over 50 ms windows below this counts as silent."""
SILENCE_MIN_SECONDS = 1.0
"""Shorter gaps are rests, not holes in the soundtrack."""
WINDOW = 0.05


def audio_metrics(audio: np.ndarray, sample_rate: int, motion: list[float] | None) -> dict[str, float | None]:
    stretches = silent_stretches(audio, sample_rate)
    return {
        "integrated_lufs": round(float(integrated_lufs(audio, sample_rate)), 2),
        "true_peak_dbtp": round(float(true_peak_db(audio, sample_rate)), 2),
        "silent_stretches": float(len(stretches)),
        "silent_seconds": round(float(sum(end - start for start, end in stretches)), 2),
        "loudness_motion_corr": pearson(rms_db_per_second(audio, sample_rate), motion) if motion else None,
    }


def _window_rms_db(audio: np.ndarray, sample_rate: int, seconds: float) -> np.ndarray:
    mono = as_mono(audio)
    size = max(1, round(seconds * sample_rate))
    count = max(1, -(-len(mono) // size))
    padded = np.zeros(count * size, dtype=np.float64)
    padded[:len(mono)] = mono
    power = (padded.reshape(count, size) ** 2).mean(axis=1)
    return 10 * np.log10(power + 1e-12)


def rms_db_per_second(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    return _window_rms_db(audio, sample_rate, 1.0)


def silent_share(audio: np.ndarray, sample_rate: int) -> float | None:
    """Share of the 50 ms windows whose RMS is below SILENCE_DBFS, rests included; None for no audio."""
    if audio.size == 0:
        return None
    return float(np.mean(_window_rms_db(audio, sample_rate, WINDOW) < SILENCE_DBFS))


def silent_stretches(audio: np.ndarray, sample_rate: int) -> list[tuple[float, float]]:
    """(start, end) seconds of runs of silent windows lasting at least SILENCE_MIN_SECONDS."""
    silent = _window_rms_db(audio, sample_rate, WINDOW) < SILENCE_DBFS
    stretches, start = [], None
    for index, quiet in enumerate([*silent, False]):
        if quiet and start is None:
            start = index
        elif not quiet and start is not None:
            if (index - start) * WINDOW >= SILENCE_MIN_SECONDS:
                stretches.append((start * WINDOW, index * WINDOW))
            start = None
    return stretches
