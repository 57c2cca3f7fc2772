"""Loudness measurement (ITU-R BS.1770 integrated loudness, 4x-oversampled true peak) and a true-peak limiter.

Measurement lives with the media, not with mastering: muxing, speech ducking, soundfont calibration and the
evaluation measure loudness too. Each works on audio given block by block (`LoudnessMeter`, `TruePeakMeter`,
`limited`), so an hour of audio never needs to be in memory at once; the whole-array functions feed their
array through the same code, and any split into blocks gives the same bits as the whole array.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np
from pyloudnorm.iirfilter import IIRfilter
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import firwin, lfilter

MIN_MEASURABLE_SECONDS = 0.4
"""BS.1770 gates in 400 ms blocks: shorter audio has no integrated loudness."""
OVERSAMPLING_TAPS = 48
NEIGHBOUR_FRACTION = 0.7
"""Interpolate only next to samples above 70% (-3 dB) of the sample peak: a band-limited signal's
inter-sample overshoot stays within ~3 dB of its neighbours."""


@lru_cache(maxsize=1)
def _oversampling_taps() -> np.ndarray:
    """(12, 4) polyphase matrix of a 48-tap 4x interpolation filter (BS.1770-4 Annex 2 uses 48 taps)."""
    prototype = firwin(OVERSAMPLING_TAPS, 0.25 * 0.9, window=("kaiser", 8.0)) * 4
    phases = prototype.reshape(-1, 4)  # row k holds h[4k + p]
    return phases[::-1].astype(np.float32)


class TruePeakMeter:
    """4x-oversampled peak in dBTP of audio added block by block, evaluated only around samples near the sample peak.

    An inter-sample peak needs large neighbouring samples, so interpolating around those finds it; this
    keeps the cost proportional to the loud samples, not the length. "Near" is relative to the sample peak
    of the whole audio, which is known only at the end: each block interpolates around the samples near the
    peak so far (a superset), and keeps, per loudness of a centre's neighbours, only the best interpolated
    peak (a frontier: louder neighbours, higher peak), which `peak_db` then cuts at the final threshold.
    """

    def __init__(self) -> None:
        self._span = _oversampling_taps().shape[0]
        self._tail: np.ndarray | None = None  # the samples before the next centre that its window needs
        self._next = self._span // 2  # absolute index of the next centre to evaluate
        self._seen = 0
        self._sample_peak = 0.0
        self._keys = np.zeros(0, dtype=np.float32)  # neighbour loudness, decreasing
        self._peaks = np.zeros(0, dtype=np.float32)  # best interpolated peak at that loudness or more, increasing

    def add(self, block: np.ndarray) -> None:
        block = block.reshape(len(block), -1)
        self._sample_peak = max(self._sample_peak, float(np.max(np.abs(block), initial=0.0)))
        joined = block if self._tail is None else np.concatenate([self._tail, block])
        base = self._seen + len(block) - len(joined)  # absolute index of joined[0]
        self._seen += len(block)
        half = self._span // 2
        first, stop = self._next - base, self._seen - half - base  # centres in joined whose window is complete
        if stop > first:
            self._evaluate(joined, first, stop, NEIGHBOUR_FRACTION * self._sample_peak)
            self._next = stop + base
        self._tail = joined[max(0, self._next - half - base):].copy()

    def _evaluate(self, joined: np.ndarray, first: int, stop: int, threshold: float) -> None:
        taps = _oversampling_taps()
        half = self._span // 2
        offsets = np.arange(-half, self._span - half)
        keys, peaks = [self._keys], [self._peaks]
        for channel in range(joined.shape[1]):
            signal = joined[:, channel]
            magnitude = np.abs(signal[first:stop + 1])
            neighbours = np.maximum(magnitude[:-1], magnitude[1:])  # the interval before a loud sample too
            loud = np.flatnonzero(neighbours >= threshold)
            for start in range(0, len(loud), 65536):
                centres = loud[start:start + 65536]
                windows = signal[(centres + first)[:, None] + offsets]
                keys.append(neighbours[centres])
                peaks.append(np.max(np.abs(windows @ taps), axis=1))
        self._frontier(np.concatenate(keys), np.concatenate(peaks), threshold)

    def _frontier(self, keys: np.ndarray, peaks: np.ndarray, threshold: float) -> None:
        """Keep the points no other beats on both neighbour loudness and peak, above `threshold` (it only rises)."""
        order = np.argsort(-keys, kind="stable")
        keys, peaks = keys[order], peaks[order]
        best = np.maximum.accumulate(peaks) if len(peaks) else peaks
        rises = np.ones(len(best), dtype=bool)
        rises[1:] = best[1:] > best[:-1]
        keep = rises & (keys >= threshold)
        self._keys, self._peaks = keys[keep], best[keep]

    def peak_db(self) -> float:
        if self._sample_peak == 0.0:
            return float("-inf")
        near = self._peaks[self._keys >= NEIGHBOUR_FRACTION * self._sample_peak]
        return 20 * np.log10(max(self._sample_peak, float(np.max(near, initial=0.0))))


def true_peak_db(audio: np.ndarray, sample_rate: int, chunk_seconds: float = 30.0) -> float:
    """`TruePeakMeter` over a whole array."""
    meter = TruePeakMeter()
    for block in _blocks(audio, max(1, int(chunk_seconds * sample_rate))):
        meter.add(block)
    return meter.peak_db()


def _blocks(audio: np.ndarray, frames: int) -> Iterator[np.ndarray]:
    audio = audio.reshape(len(audio), -1)
    for start in range(0, len(audio), frames):
        yield audio[start:start + frames]


def _k_weighting(sample_rate: int) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """BS.1770's two K-weighting stages, with pyloudnorm's coefficients: (b, a, passband gain)."""
    stages = (IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, sample_rate, "high_shelf"),
              IIRfilter(0.0, 0.5, 38.0, sample_rate, "high_pass"))
    return [(stage.b, stage.a, stage.passband_gain) for stage in stages]


class LoudnessMeter:
    """BS.1770-4 gated loudness of audio added block by block, equal to pyloudnorm's but vectorised.

    Energy is summed per 100 ms step; each 400 ms block is four consecutive steps, which is exactly
    pyloudnorm's block layout (75% overlap). What is kept between blocks: the K-weighting filters' state,
    the part of a step not yet complete and one energy per step and channel (12,000 an hour).
    """

    def __init__(self, sample_rate: int) -> None:
        self._sample_rate = sample_rate
        self._step = int(round(0.1 * sample_rate))
        self._stages = _k_weighting(sample_rate)
        self._states: list[list[np.ndarray]] = []  # per channel, per stage
        self._partial = np.zeros((0, 0))  # weighted squares of the step begun, (channels, samples)
        self._energy: list[np.ndarray] = []  # (steps, channels) per block
        self._frames = 0
        self._audible = False

    def add(self, block: np.ndarray) -> None:
        block = block.reshape(len(block), -1)
        if not len(block):
            return
        if not self._states:
            self._states = [[np.zeros(max(len(a), len(b)) - 1) for b, a, _ in self._stages] for _ in range(block.shape[1])]
            self._partial = np.zeros((block.shape[1], 0))
        self._frames += len(block)
        self._audible = self._audible or bool(np.any(block))
        piece = block.astype(np.float64)
        squares = np.empty((piece.shape[1], len(piece) + self._partial.shape[1]))
        squares[:, :self._partial.shape[1]] = self._partial
        for channel in range(piece.shape[1]):
            signal = piece[:, channel]
            for index, (b, a, gain) in enumerate(self._stages):
                signal, self._states[channel][index] = lfilter(b, a, signal, zi=self._states[channel][index])
                signal = signal * gain
            squares[channel, self._partial.shape[1]:] = signal ** 2
        whole = squares.shape[1] - squares.shape[1] % self._step
        self._energy.append(self._step_energy(squares[:, :whole]))
        self._partial = squares[:, whole:].copy()

    def _step_energy(self, squares: np.ndarray) -> np.ndarray:
        """(steps, channels) sums of (channels, samples) squares; each step is summed as one contiguous row,
        which gives the same bits however the audio was split into blocks."""
        return squares.reshape(len(squares), -1, self._step).sum(axis=2).T

    def lufs(self) -> float:
        """Integrated loudness of everything added so far; -inf below the gate, for silence or under 400 ms."""
        rate, step = self._sample_rate, self._step
        if self._frames < MIN_MEASURABLE_SECONDS * rate or not self._audible:
            return float("-inf")
        last = [self._step_energy(np.pad(self._partial, ((0, 0), (0, step - self._partial.shape[1]))))] \
            if self._partial.shape[1] else []  # the last, partial step counts too (pyloudnorm's last block is cut short)
        step_energy = np.concatenate(self._energy + last)
        blocks = int(round((self._frames / rate - 0.4) / 0.1)) + 1
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


class OutputMeter:
    """Integrated loudness and true peak of audio on its way somewhere (a mastered pass, a mix being written):
    `metered` passes the blocks on unchanged, measuring each."""

    def __init__(self, sample_rate: int) -> None:
        self.loudness, self.peak = LoudnessMeter(sample_rate), TruePeakMeter()

    def metered(self, blocks: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        for block in blocks:
            self.loudness.add(block)
            self.peak.add(block)
            yield block

    def measured(self) -> tuple[float, float]:
        """(integrated loudness in LUFS, true peak in dBTP) of every block passed so far."""
        return self.loudness.lufs(), self.peak.peak_db()


def integrated_lufs(audio: np.ndarray, sample_rate: int, chunk_seconds: float = 30.0) -> float:
    """`LoudnessMeter` over a whole array, `chunk_seconds` at a time (memory stays at one chunk per channel)."""
    meter = LoudnessMeter(sample_rate)
    for block in _blocks(audio, max(1, int(chunk_seconds * sample_rate))):
        meter.add(block)
    return meter.lufs()


def _channel_peaks(audio: np.ndarray) -> np.ndarray:
    """max |x| over channels per frame; numpy's reduce over a length-2 axis is ten times slower."""
    peaks = np.abs(audio[:, 0])
    for channel in range(1, audio.shape[1]):
        np.maximum(peaks, np.abs(audio[:, channel]), out=peaks)
    return peaks


def limited(blocks: Iterable[np.ndarray], sample_rate: int, ceiling_db: float,
            lookahead: float = 0.005) -> Iterator[np.ndarray]:
    """Look-ahead peak limiter over audio given block by block: yields it limited, one second a piece.

    The gain never exceeds ceiling/|x| (a min filter, then a shorter average). Each second's gain is worked
    out over that second plus `pad` samples either side, with the second's position fixed from the start of
    the audio, so the result does not depend on how the input was split; a second with nothing over the
    ceiling nearby passes as it is, so quiet passages cost nothing. Holds about one input block.
    """
    ceiling = 10 ** (ceiling_db / 20)
    width = max(1, int(lookahead * sample_rate))
    pad = 2 * width + 2
    chunk = sample_rate
    held: np.ndarray | None = None  # the input from `start - pad` (or 0) on: copied, the caller may reuse its blocks
    peaks = np.zeros(0, dtype=np.float32)
    start = 0  # absolute position of the next second to limit
    low = 0  # absolute position of held[0]

    def second() -> np.ndarray:
        assert held is not None
        stop = min(start + chunk, low + len(held))
        high = min(low + len(held), start + chunk + pad)
        window = peaks[max(0, start - pad) - low:high - low]
        audio = held[start - low:stop - low]
        if window.max(initial=0.0) <= ceiling:
            return audio
        gain = np.minimum(1.0, ceiling / np.maximum(window, 1e-12)).astype(np.float32)
        gain = uniform_filter1d(minimum_filter1d(gain, size=2 * width + 1), size=width + 1)
        offset = start - max(0, start - pad)
        return audio * gain[offset:offset + stop - start, None]

    for block in blocks:
        block = block.reshape(len(block), -1)
        held = np.array(block, dtype=block.dtype) if held is None else np.concatenate([held, block])
        peaks = np.concatenate([peaks, _channel_peaks(block)])
        while low + len(held) >= start + chunk + pad:
            yield second()
            start += chunk
            cut = max(0, start - pad) - low
            held, peaks, low = held[cut:], peaks[cut:], low + cut
    while held is not None and start < low + len(held):
        yield second()
        start += chunk

