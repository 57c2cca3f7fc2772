"""What a killed run left is swept by the next one; a live run's files, and other machines', never are; an
interrupt waits while children start."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from v2m_core.atomic import atomic_write_text
from v2m_core.children import interrupt_deferred, interrupts_held
from v2m_core.scratch import owner_mark, scratch_folder, sweep_tree


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_write_sweeps_the_temporaries_of_dead_writers_only(tmp_path: Path) -> None:
    live, host = owner_mark("tmp").rsplit("-", 2)[1:]
    dead = dead_pid()
    names = {"dead": f".out.v2m-tmp-{dead}-{host}.abc123.mp4", "live": f".out.v2m-tmp-{live}-{host}.abc123.mp4",
             "elsewhere": f".out.v2m-tmp-{dead}-00000000.abc123.mp4", "user's": "v2m-tmp-notes.txt"}
    for name in names.values():
        (tmp_path / name).write_text("partial")
    atomic_write_text(tmp_path / "other.json", "{}")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*list(names.values())[1:], "other.json"])


def test_a_work_folder_carries_its_owner_and_sweeps_dead_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # tempfile caches the folder it found first
    host = owner_mark("compose").rsplit("-", 1)[1]
    abandoned = tmp_path / f"v2m-compose-{dead_pid()}-{host}.xyz"
    (abandoned / "analysis").mkdir(parents=True)
    with scratch_folder("compose") as folder:
        assert folder.parent == tmp_path and folder.name.startswith(f"v2m-compose-{os.getpid()}-{host}.")
        assert not abandoned.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_tree_sweep_reaches_every_folder_and_spares_live_writers(tmp_path: Path) -> None:
    """What an interrupted build runs over its dataset after killing its workers."""
    live, host = owner_mark("tmp").rsplit("-", 2)[1:]
    deep = tmp_path / "manifests" / "a"
    deep.mkdir(parents=True)
    dead = deep / f".frames.v2m-tmp-{dead_pid()}-{host}.wss.json"
    alive = deep / f".frames.v2m-tmp-{live}-{host}.wss.json"
    for path in (dead, alive):
        path.write_text("{")
    sweep_tree(tmp_path)
    assert not dead.exists() and alive.exists()


def test_an_interrupt_another_thread_takes_waits_until_children_have_started() -> None:
    """The signal mask holds an interrupt back from the main thread only; one another thread takes still runs
    the handler in the main thread, which must not raise in the middle of a child's start."""

    class Stop(Exception):
        pass

    def handler(signum: int, frame: object) -> None:
        if not interrupt_deferred(signum):
            raise Stop

    release = threading.Event()
    other = threading.Thread(target=release.wait, args=(10,))
    other.start()  # before the hold: its mask lets SIGTERM in
    previous = signal.signal(signal.SIGTERM, handler)
    finished_starting = False
    try:
        with pytest.raises(Stop):
            with interrupts_held():
                signal.pthread_kill(other.ident, signal.SIGTERM)
                time.sleep(0.2)  # the handler runs now, in this thread, and must wait
                finished_starting = True
    finally:
        signal.signal(signal.SIGTERM, previous)
        release.set()
        other.join()
    assert finished_starting
