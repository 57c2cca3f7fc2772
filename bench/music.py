"""Compare drum renderers and planners with `v2m eval music` on the same generated videos.

Writes a generated drum MIDI collection and trains `drums-learned` on it (`v2m train-drums`);
composes the generated videos (varied scenes with hard cuts, 320x180) with the rule planner and
the rule `drums`, builds a dataset from those music videos, trains a small `amt` model on it
(`v2m dataset build`, `v2m train`), then composes the videos again with `drums-learned` and with
`--planner amt`. Each work folder is evaluated; the table shows the mean of every measure.

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
from v2m_core.evaluation.music import AUDIO_METRICS, NOTE_METRICS
from v2m_core.media.synthetic import make_video, varied_scenes

RENDERERS = "chords,bass,melody,{drums}"
SETUPS: dict[str, tuple[str, str]] = {
    "rules + drums": ("rules", "drums"),
    "rules + drums-learned": ("rules", "drums-learned"),
    "amt + drums": ("amt", "drums"),
}
"""Column name -> (planner, drum renderer). The first is composed first: its videos train `amt`."""


def _v2m(*arguments: str) -> str:
    result = subprocess.run([sys.executable, "-m", "v2m_cli", *arguments], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"v2m {' '.join(arguments)} failed: {result.stderr.strip()}")
    return result.stdout


def _train_amt(folder: Path, seed: int) -> None:
    """A small AMT on the rule-composed music videos: enough to exercise the learned planner, not to judge it."""
    _v2m("dataset", "build", str(folder / "music-videos"), "-o", str(folder / "dataset"), "--semantic", "",
         "--emotion", "emotion-affect", "--split", "34/33/33", "--seed", str(seed))
    _v2m("train", str(folder / "dataset"), "-o", str(folder / "amt"), "--epochs", "8", "--d-model", "64",
         "--layers", "2", "--window", "20", "--features", "motion,scene_offset,emotion", "--seed", str(seed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, nargs="+", default=[20.0, 30.0, 40.0])
    parser.add_argument("--folder", type=Path, default=Path("bench-music"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    model = args.folder / "drums.pt"
    write_drum_collection(args.folder / "midi", files=8, seed=args.seed)
    _v2m("train-drums", str(args.folder / "midi"), "-o", str(model), "--seed", str(args.seed))
    videos = []
    for seconds in args.seconds:
        video = args.folder / f"video-{seconds:g}s.mp4"
        if not video.exists():
            make_video(video, varied_scenes(seconds), size=(320, 180), fps=25)
        videos.append(video)
    results: dict[str, list[dict[str, float | None]]] = {name: [] for name in SETUPS}
    for name, (planner, drums) in SETUPS.items():
        if planner == "amt":
            _train_amt(args.folder, args.seed)
        for video in videos:
            work = args.folder / f"{video.stem}-{name.replace(' + ', '-')}"
            scored = args.folder / "music-videos" / f"{video.stem}.mp4" if name == "rules + drums" else work.with_suffix(".wav")
            scored.parent.mkdir(exist_ok=True)
            _v2m("compose", str(video), "-o", str(scored), "--seed", str(args.seed), "--keep", str(work),
                 "--planner", planner, "--renderers", RENDERERS.format(drums=drums),
                 "--set", f"plugins.settings.drums-learned.model={json.dumps(str(model))}",
                 "--set", f"plugins.settings.amt.model={json.dumps(str(args.folder / 'amt' / 'best.pt'))}")
            results[name].append(json.loads(_v2m("eval", "music", str(work), "--format", "json"))["metrics"])
    table = Table(title=f"planners and drum renderers on {len(videos)} generated videos "
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
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
