"""Checking `plugins.settings` before any work: every table names an installed plugin and passes its settings
model, so a misspelt plugin or key is a usage error naming the plugin and its valid keys, not a setting
silently ignored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from v2m_core.errors import UsageError, did_you_mean
from v2m_core.interfaces.base import Plugin
from v2m_core.plugins.catalogue import PACKAGE_OF
from v2m_core.plugins.manager import PluginManager
from v2m_core.schemas.base import validation_problem


def check_plugin_settings(settings: Mapping[str, Mapping[str, Any]], manager: PluginManager) -> None:
    """Every `plugins.settings.NAME` table names a plugin and passes its Config model (for a name two kinds share,
    like the `chords` step and renderer, the model of either). A plugin v2m knows from its own packages but that
    is not installed here is let be: one v2m.toml may serve several machines."""
    records = manager.records()
    for name, values in settings.items():
        named = [record for record in records if name in (record.name, record.entry_point)]
        classes = [record.plugin_class for record in named if record.plugin_class is not None]
        if not classes:
            if named or any(known == name for _, known in PACKAGE_OF):
                continue
            valid = sorted({record.name for record in records if record.kind is not None})
            raise UsageError(f"plugins.settings.{name}: there is no plugin '{name}'{did_you_mean(name, valid)}; "
                             "see `v2m plugins list`")
        problems = [_settings_problem(cls, values) for cls in classes]
        if all(problems):
            raise UsageError(f"plugins.settings.{name}: {problems[0]}")


def _settings_problem(cls: type[Plugin[Any]], values: Mapping[str, Any]) -> str | None:
    """Why `values` are not settings of `cls` (a misspelt key gets the nearest real one and the list of valid
    ones), or None."""
    try:
        cls.Config.model_validate(dict(values))
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] != "extra_forbidden":
            return validation_problem(error)
        valid = sorted(cls.Config.model_fields)
        near = did_you_mean(str(first["loc"][-1]), valid)
        return (f"{validation_problem(error)}{near}; {cls.kind.value} plugin '{cls.name}' takes "
                f"{', '.join(valid) if valid else 'no settings'}")
    return None
