"""`v2m plugins list|info`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from v2m_cli.output import OutputFormat, emit
from v2m_cli.state import state
from v2m_core.errors import UsageError
from v2m_core.interfaces.base import PluginKind
from v2m_core.plugins import PluginRecord

app = typer.Typer(help="List and inspect plugins.", no_args_is_help=True)

COLUMNS = ("name", "kind", "version", "package", "source", "status")


@app.command("list")
def list_plugins(
    ctx: typer.Context,
    kind: Annotated[PluginKind | None, typer.Option("--kind", "-k", help="Only this kind.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Every plugin: built-in, installed through entry points, broken or disabled."""
    records = state(ctx).plugins.records(kind)
    emit([r.as_dict() for r in records], COLUMNS + (("error",) if any(r.error for r in records) else ()), fmt,
         title="v2m plugins")


def _details(record: PluginRecord) -> dict[str, Any]:
    details = record.as_dict()
    cls = record.plugin_class
    if cls is None:
        return details
    for attribute in ("inputs", "outputs", "vocabulary", "role"):
        if hasattr(cls, attribute):
            details[attribute] = getattr(cls, attribute)
    details["settings"] = {name: {"type": getattr(field.annotation, "__name__", str(field.annotation)), "default": field.get_default(call_default_factory=True),
                                  "description": field.description}
                           for name, field in cls.Config.model_fields.items()}
    return details


@app.command("info")
def info(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Plugin name, e.g. 'rules' or 'fluidsynth'.")],
    kind: Annotated[PluginKind | None, typer.Option("--kind", "-k", help="When the name exists in several kinds.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Details of one plugin: description, licence note, settings and their defaults."""
    manager = state(ctx).plugins
    matches = [r for r in manager.records(kind) if r.name == name or r.entry_point == name]
    if not matches:
        valid = sorted({r.name for r in manager.records(kind)})
        raise UsageError(f"unknown plugin '{name}'; valid names: {', '.join(valid)}")
    rows = [_details(r) for r in matches]
    if fmt is OutputFormat.json:
        emit(rows, (), fmt)
        return
    for row in rows:
        emit([{"field": k, "value": v} for k, v in row.items() if v not in (None, "", {}, ())], ("field", "value"),
             fmt, title=f"{row['kind'] or 'plugin'} '{row['name']}'")
