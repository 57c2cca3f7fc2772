"""`v2m dataset build|validate|stats|import-muvi|export-muvi`."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from v2m_cli.output import OutputFormat, emit
from v2m_cli.overrides import option_overrides
from v2m_cli.state import state
from v2m_core.dataset.layout import find_videos
from v2m_core.errors import UsageError

if TYPE_CHECKING:
    from v2m_core.dataset.build import BuildResult, EventHandler
    from v2m_core.dataset.runner import StepEvent

# The dataset steps (PyAV, scipy, mir_eval, matplotlib), the schemas and the plugin interfaces (numpy) are
# imported inside the commands, so `v2m --help` starts fast.

app = typer.Typer(help="Build, check and convert training datasets.", no_args_is_help=True)

Names = Annotated[list[str] | None, typer.Option(metavar="NAME[,NAME...]", help="Step names, comma-separated or repeated.")]


def _names(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _ratios(text: str) -> dict[str, float]:
    """'80/10/10' -> the dataset.split_ratios shares (checked, with the rest, when the configuration loads)."""
    try:
        train, val, test = (float(part) for part in text.replace(":", "/").split("/"))
    except ValueError:
        raise typer.BadParameter("use TRAIN/VAL/TEST, e.g. 80/10/10", param_hint="--split") from None
    return {"train": train, "val": val, "test": test}


@contextmanager
def step_progress(console: Console, videos: int) -> Iterator[EventHandler]:
    """One bar per step counting videos done (run, cached, skipped or failed), with time remaining."""
    columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("eta"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def report(event: StepEvent) -> None:
            if event.step not in tasks:
                tasks[event.step] = progress.add_task(event.step, total=videos)
            progress.advance(tasks[event.step])

        yield report


def _summary(result: BuildResult, fmt: OutputFormat, console: Console) -> None:
    from v2m_core.schemas.manifest import SPLITS

    counts = Counter((event.step, event.status) for event in result.events)
    seconds: dict[str, float] = {}
    for event in result.events:
        seconds[event.step] = seconds.get(event.step, 0) + event.seconds
    rows = [{"step": planned.name, "plugin": f"{planned.package} {planned.step.version}",
             **{status: counts[(planned.name, status)] for status in ("ran", "cached", "skipped", "failed")},
             "seconds": round(seconds.get(planned.name, 0), 2)} for planned in result.plan.steps]
    splits = ({name: sum(video.split == name for video in result.manifest.videos) for name in SPLITS}
              if result.manifest else None)
    if fmt is OutputFormat.json:
        print(json.dumps({"steps": rows, "failures": [f.model_dump() for f in result.failures],
                          "videos": len(result.videos),
                          "dataset_videos": len(result.manifest.videos) if result.manifest else None,
                          "splits": splits}, indent=2))
    else:
        split_text = "; splits: " + ", ".join(f"{name} {count}" for name, count in splits.items()) if splits else ""
        emit(rows, ("step", "plugin", "ran", "cached", "skipped", "failed", "seconds"), fmt,
             title=f"v2m dataset build: {len(result.videos)} videos{split_text}")
        if result.failures:
            emit([f.model_dump() for f in result.failures], ("video", "step", "error"), fmt, title="failures")
    if result.failures:
        console.print(f"[red]{len(result.failures)} of {len(result.videos)} videos failed[/] (listed in "
                      "failures.json). Fix or remove them and run the same command again: finished steps are "
                      "cached, so only the failed work runs.", highlight=False)


@app.command("build")
def build_command(
    ctx: typer.Context,
    videos: Annotated[Path, typer.Argument(help="Folder of music videos (with their soundtracks).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Dataset folder (created or updated).")],
    steps: Annotated[list[str] | None, typer.Option(metavar="NAME[,NAME...]", help="Per-video steps instead of the default list (the "
                                                       "semantic and emotion steps are added).")] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-j", min=1, help="Worker processes, one video each "
                                                                              "(default 1).")] = None,
    executor: Annotated[str | None, typer.Option(help="Executor plugin: serial, processes (-j N), ray (v2m-ray; cluster "
                                                       "from plugins.settings.ray.address or $RAY_ADDRESS, else a local "
                                                       "Ray).")] = None,
    recognizer: Annotated[str | None, typer.Option(help="Chord recognizer plugin (default: madmom when installed, "
                                                         "else chroma-template).")] = None,
    semantic: Annotated[str | None, typer.Option(help="Embedding step (default semantic-efficientnet; '' for none).")] = None,
    emotion: Annotated[str | None, typer.Option(help="Emotion step: auto, emotion-affect or emotion-clip.")] = None,
    with_step: Names = None,
    skip_steps: Names = None,
    only_steps: Names = None,
    force: Annotated[bool, typer.Option("--force", metavar="", help="Ignore the cache: re-run every selected step.")] = False,
    from_step: Annotated[str | None, typer.Option(help="Re-run this step and everything after it.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of a fresh train/val/test split (default 0).")] = None,
    split: Annotated[str | None, typer.Option(help="Split ratios TRAIN/VAL/TEST of a fresh split (default 80/10/10).")] = None,
    preserve_splits: Annotated[bool | None, typer.Option(metavar="", help="Keep val/test of an existing dataset; new "
                                                                          "videos join train (the default).")] = None,
    min_seconds: Annotated[float | None, typer.Option(help="Shorter videos are recorded as failures (default 2).")] = None,
    overrides: Annotated[list[str] | None, typer.Option("--set", "-s", metavar="KEY=VALUE", help="Config KEY=VALUE, e.g. "
                                                        "plugins.settings.semantic-clip.weights=W.pt")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Summary as table or json.")] = OutputFormat.table,
) -> None:
    """Turn VIDEOS into a training dataset: cached, resumable, incremental, parallel.

    Each option overrides a key of the dataset table of v2m.toml (--seed is dataset.split_seed, --with-step is
    dataset.extra_steps), so `v2m config show -s dataset.KEY=VALUE` shows what a build runs with."""
    from v2m_core.chords.recognize import default_recognizer
    from v2m_core.dataset.build import build_dataset
    from v2m_core.dataset.plan import BuildOptions
    from v2m_core.interfaces.base import PluginKind
    from v2m_core.plugins.settings import check_plugin_settings

    cli = state(ctx)
    ratios = _ratios(split) if split is not None else None
    flags = option_overrides("dataset", steps=_names(steps) or None, recognizer=recognizer, semantic=semantic,
                             emotion=emotion, extra_steps=_names(with_step) or None, split_seed=seed,
                             preserve_splits=preserve_splits, min_seconds=min_seconds, workers=workers, executor=executor)
    flags += [f"dataset.split_ratios.{share}={value}" for share, value in (ratios or {}).items()]
    try:
        loaded = cli.config([*(overrides or []), *flags])
    except UsageError as error:  # an option out of range (--seed -1, --min-seconds nan)
        raise UsageError(f"dataset build: {error}") from None
    settings = loaded.config.plugins.settings
    check_plugin_settings(settings, cli.plugins)
    config = loaded.config.dataset
    chosen_recognizer = loaded.sources["dataset.recognizer"] != "default"
    if not chosen_recognizer:  # the best recognizer installed here, not the model's fallback
        config = config.model_copy(update={"recognizer": default_recognizer(cli.plugins.names(PluginKind.RECOGNIZER))})
    options = BuildOptions(skip=_names(skip_steps), only=_names(only_steps), force=force, from_step=from_step)
    if not chosen_recognizer and "chords" in config.steps:
        from v2m_cli.output import default_plugin_notice

        default_plugin_notice(cli.console, cli.plugins.get(PluginKind.RECOGNIZER, config.recognizer), "--recognizer NAME")
    count = len(find_videos(videos))
    with step_progress(cli.console, count) as progress:
        result = build_dataset(videos, output, config, cli.plugins, settings, options, on_event=progress)
    _summary(result, fmt, cli.console)
    if result.failures:
        raise typer.Exit(1)


@app.command("validate")
def validate_command(
    dataset: Annotated[Path, typer.Argument(help="Dataset folder.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Check alignment, chord names, continuity, hashes and splits; exit 1 on any problem."""
    from v2m_core.dataset.validate import validate_dataset

    problems = validate_dataset(dataset)
    rows = [{"video": p.video, "check": p.check, "problem": p.message} for p in problems]
    if problems or fmt is OutputFormat.json:
        emit(rows, ("video", "check", "problem"), fmt, title=f"{len(problems)} problems in {dataset}")
    else:
        typer.echo(f"{dataset}: valid")
    if problems:
        raise typer.Exit(1)


@app.command("stats")
def stats_command(
    dataset: Annotated[Path, typer.Argument(help="Dataset folder.")],
    plot: Annotated[Path | None, typer.Option(help="Write chords.png, emotions.png and durations.png here.")] = None,
    top: Annotated[int, typer.Option(help="How many chords to list.")] = 20,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Chord histogram, emotion distribution, durations and split sizes."""
    from v2m_core.dataset.stats import dataset_stats, plot_stats

    stats = dataset_stats(dataset)
    total = sum(stats.chords.values()) or 1
    seconds = sorted(stats.seconds) or [0]
    summary = {"videos": stats.videos, "seconds": sum(stats.seconds), "shortest_s": seconds[0],
               "median_s": seconds[len(seconds) // 2], "longest_s": seconds[-1], "splits": stats.splits}
    if fmt is OutputFormat.json:
        print(json.dumps({**summary, "chords": dict(stats.chords.most_common()), "emotion_mean": stats.emotion_mean,
                          "emotion_top": stats.emotion_top}, indent=2))
    else:
        emit([{"": key, "value": value} for key, value in summary.items()], ("", "value"), fmt, title="dataset")
        emit([{"chord": chord, "seconds": n, "share": f"{n / total:.1%}"} for chord, n in stats.chords.most_common(top)],
             ("chord", "seconds", "share"), fmt, title="chords")
        emit([{"emotion": name, "mean_probability": f"{stats.emotion_mean[name]:.3f}", "top_seconds": stats.emotion_top[name]}
              for name in stats.emotion_mean], ("emotion", "mean_probability", "top_seconds"), fmt, title="emotions")
    if plot is not None:
        for path in plot_stats(stats, plot, top):
            typer.echo(str(path), err=True)


@app.command("import-muvi")
def import_command(
    source: Annotated[Path, typer.Argument(help="MuVi-Sync / Video2Music feature tree (the folder holding vevo_*).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="v2m dataset folder to write.")],
    vis_model: Annotated[str | None, typer.Option(help="Semantic folder below vevo_semantic/all, e.g. 2d/clip_l14p.")] = None,
    emotion_model: Annotated[str, typer.Option(help="Folder below vevo_emotion.")] = "6c_l14p",
) -> None:
    """Read the released Video2Music features into the v2m layout (chord IDs and splits kept)."""
    from v2m_core.dataset.muvi import import_muvi

    if (output / "dataset.json").exists():
        raise UsageError(f"{output} already holds a dataset; import into a new folder")
    manifest = import_muvi(source, output, vis_model=vis_model, emotion_model=emotion_model)
    typer.echo(f"imported {len(manifest.videos)} videos into {output} "
               f"({len(manifest.chord_vocabulary)} chords, features: {', '.join(f.name for f in manifest.features)})")


@app.command("export-muvi")
def export_command(
    dataset: Annotated[Path, typer.Argument(help="v2m dataset folder.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the vevo_* tree.")],
    emotion_model: Annotated[str, typer.Option(help="Folder name below vevo_emotion.")] = "6c_l14p",
) -> None:
    """Write the dataset in Video2Music's feature layout (chords transposed to C major / A minor)."""
    from v2m_core.dataset.muvi import export_muvi

    count = export_muvi(dataset, output, emotion_model=emotion_model)
    typer.echo(f"exported {count} videos to {output}")
