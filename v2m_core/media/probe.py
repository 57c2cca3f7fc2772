"""Read container facts with ffprobe before any decoding, and refuse unusable files early."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from v2m_core import children
from v2m_core.errors import MediaError
from v2m_core.media.ffmpeg import error_line, media_url
from v2m_core.schemas.analysis import VideoProbe

VFR_TOLERANCE = 0.02
"""Relative gap between r_frame_rate and avg_frame_rate above which a stream counts as variable."""


def probe(path: Path) -> VideoProbe:
    """Describe the first video stream of `path` as it is displayed (rotation applied)."""
    path = Path(path)
    if not path.exists():
        raise MediaError(path, "file not found")
    if path.is_dir():
        raise MediaError(path, "is a directory, not a video file")
    if path.stat().st_size == 0:
        raise MediaError(path, "empty file (0 bytes)")
    info = _ffprobe(path)
    streams: list[dict[str, Any]] = info.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video" and not _is_cover_art(s)), None)
    if video is None:
        raise MediaError(path, "has no video stream")
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)

    duration = _first_positive(video.get("duration"), info.get("format", {}).get("duration"))
    if duration is None:
        raise MediaError(path, "video has zero duration")
    frame_count = int(video["nb_frames"]) if str(video.get("nb_frames", "")).isdigit() else None
    if frame_count == 0:
        raise MediaError(path, "video has no frames")
    nominal = _rate(video.get("r_frame_rate"))
    average = _rate(video.get("avg_frame_rate"))
    fps = average or nominal
    if not fps:
        raise MediaError(path, "video frame rate is unknown")
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    if width <= 0 or height <= 0:
        raise MediaError(path, "video has no picture size")
    rotation = _rotation(video)
    if rotation in (90, 270):
        width, height = height, width
    return VideoProbe(
        path=str(path),
        duration=duration,
        fps=fps,
        frame_count=frame_count,
        width=width,
        height=height,
        rotation=rotation,
        video_codec=str(video.get("codec_name", "")),
        has_audio=audio is not None,
        audio_codec=str(audio.get("codec_name", "")) if audio is not None else None,
        variable_frame_rate=bool(nominal and average and abs(nominal - average) > VFR_TOLERANCE * nominal),
    )


def audio_channels(path: Path) -> int | None:
    """Channels of the first audio stream of `path` as ffmpeg decodes it; None when it has none."""
    audio = next((s for s in _ffprobe(Path(path)).get("streams", []) if s.get("codec_type") == "audio"), None)
    if audio is None:
        return None
    if not str(audio.get("channels", "")).isdigit() or int(audio["channels"]) < 1:
        raise MediaError(Path(path), "its audio stream has no channel count")
    return int(audio["channels"])


def _ffprobe(path: Path) -> dict[str, Any]:
    """Run ffprobe; a failure means the file is not media, or is a damaged container."""
    command = ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format", media_url(path)]
    result = children.run(command, text=True, errors="replace")
    info: dict[str, Any] = json.loads(result.stdout) if result.returncode == 0 and result.stdout.strip() else {}
    if info.get("streams"):
        return info
    if _looks_like_media(path):
        raise MediaError(path, f"corrupt or truncated video ({error_line(result.stderr)})")
    raise MediaError(path, "not a video file (ffprobe could not read it)")


def _looks_like_media(path: Path) -> bool:
    """Whether the file starts like an ISO-BMFF, Matroska or RIFF container (so damaged, not the wrong kind)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError:
        return False
    return head[4:8] in {b"ftyp", b"moov", b"mdat", b"free", b"wide"} or head[:4] in {b"\x1aE\xdf\xa3", b"RIFF"}


def _is_cover_art(stream: dict[str, Any]) -> bool:
    return bool(stream.get("disposition", {}).get("attached_pic"))


def _first_positive(*values: object) -> float | None:
    for value in values:
        try:
            number = float(str(value))
        except ValueError:
            continue
        if number > 0:
            return number
    return None


def _rate(text: object) -> float | None:
    """Parse ffprobe's "num/den" rates; "0/0" means unknown."""
    try:
        rate = Fraction(str(text))
    except (ValueError, ZeroDivisionError):
        return None
    return float(rate) if rate > 0 else None


def _rotation(stream: dict[str, Any]) -> int:
    """Clockwise degrees a player turns the picture.

    The display matrix's "rotation" is counter-clockwise; the legacy `rotate` tag is clockwise.
    """
    for side_data in stream.get("side_data_list", []):
        if "rotation" in side_data:
            return _quarter_turns(-float(side_data["rotation"]))
    tag = stream.get("tags", {}).get("rotate")
    return _quarter_turns(float(tag)) if tag is not None else 0


def _quarter_turns(degrees: float) -> int:
    return int(round(degrees / 90.0)) % 4 * 90
