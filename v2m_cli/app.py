"""The `v2m` command: Typer app plus one error policy for every command.

Errors derived from V2MError print one red line and exit 1 (2 for usage errors); any other
exception does the same as an internal error. `--debug` shows the traceback instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from v2m_cli import chords_cmd, compose_cmd, config_cmd, dataset_cmd, eval_cmd, learn_cmd, music_cmd, plugins_cmd, schemas_cmd, train_cmd
from v2m_cli.state import CliState
from v2m_core import __version__
from v2m_core.errors import V2MError

app = typer.Typer(
    name="v2m",
    help="Music that fits any video.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
app.add_typer(plugins_cmd.app, name="plugins")
app.add_typer(config_cmd.app, name="config")
app.add_typer(schemas_cmd.app, name="schemas")
app.command("compose")(compose_cmd.compose_command)
app.command("demo")(compose_cmd.demo_command)
app.command("chords")(chords_cmd.chords_command)
app.add_typer(eval_cmd.app, name="eval")
app.add_typer(dataset_cmd.app, name="dataset")
app.add_typer(train_cmd.app, name="train")
app.command("evaluate")(learn_cmd.evaluate_command)
app.command("report")(music_cmd.report_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"v2m {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Config file (default: $V2M_CONFIG or ./v2m.toml).")] = None,
) -> None:
    """v2m: analyse a video, plan harmony and tempo against its cuts, arrange, render and mux."""
    ctx.obj = CliState(debug=debug, config_path=config)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit code (0 ok, 1 failed run, 2 usage)."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    console = Console(stderr=True)
    try:
        app(args=args, prog_name="v2m")  # standalone: click prints its own usage errors and exits
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except V2MError as error:
        if debug:
            raise
        console.print(f"[red]error:[/] {error}", highlight=False, soft_wrap=True)
        return error.exit_code
    except Exception as error:  # noqa: BLE001 - the CLI's last line of defence
        if debug:
            raise
        console.print(f"[red]internal error:[/] {type(error).__name__}: {error} (run with --debug for the traceback)",
                      highlight=False, soft_wrap=True)
        return 1
    return 0


def run() -> None:
    sys.exit(main())
