"""`v2m eval music` and `v2m report`: judging and showing composed music."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from v2m_cli.output import OutputFormat, emit_record
from v2m_cli.state import state
from v2m_core.output_paths import check_output_file


def eval_music_command(
    target: Annotated[Path, typer.Argument(
        help="A `v2m compose --keep` folder (with --stems for the mix balance), or a composed video (audio measures only).")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")] = OutputFormat.table,
) -> None:
    """Objective measures of composed music: cuts on the beat, tempo steadiness, bars, fills, key, groove, the tune,
    chords and cadences, mode against mood, melody over chords, loudness."""
    from v2m_core.evaluation.music import evaluate_music

    result = evaluate_music(target)
    if fmt is OutputFormat.json:
        print(json.dumps(asdict(result), indent=2))
        return
    emit_record({name: "n/a" if value is None else value for name, value in result.metrics.items()}, fmt,
                title=f"music measures: {result.target}")
    for line in result.missing:
        typer.echo(f"note: {line}", err=True)


def report_command(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(
        help="A `v2m compose --keep` folder (with --stems for stem players), or a composed video.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("report.html"),
    embed_mb: Annotated[float, typer.Option(
        "--embed-mb", min=0, help="Media embedded in the page, at most (MB); the rest is linked relative to it.")] = 25.0,
) -> None:
    """A page to share: video, A/B soundtracks, timeline, piano roll, stems, downloads, measures.

    One HTML file with everything inline; media past --embed-mb are linked (docs/report.md).

    Example: v2m compose clip.mp4 -o out.mp4 --keep work/ --stems && v2m report work/ -o report.html
    """
    from v2m_core.report.page import write_report

    check_output_file(output, [target], (".html", ".htm"), "report")
    linked = write_report(target, output, embed_limit=int(embed_mb * 1024 * 1024))
    console = state(ctx).console
    console.print(f"wrote {output}", highlight=False)
    if linked:
        console.print(f"it links {', '.join(str(path) for path in linked)} (too big to embed): keep the page where "
                      "these paths still lead", highlight=False)
