"""Compare drum renderers with `v2m eval music`: the rule `drums` against `drums-learned`.

Writes a generated drum MIDI collection, trains the learned model on it (`v2m train-drums`),
composes the same generated videos (varied scenes with hard cuts, 320x180) once per drum renderer
with `--keep`, evaluates each work folder and prints the mean of every measure per renderer.

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

DRUMS = {"rule": "drums", "learned": "drums-learned"}


def _v2m(*arguments: str) -> str:
    result = subprocess.run([sys.executable, "-m", "v2m_cli", *arguments], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"v2m {' '.join(arguments)} failed: {result.stderr.strip()}")
    return result.stdout


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
    results: dict[str, list[dict[str, float | None]]] = {name: [] for name in DRUMS}
    for seconds in args.seconds:
        video = args.folder / f"video-{seconds:g}s.mp4"
        if not video.exists():
            make_video(video, varied_scenes(seconds), size=(320, 180), fps=25)
        for name, renderer in DRUMS.items():
            work = args.folder / f"{video.stem}-{name}"
            _v2m("compose", str(video), "-o", str(work.with_suffix(".wav")), "--seed", str(args.seed), "--keep", str(work),
                 "--renderers", f"chords,bass,melody,{renderer}", "--set",
                 f"plugins.settings.drums-learned.model={json.dumps(str(model))}")
            results[name].append(json.loads(_v2m("eval", "music", str(work), "--format", "json"))["metrics"])
    table = Table(title=f"drum renderers on {len(args.seconds)} generated videos ({', '.join(f'{s:g}' for s in args.seconds)} s); means")
    table.add_column("measure")
    for name, renderer in DRUMS.items():
        table.add_column(f"{name} ({renderer})")
    for metric in (*NOTE_METRICS, *AUDIO_METRICS):
        cells = []
        for name in DRUMS:
            values = [row[metric] for row in results[name] if row[metric] is not None]
            cells.append(f"{sum(values) / len(values):.3f}" if values else "n/a")
        table.add_row(metric, *cells)
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
