"""Benchmark `v2m dataset build` with the default plugins on a generated music video.

Makes a 2-minute 720p, 25 fps video (ffmpeg scenes with hard cuts) with a piano soundtrack from
known chords (FluidSynth), then:

1. builds a dataset from it in this process (one worker): time and x-realtime of every step, and
   of the whole build, wall clock (hashing and model loading included); then re-runs the steps
   that load a model, to show their time once a worker has loaded it (every video after its first);
2. builds a fresh dataset from two copies with `--workers 2`: each worker's peak memory (max RSS),
   and the throughput of the pool.

Targets on 2 cores: all steps together at least 4x realtime; under 1.5 GB per worker. The frame
steps (`frames`, `keyframes`) share one decode in a build, and their rows split its time evenly.

`--frame-steps N` measures only that sharing, side by side: N rounds, each running the two frame
steps on one shared decode and then each alone (one decode each, as before the sharing), with the
wall and CPU seconds of both and their ratio.

    .venv/bin/python bench/dataset.py [--seconds 120] [--size 1280x720] [--folder bench-dataset]
        [--frame-steps N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from v2m_core.music.midi_file import write_midi
from v2m_core.dataset.build import build_dataset
from v2m_core.dataset.plan import BuildOptions
from v2m_core.dataset.runner import peak_memory_mb
from v2m_core.interfaces.step import StepContext
from v2m_core.media.mux import mux
from v2m_core.media.synthetic import FAST_CODEC_ARGS, make_video, varied_scenes
from v2m_core.plugins import PluginManager
from v2m_core.schemas.manifest import DatasetBuildConfig
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.steps.frame_analysis import FrameAnalysisStep
from v2m_core.steps.frame_pass import run_frame_steps
from v2m_core.steps.keyframes import KeyframesStep
from v2m_core.synthesizers.fluidsynth import FluidSynthSynthesizer

MODEL_STEPS = ("semantic-efficientnet", "transcription")
"""Steps that load a model once per worker process: timed again with the model loaded."""
PROGRESSION = ([60, 64, 67], [55, 59, 62], [57, 60, 64], [53, 57, 60])
"""C, G, A minor, F: a chord every 2 s, struck on every beat at 120 bpm."""


def make_music_video(path: Path, seconds: float, size: tuple[int, int]) -> None:
    picture, midi, wav = (path.with_suffix(suffix) for suffix in (".picture.mp4", ".mid", ".wav"))
    make_video(picture, varied_scenes(seconds), size=size, fps=25, codec_args=FAST_CODEC_ARGS)
    notes = [Note(pitch=pitch + octave, start=beat * 0.5, end=beat * 0.5 + 0.45, velocity=70 + 30 * (beat % 4 == 0))
             for beat in range(int(seconds * 2)) for pitch in PROGRESSION[beat // 4 % 4] for octave in (0, 12)]
    write_midi([MidiTrack(name="Piano", role="chords", program=0, notes=notes)], midi)
    FluidSynthSynthesizer().synthesize(midi, wav, 44100)
    mux(picture, wav, path)
    for leftover in (picture, midi, wav):
        leftover.unlink()


def plugin_manager() -> PluginManager:
    """Built-ins and the installed plugins (the default semantic and transcription steps are plugins)."""
    return PluginManager()


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds (this process, all threads) of `action`."""
    started, cpu_started = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - started, time.process_time() - cpu_started


def frame_steps_side_by_side(video: Path, folder: Path, rounds: int, seconds: float) -> None:
    """The frame steps on one shared decode against each on its own decode, alternating in every round."""
    folder.mkdir(parents=True, exist_ok=True)
    context = StepContext(video=video, workdir=folder)
    steps = (FrameAnalysisStep(), KeyframesStep())
    table = Table(title=f"frames + keyframes on {video.name} ({seconds:g} s): one shared decode vs one decode each")
    for column in ("round", "shared wall s", "shared CPU s", "separate wall s", "separate CPU s", "wall ratio",
                   "CPU ratio"):
        table.add_column(column, justify="right")
    for round_ in range(1, rounds + 1):
        shared = timed(lambda: run_frame_steps([(step, context) for step in steps]))
        separate = timed(lambda: [step.run(context) for step in steps])
        table.add_row(str(round_), *(f"{value:.2f}" for value in (*shared, *separate)),
                      f"{shared[0] / separate[0]:.2f}", f"{shared[1] / separate[1]:.2f}")
    Console(width=160).print(table)
    print(f"load average: {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--folder", type=Path, default=Path("bench-dataset"))
    parser.add_argument("--frame-steps", type=int, default=0, metavar="N",
                        help="only time the frame steps, shared decode vs separate decodes, N rounds")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    console = Console()
    videos = args.folder / "videos"
    video = videos / "music.mp4"
    if not video.is_file():
        videos.mkdir(parents=True, exist_ok=True)
        console.print(f"making {video} ({args.seconds:g} s, {args.size}) ...")
        make_music_video(video, args.seconds, (width, height))
    if args.frame_steps:
        frame_steps_side_by_side(video, args.folder / "frame-steps", args.frame_steps, args.seconds)
        return
    for stale in ("dataset", "dataset-parallel", "videos-parallel"):
        shutil.rmtree(args.folder / stale, ignore_errors=True)

    started = time.perf_counter()
    manager = plugin_manager()
    result = build_dataset(videos, args.folder / "dataset", DatasetBuildConfig(), manager)
    wall = time.perf_counter() - started
    if result.failures:
        raise SystemExit(f"build failed: {result.failures}")
    table = Table(title=f"v2m dataset build: {args.seconds:g} s {args.size} music video, 1 worker")
    for column in ("step", "plugin", "wall s", "x realtime", "CPU s"):
        table.add_column(column, justify="left" if column in ("step", "plugin") else "right")
    times = {event.step: (event.seconds, event.cpu_seconds) for event in result.events}

    def row(name: str, plugin: str, wall_s: float, cpu_s: float) -> None:
        table.add_row(name, plugin, f"{wall_s:.2f}", f"{args.seconds / wall_s:.1f}" if wall_s else "-", f"{cpu_s:.2f}")

    for planned in result.plan.steps:
        row(planned.name, planned.package, *times[planned.name])
    row("all steps", "", sum(t[0] for t in times.values()), sum(t[1] for t in times.values()))
    table.add_row("whole build (wall)", "", f"{wall:.2f}", f"{args.seconds / wall:.1f}", "")
    warm = build_dataset(videos, args.folder / "dataset", DatasetBuildConfig(), manager,
                         options=BuildOptions(only=list(MODEL_STEPS), force=True))
    for event in warm.events:
        if event.status == "ran":
            row(f"{event.step} (model loaded)", "", event.seconds, event.cpu_seconds)
            times[event.step] = (event.seconds, event.cpu_seconds)
    row("all steps, models loaded", "", sum(t[0] for t in times.values()), sum(t[1] for t in times.values()))
    console.print(table)
    console.print(f"load average (other work on this machine slows every number): {os.getloadavg()[0]:.1f}")
    console.print(f"peak memory of this process (one worker, in-process): {peak_memory_mb():.0f} MB")

    parallel_videos = args.folder / "videos-parallel"
    parallel_videos.mkdir()
    for copy in ("a", "b"):
        shutil.copy2(video, parallel_videos / f"{copy}.mp4")
    started = time.perf_counter()
    parallel = build_dataset(parallel_videos, args.folder / "dataset-parallel", DatasetBuildConfig(workers=2),
                             plugin_manager())
    wall = time.perf_counter() - started
    memory = ", ".join(f"{name} {mb:.0f} MB" for name, mb in sorted(parallel.peak_memory_mb.items()))
    console.print(f"--workers 2, two videos: {wall:.1f} s wall ({2 * args.seconds / wall:.1f}x realtime); "
                  f"peak memory per worker: {memory}")


if __name__ == "__main__":
    main()
