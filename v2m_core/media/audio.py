"""Getting a video's own soundtrack out, as WAV or as float arrays, and reading WAV files as float arrays."""

from __future__ import annotations

import subprocess
from pathlib import Path

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


def decode_audio(video: Path, sample_rate: int, mono: bool = False, block_seconds: float = 60.0) -> np.ndarray | None:
    """The first audio stream of `video` at `sample_rate`, as float32 (frames, channels), or (frames,) with the
    channels averaged when `mono`; None when there is none.

    The samples are those of the 16-bit WAV `extract_audio` writes, as `read_wav` reads them, but come through
    a pipe: nothing is written and read back, and a mono fold is made block by block, so it never holds every
    channel of a long soundtrack.
    """
    video = Path(video)
    channels = audio_channels(video)
    if channels is None:
        return None
    arguments = ["-i", media_url(video), "-map", "0:a:0", "-vn", "-ac", str(channels), "-ar", str(sample_rate),
                 "-c:a", "pcm_s16le", "-f", "s16le", "pipe:1"]
    frame_bytes = 2 * channels
    blocks: list[np.ndarray] = []
    with ffmpeg_running(arguments, blame=video, stdout=subprocess.PIPE) as process:
        assert process.stdout is not None
        while block := process.stdout.read(max(1, int(block_seconds * sample_rate)) * frame_bytes):
            samples = np.frombuffer(block[:len(block) - len(block) % frame_bytes], dtype="<i2").reshape(-1, channels)
            audio = samples.astype(np.float32) / np.float32(32768)
            blocks.append(audio.mean(axis=1) if mono and channels > 1 else audio[:, 0] if mono else audio)
    return np.concatenate(blocks) if blocks else np.zeros((0,) if mono else (0, channels), dtype=np.float32)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Samples as float32 shaped (frames, channels), and the sample rate."""
    try:
        samples, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (OSError, RuntimeError) as error:
        raise MediaError(path, f"cannot read WAV audio ({error})") from error
    return samples, int(rate)
