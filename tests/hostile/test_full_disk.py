"""A full disk, on a small tmpfs mounted in a user namespace of the test's own (skipped where none can be made).

Whichever write runs out of space (libsndfile's WAV, ffmpeg's MP4, FluidSynth in the work folder), v2m
says "no space left on <path>" in one line, exits 1, and leaves the earlier output and no partial one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

INSIDE = """
import json, os, subprocess, sys
disk, size, output, tmpdir_on_disk = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "yes"
subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "none", disk], check=True)
with open(output, "w") as old:
    old.write("the output of an earlier run")
environment = {**os.environ, "V2M_LOAD_PLUGINS": "", **({"TMPDIR": disk} if tmpdir_on_disk else {})}
done = subprocess.run([sys.executable, "-m", "v2m_cli", *sys.argv[5:]], capture_output=True, text=True, env=environment)
print(json.dumps({"code": done.returncode, "stderr": done.stderr, "files": sorted(os.listdir(disk)),
                  "old": open(output).read()}))
"""
"""Runs in the namespace: mount the tmpfs, put an earlier output on it, run v2m, report what it left."""


def namespace_problem() -> str | None:
    """Why no tmpfs can be mounted here, or None when one can."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return "needs Linux's unshare to mount a small tmpfs"
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=16k none /mnt"],
                           capture_output=True, text=True)
    return f"cannot mount a tmpfs in a user namespace: {probe.stderr.strip()}" if probe.returncode else None


pytestmark = pytest.mark.skipif(bool(problem := namespace_problem()), reason=problem or "")


def compose_on_small_disk(folder: Path, clip: Path, size: str, output: str, work_on_disk: bool = False) -> dict:
    """`v2m compose clip -o DISK/output` with DISK a tmpfs of `size` (and TMPDIR on it when `work_on_disk`)."""
    disk = folder / "disk"
    disk.mkdir()
    target = folder / "kept" / output if work_on_disk else disk / output
    target.parent.mkdir(exist_ok=True)
    done = subprocess.run(["unshare", "-rm", sys.executable, "-c", INSIDE, str(disk), size, str(target),
                           "yes" if work_on_disk else "no", "compose", str(clip), "-o", str(target)],
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, timeout=300)
    assert done.returncode == 0, done.stderr
    return {**json.loads(done.stdout.splitlines()[-1]), "disk": disk, "target": target}


@pytest.mark.parametrize(("output", "size"), [("out.wav", "1m"), ("out.mp4", "16k")])
def test_a_full_output_disk_is_one_line_and_keeps_the_old_output(tmp_path: Path, clip: Path, output: str,
                                                                 size: str) -> None:
    run = compose_on_small_disk(tmp_path, clip, size, output)
    assert run["code"] == 1
    assert run["stderr"].strip() == f"error: no space left on {run['target']}"
    assert run["files"] == [output] and run["old"] == "the output of an earlier run"


def test_a_full_work_folder_is_one_line_and_leaves_nothing(tmp_path: Path, clip: Path) -> None:
    run = compose_on_small_disk(tmp_path, clip, "300k", "out.mp4", work_on_disk=True)
    assert run["code"] == 1
    line = run["stderr"].strip()
    assert "\n" not in line and line.startswith(f"error: no space left on {run['disk']}/v2m-compose-"), line
    assert run["files"] == [] and run["old"] == "the output of an earlier run"
