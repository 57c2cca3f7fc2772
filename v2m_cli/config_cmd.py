"""`v2m config show`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from v2m_cli.output import OutputFormat, emit
from v2m_cli.state import state

app = typer.Typer(help="The effective configuration and where each value comes from.", no_args_is_help=True)


@app.command("show")
def show(
    ctx: typer.Context,
    overrides: Annotated[list[str] | None, typer.Option(
        "--set", "-s", metavar="KEY=VALUE", help="Override a key, e.g. compose.seed=3 (repeatable).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="A table, or JSON: one object per key with its "
                                                                      "value as JSON and its source.")] = OutputFormat.table,
) -> None:
    """Print every setting with its value and source (default, file, or command line).

    The configuration is checked as `v2m compose` checks it (style, key, plugin names and settings), so what
    this shows is what compose accepts.

    Examples:

      v2m config show

      v2m config show -s compose.style=pop -f json
    """
    from v2m_core.compose.request import check_request  # with the config schemas: imported here so `v2m --help` starts fast
    from v2m_core.config import flatten

    cli = state(ctx)
    loaded = cli.config(overrides)
    check_request(loaded.config.compose, loaded.config.plugins.settings, cli.plugins)
    values = flatten(loaded.config.model_dump(mode="json"))
    rows = [{"key": key, "value": value if fmt is OutputFormat.json else json.dumps(value), "source": loaded.sources[key]}
            for key, value in values.items()]
    emit(rows, ("key", "value", "source"), fmt, title=f"v2m configuration ({loaded.path or 'no config file'})")
