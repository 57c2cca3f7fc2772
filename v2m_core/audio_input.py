"""Audio from any audio or video file ffmpeg reads, as mono float32 at a chosen rate, block by block.

Decoding streams through a pipe, so a long soundtrack never sits in memory at once: callers take
blocks of bounded length (`iter_audio`) or, for short files, the whole signal (`load_audio`).
"""

from __future__ import annotations

import subprocess
from math import gcd
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from v2m_core import children
from v2m_core.errors import MediaError
from v2m_core.media.ffmpeg import error_line

BYTES_PER_SAMPLE = 4


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise MediaError(path, "file not found")
    if path.is_dir():
        raise MediaError(path, "is a directory, not an audio or video file")
    if path.stat().st_size == 0:
        raise MediaError(path, "empty file (0 bytes)")


def iter_audio(path: Path, sample_rate: int, block_seconds: float = 600.0) -> Iterator[np.ndarray]:
    """Yield mono float32 blocks of `block_seconds` (the last may be shorter) from the first audio stream."""
    path = Path(path)
    _check_readable(path)
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path), "-map", "0:a:0", "-vn",
               "-ac", "1", "-ar", str(sample_rate), "-f", "f32le", "-"]
    block_bytes = max(1, int(block_seconds * sample_rate)) * BYTES_PER_SAMPLE
    with tempfile.TemporaryFile() as errors:
        decoded = 0
        with children.started(command, stdout=subprocess.PIPE, stderr=errors) as process:
            assert process.stdout is not None
            while chunk := process.stdout.read(block_bytes):
                usable = len(chunk) - len(chunk) % BYTES_PER_SAMPLE
                decoded += usable
                yield np.frombuffer(chunk[:usable], dtype=np.float32).copy()
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace")
            if "matches no streams" in message:
                raise MediaError(path, "has no audio stream")
            reason = error_line(message).removeprefix(f"{path}: ")
            raise MediaError(path, f"cannot decode audio: damaged, or not a format ffmpeg reads ({reason})")
        if decoded == 0:
            raise MediaError(path, "has no audio samples")


def load_audio(path: Path, sample_rate: int) -> np.ndarray:
    """The whole first audio stream as one mono float32 array."""
    return np.concatenate(list(iter_audio(path, sample_rate)))


def as_mono(audio: np.ndarray) -> np.ndarray:
    """(frames,) or (frames, channels) -> (frames,) float32, channels averaged."""
    samples = np.asarray(audio, dtype=np.float32)
    return samples.mean(axis=1) if samples.ndim > 1 else samples


def resample(audio: np.ndarray, sample_rate: int, target_rate: int) -> np.ndarray:
    """Polyphase resampling (scipy), exact for any pair of integer rates."""
    if sample_rate == target_rate or len(audio) == 0:
        return np.asarray(audio, dtype=np.float32)
    from scipy.signal import resample_poly

    common = gcd(sample_rate, target_rate)
    return resample_poly(audio, target_rate // common, sample_rate // common).astype(np.float32)


def resampled(blocks: Iterable[np.ndarray], sample_rate: int, target_rate: int) -> Iterator[np.ndarray]:
    """`resample` over mono audio given block by block: the pieces joined are bit for bit the whole resampled.

    Each piece starts where the two rates' sample grids meet and is resampled with `margin` samples of audio
    either side (more than the filter's half length), of which only the middle is kept: every output sample
    is then the same sum of the same input samples as in the whole. Holds about one block.
    """
    if sample_rate == target_rate:
        yield from (np.asarray(block, dtype=np.float32) for block in blocks)
        return
    common = gcd(sample_rate, target_rate)
    up, down = target_rate // common, sample_rate // common
    margin = down * -(-(10 * max(up, down) // up + 2) // down)  # resample_poly's half length is 10 * max(up, down)
    held, low, done = np.zeros(0, dtype=np.float32), 0, 0  # held starts at `low`; output is out up to `done`

    def piece(stop: int | None) -> np.ndarray:
        """Output for the input from `done` to `stop` (a grid point), or to the end of the audio (None)."""
        first = max(0, done - margin)
        last = low + len(held) if stop is None else stop + margin
        out = resample(held[first - low:last - low], sample_rate, target_rate)
        skip = (done - first) * up // down
        return out[skip:] if stop is None else out[skip:skip + (stop - done) * up // down]

    for block in blocks:
        held = np.concatenate([held, np.asarray(block, dtype=np.float32)])
        stop = (low + len(held) - margin) // down * down
        if stop > done:
            yield piece(stop)
            done = stop
            cut = max(0, done - margin) - low
            held, low = held[cut:], low + cut
    if low + len(held) > done:
        yield piece(None)


def prepare(audio: np.ndarray, sample_rate: int, target_rate: int) -> np.ndarray:
    """What a recognizer with a fixed input rate needs: mono float32 at `target_rate`."""
    return resample(as_mono(audio), sample_rate, target_rate)
