"""The montage benchmark: does the music keep time with the picture when shots come fast, medium or slow, and
is it music (a tune, harmony that goes somewhere, a groove that settles, a melody heard over the chords)?

Generates three videos (320x180, 25 fps) whose shot lengths are drawn from a seeded lognormal
distribution: median 1.2 s ("trailer", 45 s), 2 s ("music video", 60 s) and 5 s ("vlog", 90 s),
each shot a different lavfi pattern with its own brightness, saturation and motion, so the cut
detector has real work. Composes each with every style (and with `amt` when `--model` is given), with
stems, evaluates the kept folder with `v2m eval music`'s measures of musical time and of musicianship,
and prints one table: a column per (video, style, planner), a row per measure (✗ where a target is
missed) with the target of the musical-time and musicianship issues and how many runs pass it, and a
first row with the detected/known cuts.

    .venv/bin/python bench/montage.py [--out DIR] [--seed 0] [--seeds 1] [--quick] [--model CKPT]
        [--write-docs [FILE]]
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from v2m_core.compose.pipeline import compose
from v2m_core.evaluation.measure_targets import TARGETS
from v2m_core.evaluation.music import MUSICIANSHIP_METRICS, PULSE_METRICS, evaluate_music
from v2m_core.media.synthetic import FAST_CODEC_ARGS, make_video, montage_scenes
from v2m_core.schemas.config import ComposeConfig

PACINGS: tuple[tuple[str, float, float], ...] = (("trailer", 1.2, 45.0), ("music video", 2.0, 60.0), ("vlog", 5.0, 90.0))
"""Name, median shot length (s), video length (s)."""
QUICK_SECONDS = 20.0
STYLES = ("pop", "cinematic", "ambient", "electronic")
QUICK_STYLES = ("pop", "cinematic")
SIZE, FPS = (320, 180), 25
DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
SECTION = "## Montage benchmark"


MEASURES = (*PULSE_METRICS, *MUSICIANSHIP_METRICS)


@dataclass(frozen=True)
class Run:
    """One composition of one video, with the cut counts that say how much the detector got right."""

    video: str
    pacing: float
    planner: str
    style: str
    cuts_detected: int
    cuts_known: int
    metrics: dict[str, float | None]


def run_benchmark(folder: Path, seed: int, quick: bool, model: Path | None) -> list[Run]:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    planners: list[tuple[str, dict[str, dict[str, str]]]] = [("rules", {})]
    if model is not None:
        planners.append(("amt", {"amt": {"model": str(model)}}))
    runs = []
    for name, median, seconds in PACINGS:
        video = folder / f"{name.replace(' ', '-')}.mp4"
        known = make_video(video, montage_scenes(rng, median, QUICK_SECONDS if quick else seconds, FPS), size=SIZE, fps=FPS,
                           codec_args=FAST_CODEC_ARGS)
        for planner, settings in planners:
            for style in QUICK_STYLES if quick else STYLES:
                keep = folder / f"{video.stem}-{planner}-{style}"
                began = time.perf_counter()
                composition = compose(video, None, ComposeConfig(planner=planner, style=style, seed=seed),
                                      plugin_settings=settings, keep=keep, stems=True)
                metrics = evaluate_music(keep).metrics
                print(f"{name} / {planner} / {style}: {time.perf_counter() - began:.1f} s", file=sys.stderr)
                runs.append(Run(name, median, planner, style, len(composition.analysis.cuts), len(known),
                                {m: metrics[m] for m in MEASURES}))
    return runs


def _cell(run: Run, measure: str) -> str:
    value = run.metrics[measure]
    if value is None:
        return "n/a"
    target = TARGETS.get(measure)
    return f"{value:.4g}" + (" ✗" if target and target.passes(value, run.pacing) is False else "")


def _passing(runs: list[Run], measure: str) -> str:
    """How many of the runs a measure's target judges pass it ("–" where it judges none)."""
    target = TARGETS.get(measure)
    judged = [v for v in (target.passes(r.metrics[measure], r.pacing) for r in runs) if v is not None] if target else []
    return f"{sum(judged)}/{len(judged)}" if judged else "–"


def table_rows(runs: list[Run], separator: str, more: list[Run]) -> tuple[list[str], list[list[str]]]:
    """Header and rows: a column per run (its labels joined by `separator`), a row per measure with its
    target and how many judged runs pass it, and, when `more` holds the runs of further seeds, how many
    of all the seeds' runs do; the first row counts the cuts detected against those made."""
    seeds = 1 + len(more) // max(1, len(runs))
    header = ["measure", "target",
              *(separator.join([f"{r.video} {r.pacing:g} s", r.style, *([r.planner] if r.planner != "rules" else [])])
                for r in runs), "runs passing", *([f"runs passing, {seeds} seeds"] if more else [])]
    rows = [["cuts detected/known", "", *(f"{r.cuts_detected}/{r.cuts_known}" for r in runs), "",
             *([""] if more else [])]]
    for measure in MEASURES:
        target = TARGETS.get(measure)
        rows.append([measure, str(target) if target else "–", *(_cell(r, measure) for r in runs), _passing(runs, measure),
                     *([_passing(runs + more, measure)] if more else [])])
    return header, rows


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join([*lines, *("| " + " | ".join(row) + " |" for row in rows)])


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return "unknown CPU"
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found.group(1).strip() if found else "unknown CPU"


def write_docs(path: Path, table: str, seconds: float) -> None:
    """Replace the montage section of `path` (or append it), leaving the rest of the file as it was."""
    command = " ".join(["bench/montage.py", *sys.argv[1:]])
    about = (f"Command: `.venv/bin/python {command}` on {datetime.date.today().isoformat()}; machine: "
             f"{os.cpu_count()} CPU cores ({cpu_model()}); {seconds:.0f} s in all. Generated 320x180, 25 fps videos "
             f"with lognormal shot lengths: median 1.2 s (trailer, 45 s), 2 s (music video, 60 s) and 5 s (vlog, "
             f"90 s), or 20 s each with `--quick`; each composed with every style, with stems. Measures of `v2m "
             f"eval music` (docs/music-evaluation.md): musical time, then the tune, harmony and mix; ✗ where the "
             f"target is missed; crashes and fills are judged at 2 s pacing only.")
    section = "\n".join([SECTION, "", textwrap.fill(about, width=100, break_on_hyphens=False), "", table, ""])
    text = path.read_text(encoding="utf-8")
    start = text.find(f"\n{SECTION}\n")
    if start < 0:
        path.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
        return
    following = text.find("\n## ", start + len(SECTION) + 2)
    rest = text[following + 1:] if following >= 0 else ""
    path.write_text(text[:start + 1] + section + ("\n" + rest if rest else ""), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="Work folder (videos, kept compositions); default: a temporary one.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, default=1, metavar="N",
                        help="Also run seeds SEED+1 .. SEED+N-1 (other videos, other music) and add a column of how "
                             "many runs of all N seeds pass each target: how robust the figures are.")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SECONDS:g} s per pacing, two styles: a smoke run.")
    parser.add_argument("--model", type=Path, help="An amt checkpoint: also compose with the amt planner.")
    parser.add_argument("--write-docs", nargs="?", type=Path, const=DOCS, metavar="FILE",
                        help=f"Replace the '{SECTION[3:]}' section of FILE (default {DOCS.relative_to(DOCS.parent.parent)}).")
    args = parser.parse_args()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="v2m-montage-") as temporary:
        folder = args.out or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        runs = run_benchmark(folder, args.seed, args.quick, args.model)
        more = [run for seed in range(args.seed + 1, args.seed + args.seeds)
                for run in run_benchmark(folder / f"seed-{seed}", seed, args.quick, args.model)]
    seconds = time.perf_counter() - began
    table = Table(title=f"montage benchmark (seed {args.seed}{', quick' if args.quick else ''}; {seconds:.0f} s)")
    header, rows = table_rows(runs, "\n", more)
    for index, column in enumerate(header):
        table.add_column(column, no_wrap=index < 2)
    for index, row in enumerate(rows):  # lines under the cut counts and under the measures of musical time
        table.add_row(*row, end_section=index in (0, len(PULSE_METRICS)))
    Console(width=80 + 18 * len(runs)).print(table)
    if args.write_docs is not None:
        write_docs(args.write_docs, markdown(*table_rows(runs, " ", more)), seconds)
        print(f"wrote the montage section of {args.write_docs}")


if __name__ == "__main__":
    main()
