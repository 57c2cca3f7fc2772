"""Per-invocation state shared by the commands (no module-level globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:  # imported where used: the schemas and the plugin manager are not needed to print help
    from v2m_core.config import LoadedConfig
    from v2m_core.plugins import PluginManager


@dataclass
class CliState:
    debug: bool = False
    config_path: Path | None = None
    console: Console = field(default_factory=lambda: Console(stderr=True))
    overrides: list[str] = field(default_factory=list)
    """The command's config overrides (`--set`, and options that become overrides), kept by `config()` so the
    plugin manager honours `--set plugins.disabled=[...]` too: a command loads its config before its plugins."""

    @cached_property
    def plugins(self) -> PluginManager:
        from v2m_core.plugins import PluginManager

        manager = PluginManager(disabled=self.config(self.overrides).config.plugins.disabled)
        for record in manager.records():
            if record.status == "broken":
                self.console.print(f"[yellow]warning:[/] plugin '{record.name}' ({record.package}) is broken: "
                                   f"{record.error}", highlight=False)
        return manager

    def config(self, overrides: list[str] | None = None) -> LoadedConfig:
        from v2m_core.config import load_config

        if overrides:
            self.overrides = list(overrides)
        return load_config(self.config_path, self.overrides)


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj
