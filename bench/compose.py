"""Benchmark `v2m compose` against a plain decode of the same video.

For each length (default 1 and 5 minutes of 720p, 25 fps, generated with ffmpeg), prints the wall
time of `ffmpeg -i VIDEO -f null -`, the wall time and peak memory (max RSS of the compose process
and of its children) of `v2m compose`, and their ratio. Targets: ratio <= 3, memory < 1 GB.

    .venv/bin/python bench/compose.py [--minutes 1 5] [--size 1280x720] [--folder bench-out]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from v2m_core.media.synthetic import make_video, varied_scenes


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of a child process (measured in a fresh helper process)."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    result = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
    seconds, megabytes = result.stdout.split()
    return float(seconds), float(megabytes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, nargs="+", default=[1.0, 5.0])
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--folder", type=Path, default=Path("bench-out"))
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    args.folder.mkdir(parents=True, exist_ok=True)
    table = Table(title=f"v2m compose vs ffmpeg decode ({args.size}, {os.cpu_count()} cores)")
    for column in ("video", "decode s", "compose s", "ratio", "peak MB", "stages (s)"):
        table.add_column(column)
    for minutes in args.minutes:
        video = args.folder / f"bench-{minutes:g}min-{height}p.mp4"
        if not video.exists():
            make_video(video, varied_scenes(minutes * 60), size=(width, height), fps=25, audio=True)
        decode, _ = _timed(["ffmpeg", "-v", "error", "-i", str(video), "-f", "null", "-"])
        keep = args.folder / f"work-{minutes:g}"
        compose, peak = _timed([sys.executable, "-m", "v2m_cli", "compose", str(video), "-o",
                                str(args.folder / f"out-{minutes:g}.mp4"), "--keep", str(keep)])
        timings = json.loads((keep / "composition.json").read_text())["timings"]
        table.add_row(video.name, f"{decode:.1f}", f"{compose:.1f}", f"{compose / decode:.2f}", f"{peak:.0f}",
                      " ".join(f"{k}={v:.1f}" for k, v in timings.items()))
    Console().print(table)
    print(f"max RSS of this script: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
