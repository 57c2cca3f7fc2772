"""What the manager knows about each plugin, loaded or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from v2m_core.interfaces.base import Plugin, PluginKind

Status = Literal["ok", "broken", "disabled"]
Source = Literal["builtin", "entry-point"]


@dataclass(frozen=True)
class PluginRecord:
    """One row of `v2m plugins list`.

    A broken entry point has no kind or class: it failed before it could register anything.
    """

    name: str
    kind: PluginKind | None
    version: str
    package: str
    source: Source
    status: Status
    plugin_class: type[Plugin[Any]] | None = None
    entry_point: str | None = None
    error: str | None = None

    @property
    def description(self) -> str:
        return self.plugin_class.description if self.plugin_class else ""

    @property
    def licence_note(self) -> str | None:
        return self.plugin_class.licence_note if self.plugin_class else None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind.value if self.kind else None,
            "version": self.version,
            "package": self.package,
            "source": self.source,
            "status": self.status,
            "entry_point": self.entry_point,
            "description": self.description,
            "licence_note": self.licence_note,
            "error": self.error,
        }
