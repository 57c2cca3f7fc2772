"""`v2m config show`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from v2m_cli.output import OutputFormat, emit
from v2m_cli.state import state
from v2m_core.config import flatten

app = typer.Typer(help="The effective configuration and where each value comes from.", no_args_is_help=True)


@app.command("show")
def show(
    ctx: typer.Context,
    overrides: Annotated[list[str] | None, typer.Option("--set", "-s", help="KEY=VALUE override, e.g. compose.seed=3.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Print every setting with its value and source (default, file, or --set)."""
    loaded = state(ctx).config(overrides)
    values = flatten(loaded.config.model_dump(mode="json"))
    rows = [{"key": key, "value": json.dumps(value), "source": loaded.sources[key]} for key, value in values.items()]
    emit(rows, ("key", "value", "source"), fmt, title=f"v2m configuration ({loaded.path or 'no config file'})")
