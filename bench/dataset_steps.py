"""Per-video cost of every step of `v2m dataset build`, for sizing big builds (docs/scaling.md).

Makes one music video (ffmpeg scenes with hard cuts and a FluidSynth piano soundtrack, as
bench/dataset.py does), plans the build `v2m dataset build` runs by default (madmom chords when
installed, EfficientNet embedding, basic-pitch transcription), then runs each step alone in a fresh
spawned process, in build order, through the builder's own `run_step` (outputs and manifest
written as a build writes them). Per step: wall and CPU seconds (its process and children, e.g.
ffmpeg, all threads), the same when it runs again in that process (`warm_`: as for a worker's later
videos, with any model it loads already loaded), resident memory when it starts (interpreter and
imports) and at its peak (Linux VmHWM; ffmpeg child processes not included), and the bytes it
writes. The builder records only wall seconds per step (`seconds` in each step manifest), hence
this script.

`--ray-overhead` measures instead what the `ray` executor (plugins/v2m-ray) adds per video: the
time per task of 400 trivial tasks on a local Ray, and per progress event on its queue.

    .venv/bin/python bench/dataset_steps.py [--seconds 240] [--size 1280x720] [--folder bench-out/steps]
        [--json steps.json] [--ray-overhead]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import multiprocessing
import os
import platform
import shutil
import time
from pathlib import Path
from typing import Any

from dataset import make_music_video  # bench/dataset.py

from v2m_core.chords.recognize import default_recognizer
from v2m_core.step_engine.cache import file_hash
from v2m_core.dataset.plan import BuildOptions, PlannedStep, plan_build
from v2m_core.dataset.runner import VideoTask, peak_memory_mb, run_step
from v2m_core.interfaces.base import PluginKind
from v2m_core.plugins import PluginManager
from v2m_core.schemas.manifest import DatasetBuildConfig


def resident_mb() -> float:
    """Resident memory of this process now (Linux VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return 0.0


def measure(planned: PlannedStep, task: VideoTask, video_hash: str) -> dict[str, Any]:
    """Run one step in this (fresh) process and report what it cost; then again, as a worker's later
    videos run it (a model the step loads is loaded by then)."""
    start_mb = resident_mb()
    started = time.perf_counter()
    status, _, cpu_seconds = run_step(planned, task, video_hash)
    wall = time.perf_counter() - started
    started = time.perf_counter()
    _, _, warm_cpu_seconds = run_step(dataclasses.replace(planned, force=True), task, video_hash)
    warm_wall = time.perf_counter() - started
    written = sum((task.folder / name).stat().st_size for name in planned.step.outputs)
    return {"step": planned.name, "plugin": f"{planned.package} {planned.step.version}", "status": status,
            "wall_s": round(wall, 2), "cpu_s": round(cpu_seconds, 2), "warm_wall_s": round(warm_wall, 2),
            "warm_cpu_s": round(warm_cpu_seconds, 2), "start_rss_mb": round(start_mb),
            "peak_rss_mb": round(peak_memory_mb()), "output_bytes": written}


def ray_overhead() -> None:
    """Milliseconds per task and per queue event of the ray executor, its workers already started."""
    from v2m_ray.plugin import RayConfig, RayExecutor

    executor = RayExecutor(RayConfig(memory_mb=0))
    with executor.connected():
        list(executor.map(os.getpid, range(os.cpu_count() or 1)))
        started = time.perf_counter()
        tasks = len(list(executor.map(abs, range(400))))
        per_task = (time.perf_counter() - started) / tasks
        with executor.queue() as channel:
            started = time.perf_counter()
            for number in range(300):
                channel.put(number)
            for _ in range(300):
                channel.get()
            per_event = (time.perf_counter() - started) / 600
    print(f"ray executor, {os.cpu_count()} CPUs: {1000 * per_task:.2f} ms per task, "
          f"{1000 * per_event:.2f} ms per queue put or get")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=240.0)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--folder", type=Path, default=Path("bench-out/steps"))
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--ray-overhead", action="store_true")
    args = parser.parse_args()
    if args.ray_overhead:
        ray_overhead()
        return
    width, height = (int(part) for part in args.size.split("x"))
    video = args.folder / f"music-{args.seconds:g}s-{args.size}.mp4"
    if not video.is_file():
        args.folder.mkdir(parents=True, exist_ok=True)
        make_music_video(video, args.seconds, (width, height))
    work = args.folder / "work"
    shutil.rmtree(work, ignore_errors=True)
    manager = PluginManager()
    config = DatasetBuildConfig(recognizer=default_recognizer(manager.names(PluginKind.RECOGNIZER)))
    plan = plan_build(config, manager, {}, BuildOptions())
    task = VideoTask(video_id="music", video=video, folder=work / "music", manifests=work / "manifests",
                     steps=tuple(plan.steps), min_seconds=0.0, require_audio=True)
    task.folder.mkdir(parents=True)
    task.manifests.mkdir(parents=True)
    video_hash = file_hash(video)
    rows = []
    spawn = multiprocessing.get_context("spawn")
    for planned in plan.steps:
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=spawn) as pool:
            rows.append(pool.submit(measure, planned, task, video_hash).result())
    total = {"step": "all steps", "plugin": "", "status": "",
             **{key: round(sum(row[key] for row in rows), 2)
                for key in ("wall_s", "cpu_s", "warm_wall_s", "warm_cpu_s", "output_bytes")},
             "start_rss_mb": "", "peak_rss_mb": max(row["peak_rss_mb"] for row in rows)}
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    print(f"{video.name}: {args.seconds:g} s, {args.size}, 25 fps, {video.stat().st_size} bytes; chords: "
          f"{config.recognizer}; {machine}\n")
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in [*rows, total]:
        print("| " + " | ".join(str(row[column]) for column in columns) + " |")
    if args.json:
        args.json.write_text(json.dumps({"video": str(video), "seconds": args.seconds, "size": args.size,
                                         "video_bytes": video.stat().st_size, "recognizer": config.recognizer,
                                         "machine": machine,
                                         "steps": rows, "total": total}, indent=2) + "\n")


if __name__ == "__main__":
    main()
