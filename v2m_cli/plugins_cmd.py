"""`v2m plugins list|info`."""

from __future__ import annotations

from enum import Enum
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

import typer

from v2m_cli.output import OutputFormat, emit
from v2m_cli.state import state
from v2m_core.errors import UsageError
from v2m_core.interfaces.base import PluginKind

if TYPE_CHECKING:
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


def _settings(record: PluginRecord) -> list[dict[str, Any]]:
    """One row per setting of the plugin's Config model: name, type (with its range), default, choices, description."""
    cls = record.plugin_class
    if cls is None:
        return []
    return [{"setting": name, "type": _type_name(field.annotation) + _range(field.metadata),
             "default": field.get_default(call_default_factory=True), "choices": _choices(field.annotation),
             "description": field.description or ""}
            for name, field in cls.Config.model_fields.items()]


def _type_name(annotation: Any) -> str:
    """'float', 'str | None', 'list[str]', 'choice' for a Literal or an Enum."""
    if get_origin(annotation) is Literal or (isinstance(annotation, type) and issubclass(annotation, Enum)):
        return "choice"
    if get_origin(annotation) in (Union, UnionType):
        return " | ".join(_type_name(arg) for arg in get_args(annotation))
    if get_origin(annotation) is not None:
        return f"{get_origin(annotation).__name__}[{', '.join(_type_name(arg) for arg in get_args(annotation))}]"
    return "None" if annotation is type(None) else getattr(annotation, "__name__", str(annotation))


def _choices(annotation: Any) -> list[Any] | None:
    if get_origin(annotation) in (Union, UnionType):
        return next((found for arg in get_args(annotation) if (found := _choices(arg))), None)
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [member.value for member in annotation]
    return None


def _range(metadata: list[Any]) -> str:
    """' (0..2)' or ' (> 0)' from pydantic's ge/gt/le/lt constraints."""
    bound = {name: getattr(item, name) for item in metadata for name in ("ge", "gt", "le", "lt")
             if getattr(item, name, None) is not None}
    low = bound.get("ge", bound.get("gt"))
    high = bound.get("le", bound.get("lt"))
    if low is not None and high is not None:
        return f" ({low}..{high})"
    if low is not None:
        return f" ({'>' if 'gt' in bound else '>='} {low})"
    return f" ({'<' if 'lt' in bound else '<='} {high})" if high is not None else ""


def _details(record: PluginRecord) -> dict[str, Any]:
    details = record.as_dict()
    cls = record.plugin_class
    if cls is None:
        return details
    for attribute in ("inputs", "outputs", "vocabulary", "role"):
        if hasattr(cls, attribute):
            details[attribute] = getattr(cls, attribute)
    return details


@app.command("info")
def info(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Plugin name, e.g. 'rules' or 'fluidsynth'.")],
    kind: Annotated[PluginKind | None, typer.Option("--kind", "-k", help="When the name exists in several kinds.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Tables, or JSON.")] = OutputFormat.table,
) -> None:
    """Details of one plugin: description, licence note, and a table of its settings (type, default, choices,
    description), which go in v2m.toml under [plugins.settings.NAME] or `--set plugins.settings.NAME.KEY=VALUE`.

    Example: v2m plugins info fluidsynth
    """
    from v2m_core.errors import did_you_mean

    manager = state(ctx).plugins
    matches = [r for r in manager.records(kind) if r.name == name or r.entry_point == name]
    if not matches:
        valid = sorted({r.name for r in manager.records(kind)})
        raise UsageError(f"unknown plugin '{name}'{did_you_mean(name, valid)}; valid names: {', '.join(valid)}")
    if fmt is OutputFormat.json:
        emit([{**_details(r), "settings": {row.pop("setting"): row for row in _settings(r)}} for r in matches], (), fmt)
        return
    for record in matches:
        row = _details(record)
        title = f"{row['kind'] or 'plugin'} '{row['name']}'"
        emit([{"field": k, "value": v} for k, v in row.items() if v not in (None, "", {}, ())], ("field", "value"),
             fmt, title=title)
        settings = _settings(record)
        if settings:
            emit([{**setting, "choices": ", ".join(map(str, setting["choices"] or ()))} for setting in settings],
                 ("setting", "type", "default", "choices", "description"), fmt,
                 title=f"settings of {title}: plugins.settings.{record.name}")
