"""Printing results as a rich table or JSON (`--format table|json`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import Enum
from typing import Any

from rich.console import Console
from rich.table import Table


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: OutputFormat, title: str | None = None) -> None:
    """Tables go to a terminal-width console; JSON is printed plain so it can be piped."""
    if fmt is OutputFormat.json:
        print(json.dumps(list(rows), indent=2, default=str))
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console().print(table)


def emit_record(record: dict[str, Any], fmt: OutputFormat, title: str) -> None:
    """One result as a two-column table (field, value), or as a JSON object."""
    if fmt is OutputFormat.json:
        print(json.dumps(record, indent=2, default=str))
        return
    emit([{"": key, "value": value} for key, value in record.items()], ("", "value"), fmt, title=title)
