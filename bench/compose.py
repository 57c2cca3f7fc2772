"""Benchmark `v2m compose` against a plain decode of the same video, side by side in one run.

For each video (default 1 and 5 minutes of 720p, 25 fps H.264 made with ffmpeg; or `--video FILE`
for real footage), runs `ffmpeg -i VIDEO -f null -` and `v2m compose` alternately, `--repeats`
rounds, and prints per round the wall and CPU seconds of both (CPU: the process and its children,
all threads), compose's peak memory (max RSS of the compose process and of its children), the
ratios compose / decode, and compose's own stage timings (the `timings` of composition.json), each
also as a multiple of the decode's wall time. Each row carries the 1-minute load average as it ended:
other work on the machine slows both sides, so only figures from the same run compare. `--source DIR`
runs the code of another checkout (a `git archive` of an older commit, put first on PYTHONPATH); with
several, each round runs decode then compose for each in turn, so before and after alternate under the
same load.
Targets (issue 16): wall ratio <= 1.5, memory flat in length.

    .venv/bin/python bench/compose.py [--minutes 1 5] [--size 1280x720] [--video FILE ...]
        [--repeats 2] [--folder bench-out] [--source DIR ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from v2m_core.media.synthetic import make_video, varied_scenes


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float


def _timed(command: list[str], source: Path | None = None) -> Run:
    """Wall seconds, CPU seconds and peak RSS in MB of a child process (measured in a fresh helper process);
    `source` goes first on the child's PYTHONPATH and is its working folder (`python -m` puts that first)."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024)")
    environment = dict(os.environ)
    if source is not None:
        environment["PYTHONPATH"] = os.pathsep.join([str(source), *filter(None, [os.environ.get("PYTHONPATH")])])
    result = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True,
                            env=environment, cwd=source)
    wall, cpu, megabytes = (float(value) for value in result.stdout.split())
    return Run(wall, cpu, megabytes)


def bench_video(video: Path, folder: Path, repeats: int, sources: list[Path | None], table: Table) -> None:
    """Decode then compose, for each source in turn; one row per round and source."""
    for round_ in range(1, repeats + 1):
        for index, source in enumerate(sources):
            keep, output = folder / f"work-{video.stem}-{index}", folder / f"out-{video.stem}-{index}.mp4"
            decode = _timed(["ffmpeg", "-v", "error", "-i", str(video), "-f", "null", "-"])
            compose = _timed([sys.executable, "-m", "v2m_cli", "compose", str(video), "-o", str(output),
                              "--keep", str(keep)], source)
            timings: dict[str, float] = json.loads((keep / "composition.json").read_text())["timings"]
            stages = " ".join(f"{name}={seconds:.1f} ({seconds / decode.wall:.2f}x)"
                              for name, seconds in timings.items())
            table.add_row(video.name, str(source or "this checkout"), str(round_), f"{os.getloadavg()[0]:.1f}",
                          f"{decode.wall:.2f}", f"{decode.cpu:.2f}", f"{compose.wall:.2f}", f"{compose.cpu:.2f}",
                          f"{compose.wall / decode.wall:.2f}", f"{compose.cpu / decode.cpu:.2f}",
                          f"{compose.peak_mb:.0f}", stages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, nargs="*", default=[1.0, 5.0])
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--video", type=Path, nargs="*", default=[], help="existing videos (instead of --minutes)")
    parser.add_argument("--repeats", type=int, default=2, help="rounds of decode then compose per video")
    parser.add_argument("--folder", type=Path, default=Path("bench-out"))
    parser.add_argument("--source", type=Path, action="append", default=[],
                        help="checkout whose code to run (first on PYTHONPATH); repeat to compare, alternating")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    args.folder = args.folder.resolve()
    args.folder.mkdir(parents=True, exist_ok=True)
    videos = [video.resolve() for video in args.video]
    for minutes in [] if args.video else args.minutes:
        video = args.folder / f"bench-{minutes:g}min-{height}p.mp4"
        if not video.exists():
            make_video(video, varied_scenes(minutes * 60), size=(width, height), fps=25, audio=True)
        videos.append(video)
    table = Table(title=f"v2m compose vs ffmpeg decode, side by side ({os.cpu_count()} cores)")
    for column in ("video", "code", "round", "load", "decode wall s", "decode CPU s", "compose wall s", "compose CPU s",
                   "wall ratio", "CPU ratio", "peak MB", "stages s (x decode wall)"):
        table.add_column(column)
    for video in videos:
        bench_video(video, args.folder, args.repeats, [source.resolve() for source in args.source] or [None], table)
    Console(width=200).print(table)
    print(f"load average (1, 5, 15 min): {' '.join(f'{load:.1f}' for load in os.getloadavg())}")
    print(f"max RSS of this script: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
