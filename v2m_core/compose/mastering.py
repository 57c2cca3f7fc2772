"""Loudness normalisation (ITU-R BS.1770, pyloudnorm's filters), a true-peak limiter and fades.

Integrated loudness lands on the target; the limiter then keeps the 4x-oversampled (true) peak
under the ceiling, and the gain is re-trimmed because limiting lowers loudness a little.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from pyloudnorm.iirfilter import IIRfilter
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import firwin, lfilter

from v2m_core.schemas.composition import LoudnessReport

MIN_MEASURABLE_SECONDS = 0.4
"""BS.1770 gates in 400 ms blocks: shorter audio has no integrated loudness."""
OVERSAMPLING_TAPS = 48
MASTERING_PASSES = 6
MAX_GAIN_DB = 60.0
"""Largest boost or cut the normaliser applies: a gain is always finite and bounded, never full-scale noise."""
NEIGHBOUR_FRACTION = 0.7
"""Interpolate only next to samples above 70% (-3 dB) of the sample peak: a band-limited signal's
inter-sample overshoot stays within ~3 dB of its neighbours."""


@lru_cache(maxsize=1)
def _oversampling_taps() -> np.ndarray:
    """(12, 4) polyphase matrix of a 48-tap 4x interpolation filter (BS.1770-4 Annex 2 uses 48 taps)."""
    prototype = firwin(OVERSAMPLING_TAPS, 0.25 * 0.9, window=("kaiser", 8.0)) * 4
    phases = prototype.reshape(-1, 4)  # row k holds h[4k + p]
    return phases[::-1].astype(np.float32)


def true_peak_db(audio: np.ndarray, sample_rate: int) -> float:
    """4x-oversampled peak in dBTP, evaluated only around samples near the sample peak.

    An inter-sample peak needs large neighbouring samples, so interpolating around those finds
    it; this keeps the cost proportional to the loud samples, not the length.
    """
    audio = audio.reshape(len(audio), -1)
    sample_peak = float(np.max(np.abs(audio), initial=0.0))
    if sample_peak == 0.0:
        return float("-inf")
    taps = _oversampling_taps()
    span = taps.shape[0]
    peak = sample_peak
    for channel in range(audio.shape[1]):
        signal = audio[:, channel]
        loud = np.abs(signal) >= NEIGHBOUR_FRACTION * sample_peak
        loud[:-1] |= loud[1:]  # the interval before a loud sample too
        centres = np.flatnonzero(loud[span // 2:len(signal) - span // 2]) + span // 2
        for first in range(0, len(centres), 65536):
            windows = signal[centres[first:first + 65536, None] + np.arange(-(span // 2), span - span // 2)]
            peak = max(peak, float(np.max(np.abs(windows @ taps))))
    return 20 * np.log10(peak)


def _k_weighting(sample_rate: int) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """BS.1770's two K-weighting stages, with pyloudnorm's coefficients: (b, a, passband gain)."""
    stages = (IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, sample_rate, "high_shelf"),
              IIRfilter(0.0, 0.5, 38.0, sample_rate, "high_pass"))
    return [(stage.b, stage.a, stage.passband_gain) for stage in stages]


def integrated_lufs(audio: np.ndarray, sample_rate: int, chunk_seconds: float = 30.0) -> float:
    """BS.1770-4 gated loudness, equal to pyloudnorm's but vectorised and streamed in chunks.

    Energy is summed per 100 ms step; each 400 ms block is four consecutive steps, which is
    exactly pyloudnorm's block layout (75% overlap). Memory stays at one chunk per channel.
    """
    audio = audio.reshape(len(audio), -1)
    step = int(round(0.1 * sample_rate))
    if len(audio) < MIN_MEASURABLE_SECONDS * sample_rate or not np.any(audio):
        return float("-inf")
    stages = _k_weighting(sample_rate)
    states = [[np.zeros(max(len(a), len(b)) - 1) for b, a, _ in stages] for _ in range(audio.shape[1])]
    chunk = step * max(1, int(chunk_seconds / 0.1))
    steps = -(-len(audio) // step)  # the last, partial step counts too (pyloudnorm's last block is cut short)
    step_energy = np.zeros((steps, audio.shape[1]))
    for start in range(0, len(audio), chunk):
        piece = audio[start:start + chunk].astype(np.float64)
        for channel in range(audio.shape[1]):
            signal = piece[:, channel]
            for index, (b, a, gain) in enumerate(stages):
                signal, states[channel][index] = lfilter(b, a, signal, zi=states[channel][index])
                signal = signal * gain
            squared = np.pad(signal ** 2, (0, -len(signal) % step))
            step_energy[start // step:start // step + len(squared) // step, channel] = squared.reshape(-1, step).sum(axis=1)
    blocks = int(round((len(audio) / sample_rate - 0.4) / 0.1)) + 1
    windows = np.lib.stride_tricks.sliding_window_view(step_energy, 4, axis=0)[:blocks].sum(axis=-1)
    mean_square = windows / (4 * step)  # (blocks, channels)
    with np.errstate(divide="ignore"):
        block_loudness = -0.691 + 10 * np.log10(mean_square.sum(axis=1))
        gated = mean_square[block_loudness >= -70.0]
        if len(gated) == 0:
            return float("-inf")
        relative = -0.691 + 10 * np.log10(gated.mean(axis=0).sum()) - 10.0
        final = mean_square[(block_loudness > relative) & (block_loudness > -70.0)]
        return float(-0.691 + 10 * np.log10(final.mean(axis=0).sum())) if len(final) else float("-inf")


def _channel_peaks(audio: np.ndarray) -> np.ndarray:
    """max |x| over channels per frame; numpy's reduce over a length-2 axis is ten times slower."""
    peaks = np.abs(audio[:, 0])
    for channel in range(1, audio.shape[1]):
        np.maximum(peaks, np.abs(audio[:, channel]), out=peaks)
    return peaks


def limit(audio: np.ndarray, sample_rate: int, ceiling_db: float, lookahead: float = 0.005) -> np.ndarray:
    """Look-ahead peak limiter, in place: gain never exceeds ceiling/|x| (min filter, then a shorter average).

    Works chunk by chunk and skips chunks with nothing over the ceiling, so quiet passages cost nothing.
    """
    ceiling = 10 ** (ceiling_db / 20)
    peaks = _channel_peaks(audio)
    if peaks.max(initial=0.0) <= ceiling:
        return audio
    width = max(1, int(lookahead * sample_rate))
    pad = 2 * width + 2
    chunk = sample_rate
    for start in range(0, len(audio), chunk):
        low, high = max(0, start - pad), min(len(audio), start + chunk + pad)
        if peaks[low:high].max() <= ceiling:
            continue
        gain = np.minimum(1.0, ceiling / np.maximum(peaks[low:high], 1e-12)).astype(np.float32)
        gain = uniform_filter1d(minimum_filter1d(gain, size=2 * width + 1), size=width + 1)
        stop = min(len(audio), start + chunk)
        audio[start:stop] *= gain[start - low:stop - low, None]  # `peaks` still holds the unlimited signal
    return audio


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
