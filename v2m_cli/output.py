"""Printing results as a rich table or JSON (`--format table|json`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from v2m_core.interfaces.base import Plugin


def default_plugin_notice(console: Console, plugin: type[Plugin[Any]], how_to_choose: str) -> None:
    """One line when a plugin picked by default (not named by the user) has a licence that limits its use: what
    the limit is and how to choose another. Commands call it once per run, where they pick the default."""
    if plugin.restrictive_licence:
        console.print(f"[yellow]note:[/] using {plugin.kind.value} plugin '{plugin.name}' by default: "
                      f"{plugin.licence_note} Choose another with {how_to_choose}.", highlight=False, soft_wrap=True)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: OutputFormat, title: str | None = None) -> None:
    """Tables go to a terminal-width console; JSON is printed plain so it can be piped."""
    if fmt is OutputFormat.json:
        print(json.dumps(list(rows), indent=2, default=str))
        return
    table = Table(title=Text(title) if title else None)
    for column in columns:
        table.add_column(column)
    for row in rows:  # as Text: a value such as "[plugins.settings.x]" is shown, not read as rich markup
        table.add_row(*(Text("" if row.get(c) is None else str(row.get(c))) for c in columns))
    Console().print(table)


def emit_record(record: dict[str, Any], fmt: OutputFormat, title: str) -> None:
    """One result as a two-column table (field, value), or as a JSON object."""
    if fmt is OutputFormat.json:
        print(json.dumps(record, indent=2, default=str))
        return
    emit([{"": key, "value": value} for key, value in record.items()], ("", "value"), fmt, title=title)
