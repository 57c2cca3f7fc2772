"""SIGINT, SIGTERM and SIGKILL at a few points of a real `v2m compose` and a 2-worker `v2m dataset build`.

After each: no process of v2m's left running, its stdout closed, no partial output, the output of an
earlier run intact; an interrupt prints one line; whatever a SIGKILL left, the next run removes.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.hostile.processes import leftovers, needs_proc, session_processes, start_v2m, stop, wait_for

pytestmark = needs_proc

BUILD_OPTIONS = ["-j", "2", "--steps", "frames,scenes,affect", "--semantic", "", "--emotion", "emotion-affect",
                 "--min-seconds", "1"]


def compose_point(point: str, work: Path, output: Path, pid: int) -> bool:
    """Whether compose has reached `point`: analysing (its work folder exists), rendering (FluidSynth
    runs), or muxing (the output's temporary file exists)."""
    if point == "analyse":
        return any(work.glob("v2m-compose-*"))
    if point == "render":
        return any(Path(command.split(" ")[0]).name == "fluidsynth" for command in session_processes(pid).values())
    return any(output.parent.glob(f".{output.stem}.*"))


def stderr_lines(folder: Path) -> list[str]:
    return [line for line in (folder / "stderr.txt").read_text().splitlines() if line.strip()]


@pytest.mark.parametrize(("signum", "point"), [(signal.SIGINT, "analyse"), (signal.SIGTERM, "render"),
                                               (signal.SIGINT, "mux")])
def test_interrupted_compose_cleans_up_and_keeps_the_old_output(tmp_path: Path, clip: Path, signum: int,
                                                                 point: str) -> None:
    output = tmp_path / "out" / "out.mp4"
    output.parent.mkdir()
    output.write_bytes(b"the output of an earlier run")
    process = start_v2m(["compose", str(clip), "-o", str(output)], tmp_path)
    wait_for(lambda: compose_point(point, tmp_path / "tmp", output, process.pid), 60, f"compose to {point}", process)
    stop(process, signum, group=signum == signal.SIGINT)
    assert process.returncode == 128 + signum
    assert stderr_lines(tmp_path) == [f"interrupted by {signal.Signals(signum).name}"]
    assert output.read_bytes() == b"the output of an earlier run"
    assert leftovers(tmp_path / "tmp", output.parent) == []


@pytest.mark.parametrize("point", ["render", "mux"])
def test_killed_compose_leaves_no_process_and_the_next_run_sweeps(tmp_path: Path, clip: Path, point: str) -> None:
    output = tmp_path / "out" / "out.mp4"
    output.parent.mkdir()
    output.write_bytes(b"the output of an earlier run")
    process = start_v2m(["compose", str(clip), "-o", str(output)], tmp_path)
    wait_for(lambda: compose_point(point, tmp_path / "tmp", output, process.pid), 60, f"compose to {point}", process)
    stop(process, signal.SIGKILL, group=False)
    assert output.read_bytes() == b"the output of an earlier run"
    assert leftovers(tmp_path / "tmp", output.parent), "nothing was left to sweep: the kill came too late"
    again = start_v2m(["compose", str(clip), "-o", str(output)], tmp_path)
    again.communicate(timeout=120)
    assert again.returncode == 0, stderr_lines(tmp_path)
    assert output.stat().st_size > 10_000
    assert leftovers(tmp_path / "tmp", output.parent) == []


def dataset_point(point: str, dataset: Path, pid: int) -> bool:
    """Whether the build has reached `point`: its two workers starting, or a video's frames analysed."""
    if point == "starting":
        return sum("spawn_main" in command for command in session_processes(pid).values()) >= 3  # manager too
    return any(dataset.glob("videos/*/visual.npy"))


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "point"), [(signal.SIGINT, "starting"), (signal.SIGTERM, "working")])
def test_interrupted_parallel_build_stops_its_workers(tmp_path: Path, videos: Path, signum: int, point: str) -> None:
    dataset = tmp_path / "dataset"
    process = start_v2m(["dataset", "build", str(videos), "-o", str(dataset), *BUILD_OPTIONS], tmp_path)
    wait_for(lambda: dataset_point(point, dataset, process.pid), 120, f"the build to be {point}", process)
    stop(process, signum, group=signum == signal.SIGINT)
    assert process.returncode == 128 + signum
    assert stderr_lines(tmp_path) == [f"interrupted by {signal.Signals(signum).name}"]
    assert leftovers(tmp_path / "tmp", dataset) == []


@pytest.mark.slow
def test_killed_parallel_build_leaves_no_worker_and_resumes_clean(tmp_path: Path, videos: Path) -> None:
    dataset = tmp_path / "dataset"
    process = start_v2m(["dataset", "build", str(videos), "-o", str(dataset), *BUILD_OPTIONS], tmp_path)
    wait_for(lambda: dataset_point("working", dataset, process.pid), 120, "the build to be working", process)
    stop(process, signal.SIGKILL, group=False)
    again = start_v2m(["dataset", "build", str(videos), "-o", str(dataset), *BUILD_OPTIONS], tmp_path)
    again.communicate(timeout=300)
    assert again.returncode == 0, stderr_lines(tmp_path)
    assert (dataset / "dataset.json").is_file()
    assert leftovers(tmp_path / "tmp", dataset) == []
