"""Compare planners and renderers, rule and learned, with `v2m eval music` on the same generated videos.

Writes generated drum and melody MIDI collections and trains `drums-learned` and `melody-learned` on
them (`v2m train drums|melody`); composes the generated videos (varied scenes with hard cuts,
320x180) with the rule planner and renderers; builds a dataset from those music videos
(`v2m dataset build`) and trains on it a small `amt` model and a second drum model that also
learns from the soundtracks' transcribed drums and the videos' emotions (`--soundtracks`); then
composes the videos again with each learned part swapped in. Each work folder is evaluated; the
table shows the mean of every measure. Last, the learned renderers play a 20-minute plan, timed.

    .venv/bin/python bench/music.py [--seconds 20 30 40] [--folder bench-music]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from v2m_core.drums.synthetic import write_drum_collection
from v2m_core.melody.synthetic import write_melody_collection
from v2m_core.evaluation.music import AUDIO_METRICS, NOTE_METRICS
from v2m_core.media.synthetic import make_video, varied_scenes

SETUPS: dict[str, tuple[str, ...]] = {
    "rules": ("rules",),
    "drums-learned (MIDI)": ("rules", "--drum-model", "drums.pt"),
    "drums-learned (+soundtracks)": ("rules", "--drum-model", "drums-soundtracks.pt"),
    "melody-learned": ("rules", "--melody-model", "melody.pt"),
    "amt": ("amt", "--model", "amt/best.pt"),
    "amt (video dynamics)": ("amt", "--model", "amt/best.pt", "--set", "plugins.settings.amt.dynamics=\"video\""),
}
"""Column name -> planner, then a model flag of `v2m compose` and its file in the bench folder, then any
further options. The first is composed first: its music videos are the dataset the soundtrack drums
and `amt` learn from."""


def _v2m(*arguments: str) -> str:
    result = subprocess.run([sys.executable, "-m", "v2m_cli", *arguments], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"v2m {' '.join(arguments)} failed: {result.stderr.strip()}")
    return result.stdout


def _train_on_music_videos(folder: Path, seed: int) -> None:
    """A dataset of the rule-composed music videos, then a small AMT (enough to exercise the learned
    planner, not to judge it) and the drum model that also hears their soundtracks."""
    _v2m("dataset", "build", str(folder / "music-videos"), "-o", str(folder / "dataset"), "--semantic", "",
         "--emotion", "emotion-affect", "--split", "34/33/33", "--seed", str(seed))
    _v2m("train", str(folder / "dataset"), "-o", str(folder / "amt"), "--epochs", "8", "--d-model", "64",
         "--layers", "2", "--window", "20", "--features", "motion,scene_offset,emotion", "--seed", str(seed))
    _v2m("train", "drums", str(folder / "midi"), "--soundtracks", str(folder / "dataset"),
         "-o", str(folder / "drums-soundtracks.pt"), "--seed", str(seed))


def _time_long_plan(folder: Path, minutes: int = 20) -> None:
    """Seconds each learned renderer takes for `minutes` of music (they step a GRU per sixteenth)."""
    import time

    import numpy as np

    from v2m_core.renderers.drums_learned import LearnedDrumsRenderer
    from v2m_core.renderers.melody_learned import LearnedMelodyRenderer
    from v2m_core.testing.fixtures import sample_plan

    plan = sample_plan(bars=minutes * 30)  # 120 bpm, 4/4: 30 bars a minute
    for renderer, model in ((LearnedDrumsRenderer, "drums-soundtracks.pt"), (LearnedMelodyRenderer, "melody.pt")):
        began = time.perf_counter()
        notes = renderer(renderer.Config(model=str(folder / model))).render(plan, np.random.default_rng(0))[0].notes
        print(f"{renderer.name}: {minutes} minutes, {len(notes)} notes in {time.perf_counter() - began:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, nargs="+", default=[20.0, 30.0, 40.0])
    parser.add_argument("--folder", type=Path, default=Path("bench-music"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    write_drum_collection(args.folder / "midi", files=8, seed=args.seed)
    write_melody_collection(args.folder / "melody-midi", files=8, seed=args.seed)
    _v2m("train", "drums", str(args.folder / "midi"), "-o", str(args.folder / "drums.pt"), "--seed", str(args.seed))
    _v2m("train", "melody", str(args.folder / "melody-midi"), "-o", str(args.folder / "melody.pt"), "--seed", str(args.seed))
    videos = []
    for seconds in args.seconds:
        video = args.folder / f"video-{seconds:g}s.mp4"
        if not video.exists():
            make_video(video, varied_scenes(seconds), size=(320, 180), fps=25)
        videos.append(video)
    results: dict[str, list[dict[str, float | None]]] = {name: [] for name in SETUPS}
    first = next(iter(SETUPS))
    for name, (planner, *model) in SETUPS.items():
        if name != first and not (args.folder / "amt").exists():
            _train_on_music_videos(args.folder, args.seed)
        for video in videos:
            work = args.folder / f"{video.stem}-{'-'.join(name.replace('(', '').replace(')', '').replace('+', '').split())}"
            scored = args.folder / "music-videos" / f"{video.stem}.mp4" if name == first else work.with_suffix(".wav")
            scored.parent.mkdir(exist_ok=True)
            flags = [model[0], str(args.folder / model[1]), *model[2:]] if model else []
            _v2m("compose", str(video), "-o", str(scored), "--seed", str(args.seed), "--keep", str(work),
                 "--planner", planner, *flags)
            results[name].append(json.loads(_v2m("eval", "music", str(work), "--format", "json"))["metrics"])
    table = Table(title=f"planners and renderers on {len(videos)} generated videos "
                        f"({', '.join(f'{s:g}' for s in args.seconds)} s); means")
    table.add_column("measure")
    for name in SETUPS:
        table.add_column(name)
    for metric in (*NOTE_METRICS, *AUDIO_METRICS):
        cells = []
        for name in SETUPS:
            values = [row[metric] for row in results[name] if row[metric] is not None]
            cells.append(f"{sum(values) / len(values):.3f}" if values else "n/a")
        table.add_row(metric, *cells)
    Console(width=160).print(table)
    _time_long_plan(args.folder)


if __name__ == "__main__":
    main()
