"""What a compose request may ask for, checked before any work: style, key, plugin names and plugin settings.

`compose()` runs these checks before the video is analysed, and `v2m config show` runs them too, so a
configuration it shows is one compose accepts. Kept apart from the pipeline so the check is light: no
numpy, no video decoding, no plugin instantiated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from v2m_core.errors import UsageError, did_you_mean
from v2m_core.interfaces.base import PluginKind
from v2m_core.music.styles import PRESETS
from v2m_core.music.theory import parse_key
from v2m_core.plugins.manager import PluginManager
from v2m_core.plugins.settings import check_plugin_settings
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
