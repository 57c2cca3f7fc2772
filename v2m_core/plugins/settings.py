"""Checking `plugins.settings` before any work: every table names an installed plugin and passes its settings
model, so a misspelt plugin or key is a usage error naming the plugin and its valid keys, not a setting
silently ignored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from v2m_core.errors import UsageError, did_you_mean
from v2m_core.interfaces.base import Plugin, PluginKind
from v2m_core.plugins.catalogue import PACKAGE_OF
from v2m_core.plugins.manager import PluginManager
from v2m_core.plugins.records import PluginRecord
from v2m_core.schemas.base import validation_problem


KIND_TABLES = frozenset(kind.value for kind in PluginKind)
"""`plugins.settings.<kind>.<name>` tables hold the settings of the plugin of that kind alone: the `chords` step
(`step.chords`) and the `chords` renderer (`renderer.chords`) share a name but not their settings."""


def settings_for(settings: Mapping[str, Mapping[str, Any]], kind: PluginKind, name: str) -> dict[str, Any]:
    """The settings of `kind` plugin `name`: its `plugins.settings.<name>` table, then over it, key by key, its
    `plugins.settings.<kind>.<name>` table."""
    plain = {} if name in KIND_TABLES else dict(settings.get(name, {}))
    by_kind = settings.get(kind.value, {}).get(name, {})
    return {**plain, **by_kind}


def check_plugin_settings(settings: Mapping[str, Mapping[str, Any]], manager: PluginManager) -> None:
    """Every `plugins.settings.NAME` table names a plugin and passes its Config model (for a name two kinds share,
    like the `chords` step and renderer, the model of either), and every `plugins.settings.KIND.NAME` table the
    model of that kind's plugin. A plugin v2m knows from its own packages but that is not installed here is let
    be: one v2m.toml may serve several machines."""
    records = manager.records()
    for name, values in settings.items():
        if name not in KIND_TABLES:
            _check_table(f"plugins.settings.{name}", name, values, records, None)
            continue
        kind = PluginKind(name)
        for plugin, plugin_values in values.items():
            _check_table(f"plugins.settings.{name}.{plugin}", plugin, plugin_values,
                         [record for record in records if record.kind == kind], kind)


def _check_table(where: str, name: str, values: Any, records: list[PluginRecord], kind: PluginKind | None) -> None:
    if not isinstance(values, Mapping):
        raise UsageError(f"{where}: expected a table of settings, got {values!r:.40}")
    named = [record for record in records if name in (record.name, record.entry_point)]
    classes = [record.plugin_class for record in named if record.plugin_class is not None]
    if not classes:
        if named or any(known == name and kind in (None, known_kind) for known_kind, known in PACKAGE_OF):
            return
        valid = sorted({record.name for record in records if record.kind is not None})
        what = f"{kind.value} plugin" if kind else "plugin"
        raise UsageError(f"{where}: there is no {what} '{name}'{did_you_mean(name, valid)}; see `v2m plugins list`")
    problems = [_settings_problem(cls, values) for cls in classes]
    if all(problems):
        raise UsageError(f"{where}: {problems[0]}")


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
