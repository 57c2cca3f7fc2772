"""`v2m train`: one verb for every model v2m learns, `amt` (the default), `drums` and `melody`.

`v2m train DATASET` stays short for the main model, so the group hands any first argument that
names no subcommand to `amt`: `v2m train data/ -o run` is `v2m train amt data/ -o run`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.core import Context as ClickContext  # typer's own click: what TyperGroup is typed against
from typer.core import TyperGroup

from v2m_cli import learn_cmd
from v2m_cli.output import OutputFormat, emit_record
from v2m_cli.progress import stage_progress
from v2m_cli.state import state
from v2m_core.output_paths import check_output_file

DEFAULT = "amt"
ARGUMENTS = "v2m.train.arguments"
"""Key in the click context's meta of the arguments `v2m train` was given (`--nproc` runs them again)."""
Progress = Callable[[str, float], None]


class TrainGroup(TyperGroup):
    """Routes `v2m train DATASET ...` to the default subcommand; `v2m train --help` still lists them all."""

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [DEFAULT, *args]
        ctx.meta[ARGUMENTS] = list(args)
        return super().parse_args(ctx, args)


app = typer.Typer(cls=TrainGroup, no_args_is_help=True,
                  help="Train a model: amt (chords from video features; the default), drums, melody.")
app.command(DEFAULT)(learn_cmd.train_command)


@app.command("drums")
def train_drums_command(
    ctx: typer.Context,
    midi_dir: Annotated[Path | None, typer.Argument(help="Folder of MIDI files with drum tracks (searched recursively).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Checkpoint to write (.pt).")] = Path("drums.pt"),
    soundtracks: Annotated[list[Path] | None, typer.Option(
        "--soundtracks", metavar="DATASET", help="A `v2m dataset build` dataset whose soundtracks' drums (transcribed) and video "
                              "emotions train the model too; repeatable.")] = None,
    iterations: Annotated[int, typer.Option(min=1, help="Optimiser steps on random four-bar windows.")] = 300,
    hidden: Annotated[int, typer.Option(min=4, help="GRU width.")] = 48,
    workers: Annotated[int, typer.Option("--workers", "-j", min=1, metavar="N",
                                         help="Processes reading the MIDI files (for big collections).")] = 1,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Summary as table or json.")] = OutputFormat.table,
) -> None:
    """Train the drums-learned renderer's model on MIDI drum tracks and/or dataset soundtracks."""
    check_output_file(output, [p for p in (midi_dir, *(soundtracks or [])) if p is not None], (".pt",), "drum model")

    def train(progress: Progress) -> Any:
        from v2m_core.drums.train import train_drums

        return train_drums(midi_dir, output, soundtracks=soundtracks or [], iterations=iterations, hidden=hidden,
                           seed=seed, workers=workers, progress=progress)

    _train_and_report(ctx, train, fmt, "v2m train drums")


@app.command("melody")
def train_melody_command(
    ctx: typer.Context,
    midi_dir: Annotated[Path, typer.Argument(help="Folder of MIDI files with a melody track (searched recursively).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Checkpoint to write (.pt).")] = Path("melody.pt"),
    iterations: Annotated[int, typer.Option(min=1, help="Optimiser steps on random four-bar windows.")] = 400,
    hidden: Annotated[int, typer.Option(min=4, help="GRU width.")] = 64,
    workers: Annotated[int, typer.Option("--workers", "-j", min=1, metavar="N",
                                         help="Processes reading the MIDI files (for big collections).")] = 1,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Summary as table or json.")] = OutputFormat.table,
) -> None:
    """Train the melody-learned renderer's model on the melodies of MIDI_DIR, over their harmony."""
    check_output_file(output, [midi_dir], (".pt",), "melody model")

    def train(progress: Progress) -> Any:
        from v2m_core.melody.train import train_melody

        return train_melody(midi_dir, output, iterations=iterations, hidden=hidden, seed=seed, workers=workers,
                            progress=progress)

    _train_and_report(ctx, train, fmt, "v2m train melody")


def launch_ranks(ctx: typer.Context, nproc: int) -> None:
    """`v2m train amt ... --nproc N`: the same command, less `--nproc`, in N processes through torchrun."""
    from v2m_core.learn.distributed import launch

    cli = state(ctx)
    root = [*(["--config", str(cli.config_path)] if cli.config_path else []), *(["--debug"] if cli.debug else [])]
    launch(nproc, [*root, "train", *without_option(ctx.meta[ARGUMENTS], "--nproc")])


def without_option(args: list[str], name: str) -> list[str]:
    """`args` less `name VALUE` and `name=VALUE`."""
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == name:
            skip = True
        elif not arg.startswith(f"{name}="):
            kept.append(arg)
    return kept


def _train_and_report(ctx: typer.Context, train: Callable[[Progress], Any], fmt: OutputFormat, title: str) -> None:
    """Check torch is there, run `train` under a progress display, print its result dataclass."""
    from v2m_core.learn import require_torch

    require_torch()
    with stage_progress(state(ctx).console) as progress:
        result = train(progress)
    emit_record(asdict(result), fmt, title=title)
