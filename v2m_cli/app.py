"""The `v2m` command: Typer app plus one error policy for every command.

Errors derived from V2MError print one red line and exit 1 (2 for usage errors); click's usage errors
(an unknown option, a missing argument) print the same way; any other exception does the same as an
internal error. `--debug` shows the traceback instead.

SIGINT and SIGTERM raise `Interrupted`, so an interrupt unwinds like an error: children are stopped and
temporary files removed on the way out, and one line says what happened (exit 128 + the signal number).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError

from v2m_cli import chords_cmd, compose_cmd, config_cmd, dataset_cmd, eval_cmd, learn_cmd, listening_test_cmd, music_cmd, plugins_cmd, schemas_cmd, train_cmd
from v2m_cli.state import CliState
from v2m_core import __version__
from v2m_core.atomic import is_disk_full
from v2m_core.children import interrupt_deferred
from v2m_core.errors import DiskFullError, V2MError

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
# The old name of `v2m eval model`, kept for one release. Typer annotates `deprecated` as bool, but hands it to its
# click, which prints a string after "DeprecationWarning: The command 'evaluate' is deprecated." on stderr.
app.command("evaluate", hidden=True,
            deprecated="Use `v2m eval model` (the same arguments); `v2m evaluate` goes in the next release.",  # type: ignore[arg-type]
            )(learn_cmd.evaluate_command)
app.command("report")(music_cmd.report_command)
app.add_typer(listening_test_cmd.app, name="listening-test")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"v2m {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, metavar="", help="Print the version.")] = False,
    debug: Annotated[bool, typer.Option("--debug", metavar="", help="Show tracebacks on errors.")] = False,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Config file (default: $V2M_CONFIG or ./v2m.toml).")] = None,
) -> None:
    """v2m: analyse a video, plan harmony and tempo against its cuts, arrange, render and mux."""
    ctx.obj = CliState(debug=debug, config_path=config)


INTERRUPTS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived. Not an Exception, so no `except Exception` on the way out swallows it."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def _interrupt(signum: int, frame: object) -> None:
    if not interrupt_deferred(signum):
        raise Interrupted(signum)


@contextmanager
def interrupts_raise() -> Iterator[None]:
    """While the command runs, SIGINT and SIGTERM raise Interrupted (one started ignored stays ignored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {each: signal.getsignal(each) for each in INTERRUPTS}
    previous_hook = sys.unraisablehook

    def raise_again(unraisable: sys.UnraisableHookArgs) -> None:
        """Python swallows what a finaliser or an at-fork hook raises ("Exception ignored in ..."): send an
        interrupt swallowed there again a moment later, when the main thread is back in ordinary code."""
        if isinstance(unraisable.exc_value, Interrupted):
            main_thread = threading.main_thread().ident
            threading.Timer(0.01, signal.pthread_kill, (main_thread, unraisable.exc_value.signum)).start()
        else:
            previous_hook(unraisable)

    for each, handler in previous.items():
        if handler is not signal.SIG_IGN:
            signal.signal(each, _interrupt)
    sys.unraisablehook = raise_again
    try:
        yield
    finally:
        sys.unraisablehook = previous_hook
        for each, handler in previous.items():
            signal.signal(each, signal.SIG_DFL if handler is None else handler)


def main(argv: list[str] | None = None) -> int:
    """Run `v2m ARGS`; returns the exit code (0 ok, 1 failed run, 2 usage, 128 + N interrupted by signal N)."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    console = Console(stderr=True)
    try:
        with interrupts_raise():
            code = app(args=args, prog_name="v2m", standalone_mode=False)  # click's usage errors come here
        return code if isinstance(code, int) else 0
    except NoArgsIsHelpError:  # the help was printed instead
        return 2
    except ClickException as error:  # a usage error found by click: printed like v2m's own errors
        command = getattr(getattr(error, "ctx", None), "command_path", None)
        hint = f" (see '{command} --help')" if isinstance(error, ClickUsageError) and command else ""
        console.print(f"[red]error:[/] {error.format_message()}{hint}", highlight=False, soft_wrap=True)
        return error.exit_code
    except Interrupted as interrupt:
        if debug:
            raise
        console.print(f"[red]interrupted[/] by {interrupt}", highlight=False, soft_wrap=True)
        return 128 + interrupt.signum
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except V2MError as error:
        if debug:
            raise
        console.print(f"[red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)  # [learn] is no markup
        return error.exit_code
    except Exception as error:  # noqa: BLE001 - the CLI's last line of defence
        if debug:
            raise
        if is_disk_full(error):  # a write outside atomic_path (a work folder) ran out of space
            console.print(f"[red]error:[/] {DiskFullError(getattr(error, 'filename', None) or 'device')}",
                          highlight=False, soft_wrap=True)
            return DiskFullError.exit_code
        console.print(f"[red]internal error:[/] {type(error).__name__}: {escape(_one_line(error))} "
                      "(run with --debug for the traceback)", highlight=False, soft_wrap=True)
        return 1


def _one_line(error: Exception) -> str:
    """An unexpected error's message on one line (pydantic's spans several and ends in a URL)."""
    from pydantic import ValidationError

    from v2m_core.schemas.base import validation_problem

    return validation_problem(error) if isinstance(error, ValidationError) else " ".join(str(error).split())
