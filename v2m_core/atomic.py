"""Atomic file writes: a temporary file in the same folder, then os.replace.

A crash or error leaves either the old file or the new one, never a partial one. The temporary's name
carries the writer's owner mark (scratch.py), so one that a killed run left is removed by the next write
into its folder. A write that fails for want of space raises DiskFullError naming the file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from v2m_core.errors import DiskFullError
from v2m_core.scratch import owner_mark, sweep

NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
NO_SPACE_MESSAGES = tuple(os.strerror(code) for code in sorted(NO_SPACE_ERRNOS))
"""How ffmpeg and other programs print those errors ("No space left on device", "Disk quota exceeded")."""
UNEXPLAINED_FAILURE = "System error"
"""All libsndfile says when a write fails (it keeps the errno to itself)."""
LOW_SPACE_BYTES = 1 << 20
"""Below this much free space, a write that failed without saying why is taken to have failed for want of it."""


def is_disk_full(error: BaseException) -> bool:
    """Whether `error`, or one it was raised from, says a file system is full (an errno, or a tool's message)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DiskFullError) or (isinstance(current, OSError) and current.errno in NO_SPACE_ERRNOS):
            return True
        if any(message in str(current) for message in NO_SPACE_MESSAGES):
            return True
        current = current.__cause__ or current.__context__
    return False


def _nearly_full(folder: Path) -> bool:
    if not hasattr(os, "statvfs"):
        return False
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    blocks = stats.f_bfree if os.geteuid() == 0 else stats.f_bavail  # root may write into the reserved blocks
    return blocks * stats.f_frsize < LOW_SPACE_BYTES


def _raise_if_disk_full(error: Exception, target: Path, temporary: Path | None = None) -> None:
    """Raise DiskFullError naming `target` for a write that failed for want of space; one that already names
    another file (an earlier output of the run, told of the failure as it is discarded) goes on as it is."""
    if isinstance(error, DiskFullError):
        if temporary is None or Path(str(error.path)).absolute() != temporary.absolute():
            return
    elif not (is_disk_full(error) or (UNEXPLAINED_FAILURE in str(error) and _nearly_full(target.parent))):
        return
    raise DiskFullError(target) from error


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target` (same suffix); it replaces `target` on success."""
    target = Path(target)
    sweep(target.parent)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}.{owner_mark('tmp')}.", suffix=target.suffix,
                                        dir=target.parent)
    except OSError as error:
        _raise_if_disk_full(error, target)
        raise
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(temporary, target)
    except Exception as error:
        _raise_if_disk_full(error, target, temporary)
        raise
    finally:
        temporary.unlink(missing_ok=True)


def _umask() -> int:
    """The process umask, read without changing it where Linux tells it (os.umask can only be read by setting it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


def atomic_write_text(target: Path, text: str) -> None:
    atomic_write_bytes(target, text.encode("utf-8"))
