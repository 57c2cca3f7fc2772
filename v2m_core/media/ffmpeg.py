"""Running the ffmpeg command-line tools and turning their failures into one-line MediaErrors."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from v2m_core import children
from v2m_core.atomic import NO_SPACE_MESSAGES
from v2m_core.errors import DiskFullError, MediaError


CONSEQUENCES = ("Error initializing output stream", "Could not write header for output file", "Conversion failed")
"""Lines ffmpeg prints after the reason of a failure, which say only that it failed."""
UNFINISHED_OUTPUT = ("Error writing trailer", "Error closing file")
"""What ffmpeg 5 prints, then exits 0 all the same, when it could not finish the output (a full disk, say)."""


def error_line(stderr: str, last: bool = False) -> str:
    """ffmpeg's first (or last) message line, without its "[component @ 0x...] " prefix; the last is the last
    line that gives a reason (a failed header ends in "Error initializing output stream 0:1 --")."""
    lines = [text.strip() for text in stderr.splitlines() if text.strip()]
    if last:
        lines = [line for line in lines if not line.startswith(CONSEQUENCES)] or lines
    if not lines:
        return "no error message"
    line = lines[-1] if last else lines[0]
    return line.split("] ", 1)[1] if line.startswith("[") and "] " in line else line


def media_url(path: Path | str) -> str:
    """A local file as ffmpeg and ffprobe must be given it: a `file:` URL of the absolute path, so a name
    that starts with '-' is never read as an option, nor one with a ':' as another protocol."""
    return f"file:{Path(path).absolute()}"


def _command(arguments: list[str]) -> list[str]:
    return ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *arguments]


def _check(returncode: int, stderr: str, arguments: list[str], blame: Path) -> None:
    """A MediaError naming `blame` and ffmpeg's last error, or a DiskFullError naming the output (the last
    argument) when its file system is full."""
    if any(message in stderr for message in NO_SPACE_MESSAGES):
        raise DiskFullError(Path(arguments[-1].removeprefix("file:")))
    if returncode != 0 or any(message in stderr for message in UNFINISHED_OUTPUT):
        raise MediaError(blame, f"ffmpeg failed: {error_line(stderr, last=True)}")


def run_ffmpeg(arguments: list[str], blame: Path) -> None:
    """Run ffmpeg quietly; on failure raise a MediaError naming `blame` and ffmpeg's last error, or a
    DiskFullError naming the output (the last argument) when its file system is full."""
    result = children.run(_command(arguments), text=True, errors="replace")
    _check(result.returncode, result.stderr, arguments, blame)


@contextmanager
def ffmpeg_running(arguments: list[str], blame: Path, **options: Any) -> Iterator[subprocess.Popen[bytes]]:
    """ffmpeg started quietly in the background (`options` go to Popen, e.g. stdout=PIPE), so the caller can
    work meanwhile; leaving the block waits for it and raises its failure as `run_ffmpeg` does. If the block
    raises, ffmpeg is killed instead."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: nobody reads stderr while ffmpeg runs
        with children.started(_command(arguments), stderr=errors, **options) as process:
            yield process
            process.wait()
        errors.seek(0)
        _check(process.returncode, errors.read().decode("utf-8", "replace"), arguments, blame)
