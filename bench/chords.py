"""Benchmark the chord recognizers on a set rendered from MIDI with known chords (bench/chord_set.py).

For every installed recognizer (or those named), prints (as a Markdown table) mir_eval's majmin, mirex and sevenths
(duration-weighted over all pieces), majmin per group (generated without and with drums, Bach
chorales) and speed as x-realtime: audio seconds per wall-clock second of recognition (best of --repeats runs
per piece, model loading excluded) and per CPU second of this process (all its threads), which
other load on a shared machine disturbs less.
Targets for the default recognizer: majmin >= 0.85 and >= 100x realtime on 2 cores.

    .venv/bin/python bench/chords.py [--folder bench-out/chords] [--pieces 20] [--chorales 8]
        [--recognizers madmom essentia ...] [--set btc.checkpoint=PATH] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chord_set import SAMPLE_RATE, Piece, chorales, generated  # noqa: E402

from v2m_core.audio_input import load_audio  # noqa: E402
from v2m_core.chords.evaluation import score  # noqa: E402
from v2m_core.chords.lab import read_lab, write_lab  # noqa: E402
from v2m_core.config import parse_override  # noqa: E402
from v2m_core.errors import V2MError  # noqa: E402
from v2m_core.interfaces.base import PluginKind  # noqa: E402
from v2m_core.interfaces.recognizer import ChordRecognizer  # noqa: E402
from v2m_core.plugins import PluginManager  # noqa: E402

GROUPS = ("generated", "generated+drums", "chorale")


def _weighted(rows: list[tuple[float, dict[str, float]]], metric: str) -> float | None:
    total = sum(weight for weight, _ in rows)
    return sum(weight * scores[metric] for weight, scores in rows) / total if total else None


def run_recognizer(recognizer: ChordRecognizer, pieces: list[Piece], audio: dict[str, Any], folder: Path,
                   repeats: int) -> dict[str, Any]:
    """Recognize every piece, keep the estimates as .lab files, and score them.

    Each piece's time is the best of `repeats` runs, so other load on a shared machine inflates it less.
    """
    recognizer.recognize(audio[pieces[0].name], SAMPLE_RATE)  # load models and compile before timing
    seconds = cpu_seconds = 0.0
    scored: list[tuple[str, float, dict[str, float]]] = []
    (folder / recognizer.name).mkdir(parents=True, exist_ok=True)
    for piece in pieces:
        times, cpu_times = [], []
        for _ in range(repeats):
            began, began_cpu = time.perf_counter(), time.process_time()
            timeline = recognizer.recognize(audio[piece.name], SAMPLE_RATE)
            times.append(time.perf_counter() - began)
            cpu_times.append(time.process_time() - began_cpu)
        seconds += min(times)
        cpu_seconds += min(cpu_times)
        write_lab(folder / recognizer.name / f"{piece.name}.lab", timeline.segments)
        reference = read_lab(piece.reference)
        scored.append((piece.group, reference[-1].end - reference[0].start, score(reference, timeline.segments)))
    duration = sum(len(audio[p.name]) for p in pieces) / SAMPLE_RATE
    everything = [(weight, scores) for _, weight, scores in scored]
    result: dict[str, Any] = {metric: _weighted(everything, metric) for metric in ("majmin", "mirex", "sevenths")}
    for group in GROUPS:
        result[f"majmin {group}"] = _weighted([(w, s) for g, w, s in scored if g == group], "majmin")
    result["x_realtime"] = duration / seconds if seconds else None
    result["x_realtime_cpu"] = duration / cpu_seconds if cpu_seconds else None
    result["audio_seconds"] = duration
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folder", type=Path, default=Path("bench-out/chords"))
    parser.add_argument("--pieces", type=int, default=20, help="Generated progressions (half of them with drums).")
    parser.add_argument("--chorales", type=int, default=8, help="Bach chorales from the music21 corpus (0: none).")
    parser.add_argument("--recognizers", nargs="+", help="Default: every installed recognizer.")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        help="RECOGNIZER.KEY=VALUE, e.g. btc.checkpoint=\"/models/btc_model.pt\".")
    parser.add_argument("--soundfont", type=Path, default=None, help="Default: the system's General MIDI soundfont.")
    parser.add_argument("--repeats", type=int, default=3, help="Time each piece this many times and keep the best.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    args = parser.parse_args()
    data = args.folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    console = Console(stderr=True)
    console.print(f"rendering the set into {data} ...")
    pieces = [*generated(data, args.pieces, args.soundfont), *chorales(data, args.chorales, args.soundfont)]
    audio = {piece.name: load_audio(piece.audio, SAMPLE_RATE) for piece in pieces}
    total = sum(len(a) for a in audio.values()) / SAMPLE_RATE
    console.print(f"{len(pieces)} pieces, {total / 60:.1f} minutes")

    settings: dict[str, dict[str, Any]] = {}
    for override in args.overrides:
        for name, values in parse_override(override).items():
            settings.setdefault(name, {}).update(values)
    manager = PluginManager()
    names = args.recognizers or manager.names(PluginKind.RECOGNIZER)
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        try:
            recognizer = manager.create(ChordRecognizer, name, settings.get(name, {}))
            results[name] = run_recognizer(recognizer, pieces, audio, args.folder / "estimates", args.repeats)
        except V2MError as error:
            results[name] = {"skipped": str(error)}
        console.print(f"{name}: done")

    columns = ("majmin", "mirex", "sevenths", *(f"majmin {g}" for g in GROUPS), "x_realtime", "x_realtime_cpu")
    load = os.getloadavg()[0]
    print(f"chord recognizers on {len(pieces)} rendered pieces ({total / 60:.1f} min of audio), {os.cpu_count()} cores, "
          f"load average {load:.1f} at the end\n")
    print("| recognizer | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for name, result in results.items():
        if "skipped" not in result:
            cells = (f"{result[c]:.0f}" if c.startswith("x_realtime") else "-" if result[c] is None else f"{result[c]:.3f}"
                     for c in columns)
            print(f"| {name} | " + " | ".join(cells) + " |")
    for name, result in results.items():
        if "skipped" in result:
            print(f"\n{name}: skipped ({result['skipped']})")
    if args.json:
        args.json.write_text(json.dumps({"pieces": len(pieces), "audio_minutes": total / 60, "cores": os.cpu_count(),
                                         "results": results}, indent=2))


if __name__ == "__main__":
    main()
