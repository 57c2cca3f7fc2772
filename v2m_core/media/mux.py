"""Putting the music under the original picture without re-encoding it, atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from v2m_core.atomic import atomic_path
from v2m_core.errors import MediaError
from v2m_core.media.ffmpeg import run_ffmpeg
from v2m_core.media.probe import probe

MuxMode = Literal["replace", "mix", "keep"]

CONTAINERS: dict[str, str] = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov", ".mkv": "matroska"}


def mux(
    video: Path,
    music_wav: Path,
    output: Path,
    mode: MuxMode = "replace",
    mix_gain_db: float = -12.0,
) -> None:
    """Write `output`: the video stream copied bit for bit, plus the music as AAC cut or padded to the video's length.

    replace: the music alone; mix: the original audio `mix_gain_db` under the music, as one stream;
    keep: the original audio first and the music as a second stream. Without original audio,
    mix and keep act as replace. The output appears only once complete.
    """
    video, music_wav, output = Path(video), Path(music_wav), Path(output)
    container = CONTAINERS.get(output.suffix.lower())
    if container is None:
        raise MediaError(output, f"unsupported output extension '{output.suffix}' (use {', '.join(CONTAINERS)})")
    if same_file(video, output):
        raise MediaError(output, "output would overwrite the input video")
    if not music_wav.is_file():
        raise MediaError(music_wav, "file not found")
    info = probe(video)
    effective = mode if info.has_audio else "replace"
    arguments = [
        "-i", str(video), "-i", str(music_wav), "-map_metadata", "0", "-c:v", "copy", "-c:a", "aac", "-b:a", "192k",
        *_audio_arguments(effective, mix_gain_db), "-t", f"{info.duration:.6f}", "-movflags", "+faststart",
        "-f", container,
    ]
    try:
        with atomic_path(output) as temporary:
            run_ffmpeg([*arguments, str(temporary)], blame=output)
    except OSError as error:
        raise MediaError(output, f"cannot write the output ({error.strerror or error})") from error


def _audio_arguments(mode: MuxMode, mix_gain_db: float) -> list[str]:
    """Maps, filters and codec overrides for each mode (after the defaults, so they win).

    `apad` makes the music at least as long as the video; the output's `-t` then trims it.
    """
    if mode == "mix":
        graph = (
            f"[0:a:0]volume={mix_gain_db}dB[original];"
            "[original][1:a:0]amix=inputs=2:duration=longest:normalize=0,apad[music]"
        )
        return ["-filter_complex", graph, "-map", "0:v:0", "-map", "[music]"]
    if mode == "keep":
        return [
            "-filter_complex", "[1:a:0]apad[music]", "-map", "0:v:0", "-map", "0:a:0", "-map", "[music]",
            "-c:a:0", "copy",
        ]
    return ["-filter_complex", "[1:a:0]apad[music]", "-map", "0:v:0", "-map", "[music]"]


def same_file(video: Path, output: Path) -> bool:
    if video.resolve() == output.resolve():
        return True
    try:
        return output.exists() and os.path.samefile(video, output)
    except OSError:
        return False
