"""Mastering: fades, loudness normalisation to a target and true-peak limiting (measured with media/loudness.py).

Integrated loudness lands on the target; the limiter then keeps the 4x-oversampled (true) peak
under the ceiling, and the gain is re-trimmed because limiting lowers loudness a little.

Every pass streams the audio block by block from its source (FluidSynth's WAV is read again from disk
each time) through the fades, the gain, the limiter and the meters into the output, so what mastering
holds does not grow with the length: a few blocks, whatever the video's duration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np

from v2m_core.atomic import atomic_path
from v2m_core.media.audio import ArrayBlocks, AudioBlocks, write_wav_blocks
from v2m_core.media.loudness import LoudnessMeter, OutputMeter, limited
from v2m_core.schemas.composition import LoudnessReport

MASTERING_PASSES = 6
MAX_GAIN_DB = 60.0
"""Largest boost or cut the normaliser applies: a gain is always finite and bounded, never full-scale noise."""
BLOCK_SECONDS = 10
"""Audio read a block at a time: a whole number of seconds, so blocks line up with the limiter's seconds."""

Writer = Callable[[Iterable[np.ndarray]], None]
"""Takes one pass's output, block by block, and puts it where it belongs (a file, an array)."""


class Fades:
    """A linear fade-in and an equal-power fade-out over the last `fade_out` seconds of `frames` frames,
    applied block by block at each block's position."""

    def __init__(self, frames: int, sample_rate: int, fade_in: float, fade_out: float) -> None:
        self._frames = frames
        n_in = min(frames, int(fade_in * sample_rate))
        n_out = min(frames, int(fade_out * sample_rate))
        self._fade_in = np.linspace(0, 1, n_in, dtype=np.float32)[:, None]
        self._fade_out = np.cos(np.linspace(0, np.pi / 2, n_out, dtype=np.float32))[:, None]

    def over(self, blocks: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        """Each of `blocks` (consecutive, from the first frame on) faded in place at its position."""
        start = 0
        out_start = self._frames - len(self._fade_out)
        for block in blocks:
            stop = start + len(block)
            if start < len(self._fade_in):
                block[:len(self._fade_in) - start] *= self._fade_in[start:stop]
            if stop > out_start:
                block[max(0, out_start - start):] *= self._fade_out[max(0, start - out_start):stop - out_start]
            start = stop
            yield block


def _faded(source: AudioBlocks, sample_rate: int, gain: float, fade_in: float,
           fade_out: float) -> Iterator[np.ndarray]:
    """One pass over `source`, faded, then multiplied by the linear `gain` (as float32), block by block."""
    float_gain = np.float32(gain)
    for block in Fades(source.frames, sample_rate, fade_in, fade_out).over(source.blocks()):
        yield np.multiply(block, float_gain, out=block)


def master_wav(source: AudioBlocks, sample_rate: int, output: Path, target_lufs: float, ceiling_dbtp: float,
               fade_in: float = 0.05, fade_out: float = 2.0) -> tuple[LoudnessReport, float]:
    """Master `source` into the 24-bit WAV `output` (atomically); returns the report and the gain in dB applied.

    Each pass that may be the last writes the temporary file, so the last one is what appears.
    """
    with atomic_path(output) as temporary:
        return mastered(source, sample_rate, target_lufs, ceiling_dbtp, fade_in, fade_out,
                        lambda blocks: write_wav_blocks(temporary, blocks, sample_rate, source.channels))


def master(audio: np.ndarray, sample_rate: int, target_lufs: float, ceiling_dbtp: float,
           fade_in: float = 0.05, fade_out: float = 2.0) -> tuple[np.ndarray, LoudnessReport, float]:
    """Fade, normalise to `target_lufs`, limit to `ceiling_dbtp`; returns audio, report and the gain in dB applied.

    The in-memory form of `master_wav` (the same passes, over an array); `audio` is left as it was.
    """
    source = ArrayBlocks(np.asarray(audio, dtype=np.float32).reshape(len(audio), -1), BLOCK_SECONDS * sample_rate)
    out = np.empty_like(source.audio)

    def write(blocks: Iterable[np.ndarray]) -> None:
        position = 0
        for block in blocks:
            out[position:position + len(block)] = block
            position += len(block)

    report, gain_db = mastered(source, sample_rate, target_lufs, ceiling_dbtp, fade_in, fade_out, write)
    return out, report, gain_db


def mastered(source: AudioBlocks, sample_rate: int, target_lufs: float, ceiling_dbtp: float, fade_in: float,
             fade_out: float, write: Writer) -> tuple[LoudnessReport, float]:
    """The mastering passes over `source`; every pass that may be the last gives its output to `write`."""
    loudness_meter = LoudnessMeter(sample_rate)
    sample_peak = np.float32(0.0)  # float32, as the gain derived from it always was
    for block in _faded(source, sample_rate, 1.0, fade_in, fade_out):
        loudness_meter.add(block)
        sample_peak = max(sample_peak, np.max(np.abs(block), initial=np.float32(0.0)))
    measured = loudness_meter.lufs()
    if not np.isfinite(measured):  # too short or silent: peak-normalise instead
        gain_db = ceiling_dbtp - 20 * np.log10(sample_peak) - 0.5 if sample_peak > 0 else 0.0
        loudness, peak = _output_pass(_faded(source, sample_rate, 10 ** (gain_db / 20), fade_in, fade_out),
                                      sample_rate, write)
        return LoudnessReport.measured(loudness, peak), gain_db
    gain_db = float(np.clip(target_lufs - measured, -MAX_GAIN_DB, MAX_GAIN_DB))
    threshold = ceiling_dbtp - 0.3  # sample peaks under this keep inter-sample peaks under the ceiling
    last = MASTERING_PASSES - 1
    for attempt in range(MASTERING_PASSES):
        gained = _faded(source, sample_rate, 10 ** (gain_db / 20), fade_in, fade_out)
        loudness, peak = _output_pass(limited(gained, sample_rate, threshold), sample_rate, write)
        if peak > ceiling_dbtp and attempt < last:
            threshold -= peak - ceiling_dbtp + 0.05
            continue
        if not np.isfinite(loudness) or abs(loudness - target_lufs) <= 0.2 or attempt == last:
            break  # below BS.1770's gate the loudness is -inf: no finite gain can be derived from it
        gain_db = float(np.clip(gain_db + target_lufs - loudness, -MAX_GAIN_DB, MAX_GAIN_DB))
    return LoudnessReport.measured(loudness, peak), gain_db


def _output_pass(blocks: Iterable[np.ndarray], sample_rate: int, write: Writer) -> tuple[float, float]:
    """Give `blocks` to `write`, measuring them on the way: (integrated loudness, true peak in dBTP)."""
    meter = OutputMeter(sample_rate)
    write(meter.metered(blocks))
    return meter.measured()
