"""Mastering: fades, loudness normalisation to a target and true-peak limiting (measured with media/loudness.py).

Integrated loudness lands on the target; the limiter then keeps the 4x-oversampled (true) peak
under the ceiling, and the gain is re-trimmed because limiting lowers loudness a little.
"""

from __future__ import annotations

import numpy as np

from v2m_core.media.loudness import integrated_lufs, limit, true_peak_db
from v2m_core.schemas.composition import LoudnessReport

MASTERING_PASSES = 6
MAX_GAIN_DB = 60.0
"""Largest boost or cut the normaliser applies: a gain is always finite and bounded, never full-scale noise."""


def fade(audio: np.ndarray, sample_rate: int, fade_in: float, fade_out: float) -> np.ndarray:
    """Linear fade-in and an equal-power fade-out over the last `fade_out` seconds, in place."""
    faded = audio
    n_in = min(len(audio), int(fade_in * sample_rate))
    n_out = min(len(audio), int(fade_out * sample_rate))
    if n_in:
        faded[:n_in] *= np.linspace(0, 1, n_in, dtype=np.float32)[:, None]
    if n_out:
        faded[len(audio) - n_out:] *= np.cos(np.linspace(0, np.pi / 2, n_out, dtype=np.float32))[:, None]
    return faded


def master(audio: np.ndarray, sample_rate: int, target_lufs: float, ceiling_dbtp: float,
           fade_in: float = 0.05, fade_out: float = 2.0) -> tuple[np.ndarray, LoudnessReport, float]:
    """Fade, normalise to `target_lufs`, limit to `ceiling_dbtp`; returns audio, report and the gain in dB applied.

    `audio` is faded in place (the caller's array is not needed afterwards; this saves a copy of
    what can be an hour of audio).
    """
    audio = fade(np.asarray(audio, dtype=np.float32).reshape(len(audio), -1), sample_rate, fade_in, fade_out)
    measured = integrated_lufs(audio, sample_rate)
    if not np.isfinite(measured):  # too short or silent: peak-normalise instead
        peak = np.max(np.abs(audio), initial=0.0)
        gain_db = ceiling_dbtp - 20 * np.log10(peak) - 0.5 if peak > 0 else 0.0
        out = audio * np.float32(10 ** (gain_db / 20))
        return out, LoudnessReport.measured(integrated_lufs(out, sample_rate), true_peak_db(out, sample_rate)), gain_db
    gain_db = float(np.clip(target_lufs - measured, -MAX_GAIN_DB, MAX_GAIN_DB))
    threshold = ceiling_dbtp - 0.3  # sample peaks under this keep inter-sample peaks under the ceiling
    last = MASTERING_PASSES - 1
    out = np.empty_like(audio)  # every pass writes here: never more than the input and one output in memory
    for attempt in range(MASTERING_PASSES):
        limit(np.multiply(audio, np.float32(10 ** (gain_db / 20)), out=out), sample_rate, threshold)
        peak = true_peak_db(out, sample_rate)
        if peak > ceiling_dbtp and attempt < last:
            threshold -= peak - ceiling_dbtp + 0.05
            continue
        loudness = integrated_lufs(out, sample_rate)
        if not np.isfinite(loudness) or abs(loudness - target_lufs) <= 0.2 or attempt == last:
            break  # below BS.1770's gate the loudness is -inf: no finite gain can be derived from it
        gain_db = float(np.clip(gain_db + target_lufs - loudness, -MAX_GAIN_DB, MAX_GAIN_DB))
    return out, LoudnessReport.measured(loudness, peak), gain_db
