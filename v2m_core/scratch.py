"""Scratch files and folders named after the process that owns them, and the sweep of those a killed run left.

A run killed by SIGKILL runs no cleanup: its temporary file stays beside the output and its work folder
in $TMPDIR. Each such name carries `v2m-KIND-PID-HOST` (HOST a hash of the machine's name), so a later
run removes exactly those whose owner no longer runs. A live run's files are never touched, nor files
made on another machine sharing the folder (network storage, a container's bind mount), whose pid
means nothing here.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OWNED = re.compile(r"(?:^|\.)v2m-[a-z]+-(?P<pid>\d+)-(?P<host>[0-9a-f]{8})\.")
"""The owner mark inside a scratch name, followed by tempfile's random part and any suffix."""


def _host() -> str:
    return f"{zlib.crc32(socket.gethostname().encode()):08x}"


def owner_mark(kind: str) -> str:
    """`v2m-KIND-PID-HOST` for a scratch name this process creates (KIND: lowercase letters)."""
    return f"v2m-{kind}-{os.getpid()}-{_host()}"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's process; or no pid at all, so not ours to judge
        return True
    return True


def is_abandoned(name: str) -> bool:
    """Whether `name` is a scratch name of a process of this machine that has ended."""
    match = OWNED.search(name)
    # os.kill(pid, 0) is a liveness test only on POSIX (on Windows it would terminate the process)
    return match is not None and os.name == "posix" and match["host"] == _host() and not _running(int(match["pid"]))


def sweep(folder: Path) -> None:
    """Remove the scratch files and folders that ended processes left in `folder` (best effort)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not is_abandoned(entry.name):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass  # gone already (two runs sweeping at once), or not ours to remove


def sweep_tree(root: Path) -> None:
    """sweep() `root` and every folder under it: after killing workers, which may have been writing anywhere
    in it."""
    for folder, _, _ in os.walk(root):
        sweep(Path(folder))


@contextmanager
def scratch_folder(kind: str) -> Iterator[Path]:
    """A fresh work folder in $TMPDIR, removed on exit; first, those that killed runs left there are removed."""
    root = Path(tempfile.gettempdir())
    sweep(root)
    with tempfile.TemporaryDirectory(prefix=f"{owner_mark(kind)}.", dir=root) as folder:
        yield Path(folder)
