"""Getting a video's own soundtrack out, as WAV or as float arrays, and reading and writing WAV files as float
arrays, whole or block by block."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

import numpy as np
import soundfile

from v2m_core.errors import MediaError
from v2m_core.media.ffmpeg import ffmpeg_running, media_url, run_ffmpeg
from v2m_core.media.probe import audio_channels, probe


def extract_audio(video: Path, output: Path, sample_rate: int = 44100, mono: bool = False) -> bool:
    """Decode the first audio stream of `video` to 16-bit WAV; False (and no file) when it has none."""
    if not probe(Path(video)).has_audio:
        return False
    channels = ["-ac", "1"] if mono else []
    arguments = ["-i", media_url(video), "-map", "0:a:0", "-vn", *channels, "-ar", str(sample_rate), "-c:a", "pcm_s16le"]
    run_ffmpeg([*arguments, media_url(output)], blame=Path(video))
    return True


def decode_audio_blocks(video: Path, sample_rate: int, mono: bool = False,
                        block_seconds: float = 60.0) -> tuple[int, Iterator[np.ndarray]] | None:
    """The first audio stream of `video` at `sample_rate` as it is decoded: its channel count, and float32
    (frames, channels) blocks of `block_seconds` (the last may be shorter), or (frames,) with the channels
    averaged when `mono` (ffmpeg runs while they are taken); None when there is no audio stream.

    The samples are those of the 16-bit WAV `extract_audio` writes, as `read_wav` reads them, but come through
    a pipe: nothing is written and read back, and a long soundtrack is never in memory whole.
    """
    video = Path(video)
    channels = audio_channels(video)
    if channels is None:
        return None
    return channels, _decoded_blocks(video, sample_rate, channels, mono, block_seconds)


def _decoded_blocks(video: Path, sample_rate: int, channels: int, mono: bool,
                    block_seconds: float) -> Iterator[np.ndarray]:
    arguments = ["-i", media_url(video), "-map", "0:a:0", "-vn", "-ac", str(channels), "-ar", str(sample_rate),
                 "-c:a", "pcm_s16le", "-f", "s16le", "pipe:1"]
    frame_bytes = 2 * channels
    with ffmpeg_running(arguments, blame=video, stdout=subprocess.PIPE) as process:
        assert process.stdout is not None
        while block := process.stdout.read(max(1, int(block_seconds * sample_rate)) * frame_bytes):
            samples = np.frombuffer(block[:len(block) - len(block) % frame_bytes], dtype="<i2").reshape(-1, channels)
            audio = samples.astype(np.float32) / np.float32(32768)
            yield audio.mean(axis=1) if mono and channels > 1 else audio[:, 0] if mono else audio


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Samples as float32 shaped (frames, channels), and the sample rate."""
    try:
        samples, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (OSError, RuntimeError) as error:
        raise MediaError(path, f"cannot read WAV audio ({error})") from error
    return samples, int(rate)


class AudioBlocks(Protocol):
    """Audio that can be read more than once, block by block, so a long one need not be held in memory:
    each `blocks()` is one pass, as fresh float32 (frames, channels) arrays that the reader may change."""

    @property
    def frames(self) -> int: ...

    @property
    def channels(self) -> int: ...

    def blocks(self) -> Iterator[np.ndarray]: ...


class WavBlocks:
    """A WAV file as AudioBlocks, cut or padded with silence to `frames`: each pass reads it again from disk."""

    def __init__(self, path: Path, frames: int, block_frames: int) -> None:
        self.path, self.frames, self._block_frames = Path(path), frames, block_frames
        try:
            self.channels = soundfile.info(str(path)).channels
        except (OSError, RuntimeError) as error:
            raise MediaError(path, f"cannot read WAV audio ({error})") from error

    def blocks(self) -> Iterator[np.ndarray]:
        with soundfile.SoundFile(str(self.path)) as wav:
            yield from fitted_blocks(wav.blocks(self._block_frames, dtype="float32", always_2d=True), self.frames,
                                     self._block_frames, self.channels)


class ArrayBlocks:
    """An array as AudioBlocks: each pass yields copies, which the reader may change."""

    def __init__(self, audio: np.ndarray, block_frames: int) -> None:
        self.audio, self.frames, self.channels = audio, len(audio), audio.shape[1]
        self._block_frames = block_frames

    def blocks(self) -> Iterator[np.ndarray]:
        for start in range(0, self.frames, self._block_frames):
            yield self.audio[start:start + self._block_frames].copy()


class DecodedBlocks:
    """The first audio stream of a video at `sample_rate` as AudioBlocks, cut or padded with silence to `frames`:
    each pass decodes it again through a pipe (`decode_audio_blocks`), so it is never in memory whole."""

    def __init__(self, video: Path, sample_rate: int, frames: int, block_frames: int) -> None:
        self.video, self.sample_rate, self.frames, self._block_frames = Path(video), sample_rate, frames, block_frames
        channels = audio_channels(self.video)
        if channels is None:
            raise MediaError(self.video, "has no audio stream")
        self.channels = channels

    def blocks(self) -> Iterator[np.ndarray]:
        decoded = _decoded_blocks(self.video, self.sample_rate, self.channels, False, self._block_frames / self.sample_rate)
        yield from fitted_blocks(decoded, self.frames, self._block_frames, self.channels)


def fitted_blocks(blocks: Iterator[np.ndarray], frames: int, block_frames: int, channels: int) -> Iterator[np.ndarray]:
    """`blocks` of float32 (n, channels) regrouped into consecutive pieces of `block_frames` (the last may be
    shorter), cut or padded with silence to `frames` in all. Pieces are fresh arrays; `blocks` is closed once
    `frames` are out (a decoder stops there)."""
    held = np.zeros((0, channels), dtype=np.float32)
    try:
        for position in range(0, frames, block_frames):
            wanted = min(block_frames, frames - position)
            while len(held) < wanted and (block := next(blocks, None)) is not None:
                held = np.concatenate([held, block])
            piece = held[:wanted]
            held = held[wanted:]
            yield piece if len(piece) == wanted else \
                np.concatenate([piece, np.zeros((wanted - len(piece), channels), dtype=np.float32)])
    finally:
        close = getattr(blocks, "close", None)
        if close is not None:
            close()


def write_wav_blocks(path: Path, blocks: Iterable[np.ndarray], sample_rate: int, channels: int) -> None:
    """Write `blocks` as one 24-bit WAV at `path` (not atomically: callers write a temporary, atomic.py)."""
    with soundfile.SoundFile(str(path), "w", sample_rate, channels, subtype="PCM_24", format="WAV") as wav:
        for block in blocks:
            wav.write(block)
