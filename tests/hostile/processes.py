"""Running `v2m` as a user would (a process of its own, in a session of its own) and watching what it leaves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads processes from Linux's /proc")


def start_v2m(args: list[str], folder: Path) -> subprocess.Popen[str]:
    """`v2m ARGS` leading a new session, so every process it starts can be found; TMPDIR is `folder`/tmp.

    stdout is a pipe (a leftover process holding it open would keep `communicate` waiting); stderr goes to
    `folder`/stderr.txt. Only built-in plugins are loaded. SIGINT is restored to its default, as a
    terminal gives it: a test run started in the background of a script inherits it ignored, and v2m
    (as Python) then leaves it ignored."""
    scratch = folder / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, "TMPDIR": str(scratch), "V2M_LOAD_PLUGINS": "", "COLUMNS": "200"}
    with (folder / "stderr.txt").open("w") as stderr:
        return subprocess.Popen([sys.executable, "-m", "v2m_cli", *args], stdout=subprocess.PIPE, stderr=stderr,
                                text=True, env=environment, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def session_processes(session: int) -> dict[int, str]:
    """The live processes (zombies are dead) of `session`: pid to command line (arguments joined by spaces)."""
    found: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended while we looked
            continue
        state, _parent, _group, owner = text[text.rindex(")") + 2:].split()[:4]
        if int(owner) == session and state not in "ZX":
            found[int(stat.parent.name)] = command.strip()
    return found


def wait_for(condition: Callable[[], object], seconds: float, what: str,
             process: subprocess.Popen[str] | None = None) -> None:
    """Poll `condition` every 5 ms; fail after `seconds`, or at once if `process` ends first."""
    deadline = time.monotonic() + seconds
    while not condition():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"v2m ended (exit {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:g} s for {what}")
        time.sleep(0.005)


def stop(process: subprocess.Popen[str], signum: int, group: bool) -> str:
    """Send `signum` (to the whole process group, as a terminal's Ctrl-C does, when `group`); return stdout
    once v2m has exited, failing if it does not, or if any process of its session outlives it by 2 s."""
    if group:
        os.killpg(process.pid, signum)
    else:
        os.kill(process.pid, signum)
    try:
        stdout, _ = process.communicate(timeout=30)
        wait_for(lambda: not session_processes(process.pid), 2, "v2m's children to end")
    except (subprocess.TimeoutExpired, AssertionError):
        left = session_processes(process.pid)
        for pid in left:  # leave nothing behind for the next test
            os.kill(pid, signal.SIGKILL)
        raise AssertionError(f"v2m or its children still running (stdout held open) after signal {signum}: "
                             f"{left}") from None
    return stdout


def leftovers(*folders: Path) -> list[str]:
    """Files and folders of v2m's making left in `folders` (hidden temporaries, work folders)."""
    return sorted(str(path) for folder in folders for path in folder.rglob("*")
                  if path.name.startswith((".", "v2m-")) and "v2m-" in path.name)
