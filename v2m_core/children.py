"""Child processes that die with v2m: every program it runs and every worker process it starts.

A killed v2m must leave nothing running (a child holding the caller's stdout open, or still writing a
temporary file nobody will rename). So every program (ffmpeg, ffprobe, fluidsynth, an isolated worker's
interpreter) is started through `run` or `started`, which give it:

- a parent-death signal (Linux `prctl(PR_SET_PDEATHSIG, SIGKILL)`): the kernel kills it when v2m dies, even
  by SIGKILL, which runs no cleanup;
- a process group of its own: a Ctrl-C at the terminal reaches v2m alone, which then kills the child
  itself and cleans up, instead of racing it;
- /dev/null as stdin unless input is given, so a child never reads the terminal.

Python worker processes (multiprocessing, spawned) take no pre-exec hook: they are started inside
`interrupts_held` and call `die_with_parent` first thing (`worker_manager` does both for a manager).
Other systems lack the parent-death signal; there the process groups and cleanup on SIGINT/SIGTERM remain.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from multiprocessing.managers import SyncManager
from typing import Any

from v2m_core.errors import MissingProgramError

PR_SET_PDEATHSIG = 1
"""From <linux/prctl.h>."""
INTERRUPTS = frozenset({signal.SIGINT, signal.SIGTERM})


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
        return prctl
    except (OSError, AttributeError):
        return None


PRCTL = _load_prctl()
"""libc's prctl, looked up once: a child between fork and exec should do as little as it can."""


def _arm_parent_death_signal(parent: int) -> None:
    """Ask the kernel to SIGKILL this process when `parent` ends; exit at once if it already has."""
    if PRCTL is not None:
        PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was armed: nobody will send it
        os._exit(1)


def _prepare_child(parent: int) -> None:
    """Runs in the child between fork and exec. A Ctrl-C sent to v2m's process group as the child was forked
    (before it had a group of its own) waits there, blocked by `started`: drop it (setting SIG_IGN discards a
    pending signal), restore the defaults, and arm the death signal."""
    for each in INTERRUPTS:
        signal.signal(each, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, INTERRUPTS)
    for each in INTERRUPTS:
        signal.signal(each, signal.SIG_DFL)
    _arm_parent_death_signal(parent)


def _child_options(options: dict[str, Any]) -> dict[str, Any]:
    options.setdefault("stdin", subprocess.DEVNULL)
    if os.name == "posix":
        options.update(preexec_fn=partial(_prepare_child, os.getpid()), process_group=0)
    return options


@contextmanager
def started(command: Sequence[str], **options: Any) -> Iterator[subprocess.Popen[Any]]:
    """`subprocess.Popen(command, **options)` for a child that dies with v2m; killed if the block raises (an
    interrupt, say), its pipes closed and waited for on the way out."""
    process: subprocess.Popen[Any] | None = None
    try:
        with interrupts_held():  # the child starts with them blocked (see _prepare_child)
            try:
                process = subprocess.Popen(command, **_child_options(options))
            except FileNotFoundError as error:
                if error.filename != str(command[0]) or os.sep in str(command[0]):
                    raise
                raise MissingProgramError(str(command[0])) from None
        yield process
    except BaseException:
        if process is not None:
            process.kill()
        raise
    finally:
        if process is not None:
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
            process.wait()


def run(command: Sequence[str], *, input: str | bytes | None = None, timeout: float | None = None,
        **options: Any) -> subprocess.CompletedProcess[Any]:
    """`subprocess.run(command, capture_output=True, ...)` for a child that dies with v2m; on a timeout or an
    interrupt the child is killed before the exception goes on."""
    options.update(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if input is not None:
        options["stdin"] = subprocess.PIPE
    with started(command, **options) as process:
        stdout, stderr = process.communicate(input, timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


class _Hold:
    """How deep the process is in `interrupts_held` blocks, and an interrupt that arrived meanwhile."""

    depth = 0
    pending: int | None = None


def interrupt_deferred(signum: int) -> bool:
    """For an interrupt handler: whether `signum` must wait because children are starting (it is raised again
    when the hold ends). The mask alone does not hold it back: another thread, with its own mask, can take
    the signal, and Python then runs the handler in the main thread in the middle of a start (a spawned
    worker that never gets its start-up data prints an EOFError traceback)."""
    if _Hold.depth == 0:
        return False
    _Hold.pending = signum
    return True


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while children start (they reach this process when the block ends).

    A child inherits the blocked signals, so one still starting up cannot act on a Ctrl-C meant for v2m: a
    Python worker cannot die of it with a KeyboardInterrupt traceback (`die_with_parent` drops it), a
    program cannot raise it in its pre-exec hook (`_prepare_child` drops it). Handlers that ask
    `interrupt_deferred` wait too."""
    masked = hasattr(signal, "pthread_sigmask")
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTS) if masked else set()
    _Hold.depth += 1
    try:
        yield
    finally:
        _Hold.depth -= 1
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        if _Hold.depth == 0 and _Hold.pending is not None:
            signum, _Hold.pending = _Hold.pending, None
            signal.raise_signal(signum)


def die_with_parent(parent: int) -> None:
    """Worker initialiser: die when `parent` does and leave Ctrl-C to it (the parent stops its workers).

    Ignoring SIGINT also drops one held while the worker started (see `interrupts_held`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, INTERRUPTS)
    _arm_parent_death_signal(parent)


def worker_manager() -> SyncManager:
    """A started multiprocessing manager (spawned) whose server process dies with this one."""
    manager = SyncManager(ctx=multiprocessing.get_context("spawn"))
    with interrupts_held():
        manager.start(die_with_parent, (os.getpid(),))
    return manager
