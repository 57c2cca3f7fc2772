"""`v2m schemas export`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from v2m_core.errors import V2MError

app = typer.Typer(help="JSON Schema files generated from the pydantic models.", no_args_is_help=True)


@app.command("export")
def export(
    folder: Annotated[Path, typer.Option("--output", "-o", help="Folder for the *.json files.")] = Path("schemas"),
    check: Annotated[bool, typer.Option("--check", metavar="", help="Write nothing; exit 1 if any file is stale.")] = False,
) -> None:
    """Write schemas/<model>.json for every persisted model (or check they are current)."""
    from v2m_core.schemas.export import export_schemas, stale_schemas  # every model: imported here, not for --help

    if check:
        stale = stale_schemas(folder)
        if stale:
            raise V2MError(f"stale schemas in {folder}: {', '.join(stale)} (run 'v2m schemas export')")
        typer.echo(f"schemas in {folder} are up to date")
        return
    for path in export_schemas(folder):
        typer.echo(str(path))
