"""Steps from the plugin registry, by name with their settings: how compose and the dataset builder (and the
learned planner, for its model's input streams) make every step they run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from v2m_core.interfaces.base import PluginKind
from v2m_core.interfaces.step import ExtractorStep
from v2m_core.plugins import PluginManager


@runtime_checkable
class UsesPlugins(Protocol):
    """A step that calls other plugins (the chords step calls a recognizer): it takes them from the manager that
    created it, so a bad name fails before any work and no step builds a manager of its own."""

    def use_plugins(self, manager: PluginManager) -> None: ...


def create_step(manager: PluginManager, name: str, settings: Mapping[str, Any]) -> tuple[ExtractorStep[Any], str]:
    """The step plugin `name` with its settings (and the plugins it calls), and the package it comes from; a step
    of one of v2m's plugin packages that is not installed is a usage error saying how to install it."""
    package = manager.record(PluginKind.STEP, name).package
    step = manager.create(ExtractorStep, name, settings)
    if isinstance(step, UsesPlugins):
        step.use_plugins(manager)
    return step, package
