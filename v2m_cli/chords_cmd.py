"""`v2m chords` (label the chords of an audio or video file) and `v2m eval chords` (score them)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from v2m_cli.output import OutputFormat, emit
from v2m_cli.state import CliState, state
from v2m_core.errors import UsageError
from v2m_core.output_paths import StagedOutputs, check_output_file

# v2m_core.chords (mir_eval -> scipy.stats, PyAV), the config schemas and the plugin interfaces (numpy) are
# imported inside the commands, so `v2m --help` starts fast.


def _config_overrides(name: str, checkpoint: Path | None, overrides: list[str], fields: dict[str, Any]) -> list[str]:
    """The recognizer's `--set KEY=VALUE` and `--checkpoint` as overrides of `plugins.settings.NAME`, merged with
    the config file like every command's (file < --set < --checkpoint)."""
    merged = [f"plugins.settings.{name}.{override}" for override in overrides]
    if checkpoint is not None:
        if "checkpoint" not in fields:
            raise UsageError(f"recognizer '{name}' takes no checkpoint")
        merged.append(f"plugins.settings.{name}.checkpoint={json.dumps(str(checkpoint))}")
    return merged


def chords_command(
    ctx: typer.Context,
    media: Annotated[Path, typer.Argument(help="Audio or video file (anything ffmpeg reads).")],
    recognizer: Annotated[str | None, typer.Option("--recognizer", "-r", help="Recognizer plugin (default: madmom when installed, else chroma-template).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the labels here instead of printing them.")] = None,
    per_second: Annotated[bool, typer.Option("--per-second", metavar="", help="One label per second ('second label' lines) instead of segments.")] = False,
    checkpoint: Annotated[Path | None, typer.Option("--checkpoint", help="Model file for recognizers that load one (btc, btc-large).")] = None,
    overrides: Annotated[list[str] | None, typer.Option("--set", "-s", metavar="KEY=VALUE", help="Recognizer setting KEY=VALUE, e.g. model=\"deepchroma\".")] = None,
) -> None:
    """Recognize the chords of MEDIA and print or write them as a .lab file."""
    with StagedOutputs() as staged:
        if output is not None:
            check_output_file(output, [media], (".lab", ".txt"), "chord labels")
            staged.make_folder_for(output)  # a read-only folder fails here, not after the recognition
        _recognize(state(ctx), media, recognizer, output, per_second, checkpoint, overrides or [], staged)


def _recognize(cli: CliState, media: Path, recognizer: str | None, output: Path | None, per_second: bool,
               checkpoint: Path | None, overrides: list[str], staged: StagedOutputs) -> None:
    from v2m_core.chords.lab import format_lab
    from v2m_core.chords.per_second import format_per_second, to_per_second
    from v2m_core.chords.recognize import default_recognizer, recognize_file
    from v2m_core.interfaces.base import PluginKind
    from v2m_core.interfaces.recognizer import ChordRecognizer
    from v2m_core.plugins.settings import settings_for

    manager = cli.plugins
    name = recognizer or default_recognizer(manager.names(PluginKind.RECOGNIZER))
    plugin_class = manager.get(ChordRecognizer, name)
    if recognizer is None:
        from v2m_cli.output import default_plugin_notice

        default_plugin_notice(cli.console, plugin_class, "--recognizer NAME (e.g. chroma-template)")
    loaded = cli.config(_config_overrides(name, checkpoint, overrides, plugin_class.Config.model_fields))
    plugin = manager.create(ChordRecognizer, name,
                            settings_for(loaded.config.plugins.settings, PluginKind.RECOGNIZER, name))
    began = time.perf_counter()
    timeline = recognize_file(plugin, media)
    seconds = time.perf_counter() - began
    duration = timeline.segments[-1].end if timeline.segments else 0.0
    text = format_per_second(to_per_second(timeline.segments, duration)) if per_second else format_lab(timeline.segments)
    if output is None:
        typer.echo(text, nl=False)
    else:
        staged.file(output).write_text(text, encoding="utf-8")
        staged.commit()
    speed = f", {duration / seconds:.0f}x realtime" if seconds > 0 else ""
    cli.console.print(f"{name}: {len(timeline.segments)} segments over {duration:.1f} s in {seconds:.2f} s{speed}"
                      + (f"; wrote {output}" if output else ""), highlight=False)


def eval_chords(
    reference: Annotated[Path, typer.Option("--ref", help="Folder of reference .lab files.")],
    estimate: Annotated[Path, typer.Option("--est", help="Folder of estimated .lab (or Omnizart .csv) files, same names.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """mir_eval chord scores per file and over all files, weighted by duration."""
    from v2m_core.chords.evaluation import METRICS, evaluate_folders

    result = evaluate_folders(reference, estimate)
    if fmt is OutputFormat.json:
        print(json.dumps({"files": [{"name": f.name, "duration": round(f.duration, 3), **f.scores} for f in result.files],
                          "total": result.total, "missing": result.missing}, indent=2))
        return
    rows: list[dict[str, Any]] = [{"file": f.name, "seconds": f"{f.duration:.1f}", **{m: f"{f.scores[m]:.3f}" for m in METRICS}}
                                  for f in result.files]
    rows.append({"file": "ALL", "seconds": f"{sum(f.duration for f in result.files):.1f}",
                 **{m: f"{v:.3f}" for m, v in result.total.items()}})
    emit(rows, ("file", "seconds", *METRICS), fmt, title="chord scores (mir_eval; ALL is weighted by duration)")
    if result.missing:
        typer.echo(f"warning: no estimate for {len(result.missing)} reference file(s): {', '.join(result.missing)}", err=True)
