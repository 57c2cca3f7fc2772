"""What a compose request may ask for, checked before any work: style, key, plugin names and plugin settings.

`compose()` runs these checks before the video is analysed, and `v2m config show` runs them too, so a
configuration it shows is one compose accepts. Kept apart from the pipeline so the check is light: no
numpy, no video decoding, no plugin instantiated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from v2m_core.errors import UsageError, did_you_mean
from v2m_core.interfaces.base import Plugin, PluginKind
from v2m_core.music.styles import PRESETS
from v2m_core.music.theory import parse_key
from v2m_core.plugins.catalogue import PACKAGE_OF
from v2m_core.plugins.manager import PluginManager
from v2m_core.schemas.base import validation_problem
from v2m_core.schemas.config import ComposeConfig

STYLES: tuple[str, ...] = ("auto", *PRESETS)
ORIGINAL_AUDIO: tuple[str, ...] = ("auto", "replace", "mix", "keep")


def check_choice(value: str, valid: tuple[str, ...], what: str) -> str:
    """`value` when it is one of `valid` (case and spaces ignored), else a usage error with a near name."""
    chosen = value.strip().lower()
    if chosen not in valid:
        raise UsageError(f"unknown {what} '{value}'{did_you_mean(chosen, valid)}; valid: {', '.join(valid)}")
    return chosen


def chosen_plugins(config: ComposeConfig) -> list[tuple[PluginKind, str]]:
    """The (kind, name) of every plugin a compose with `config` uses."""
    return [(PluginKind.PLANNER, config.planner), *((PluginKind.RENDERER, name) for name in config.renderers),
            (PluginKind.SYNTHESIZER, config.synthesizer), *([(PluginKind.STEP, config.emotion)] if config.emotion else [])]


def check_request(config: ComposeConfig, settings: Mapping[str, Mapping[str, Any]], manager: PluginManager) -> None:
    """Raise a UsageError for the first thing in `config` or `settings` a compose would refuse."""
    check_choice(config.style, STYLES, "style")
    if config.key:
        parse_key(config.key)
    if not config.renderers:
        raise UsageError("no renderers chosen: pass at least one, e.g. --renderers chords")
    for kind, name in chosen_plugins(config):
        manager.get(kind, name)
    check_plugin_settings(settings, manager)


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
    """Why `values` are not settings of `cls` (a misspelt key gets the nearest real one), or None."""
    try:
        cls.Config.model_validate(dict(values))
    except ValidationError as error:
        first = error.errors()[0]
        near = did_you_mean(str(first["loc"][-1]), cls.Config.model_fields) if first["type"] == "extra_forbidden" else ""
        return f"{validation_problem(error)}{near}"
    return None
