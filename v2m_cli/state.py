"""Per-invocation state shared by the commands (no module-level globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import typer
from rich.console import Console

from v2m_core.config import LoadedConfig, load_config
from v2m_core.plugins import PluginManager


@dataclass
class CliState:
    debug: bool = False
    config_path: Path | None = None
    console: Console = field(default_factory=lambda: Console(stderr=True))

    @cached_property
    def plugins(self) -> PluginManager:
        manager = PluginManager(disabled=self.config().config.plugins.disabled)
        for record in manager.records():
            if record.status == "broken":
                self.console.print(f"[yellow]warning:[/] plugin '{record.name}' ({record.package}) is broken: "
                                   f"{record.error}", highlight=False)
        return manager

    def config(self, overrides: list[str] | None = None) -> LoadedConfig:
        return load_config(self.config_path, overrides or [])


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj
