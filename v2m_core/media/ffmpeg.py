"""Running the ffmpeg command-line tools and turning their failures into one-line MediaErrors."""

from __future__ import annotations

import subprocess
from pathlib import Path

from v2m_core.errors import MediaError


def error_line(stderr: str, last: bool = False) -> str:
    """ffmpeg's first (or last) message line, without its "[component @ 0x...] " prefix."""
    lines = [text.strip() for text in stderr.splitlines() if text.strip()]
    if not lines:
        return "no error message"
    line = lines[-1] if last else lines[0]
    return line.split("] ", 1)[1] if line.startswith("[") and "] " in line else line


def media_url(path: Path | str) -> str:
    """A local file as ffmpeg and ffprobe must be given it: a `file:` URL of the absolute path, so a name
    that starts with '-' is never read as an option, nor one with a ':' as another protocol."""
    return f"file:{Path(path).absolute()}"


def run_ffmpeg(arguments: list[str], blame: Path) -> None:
    """Run ffmpeg quietly; on failure raise a MediaError naming `blame` and ffmpeg's last error."""
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False)
    if result.returncode != 0:
        raise MediaError(blame, f"ffmpeg failed: {error_line(result.stderr, last=True)}")
