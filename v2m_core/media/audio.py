"""Getting a video's own soundtrack out as WAV, and reading WAV files as float arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

from v2m_core.errors import MediaError
from v2m_core.media.ffmpeg import media_url, run_ffmpeg
from v2m_core.media.probe import probe


def extract_audio(video: Path, output: Path, sample_rate: int = 44100, mono: bool = False) -> bool:
    """Decode the first audio stream of `video` to 16-bit WAV; False (and no file) when it has none."""
    if not probe(Path(video)).has_audio:
        return False
    channels = ["-ac", "1"] if mono else []
    arguments = ["-i", media_url(video), "-map", "0:a:0", "-vn", *channels, "-ar", str(sample_rate), "-c:a", "pcm_s16le"]
    run_ffmpeg([*arguments, media_url(output)], blame=Path(video))
    return True


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Samples as float32 shaped (frames, channels), and the sample rate."""
    try:
        samples, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (OSError, RuntimeError) as error:
        raise MediaError(path, f"cannot read WAV audio ({error})") from error
    return samples, int(rate)
