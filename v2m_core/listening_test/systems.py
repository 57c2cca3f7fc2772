"""A system of a listening test: a planner, its model and settings, written in one word on the command line.

    rules                       the rules planner with the configuration's defaults
    amt:run/best.pt             the amt planner with that checkpoint (plugins.settings.amt.model)
    rules,style=ambient         a compose setting (compose.style)
    amt:run/best.pt,top_k=3     a setting of the planner (plugins.settings.amt.top_k), or any dotted config key

Settings are `--set` overrides on top of the configuration file, so they are validated as `v2m compose`'s
are, and every system is checked before any video is composed. The clips carry the music alone (the videos'
own sound would colour every rating alike) unless a system says otherwise: rules,original_audio=auto.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from v2m_core.compose.request import check_request
from v2m_core.config import load_config
from v2m_core.errors import MediaError, UsageError
from v2m_core.interfaces.base import PluginKind
from v2m_core.plugins.manager import PluginManager
from v2m_core.plugins.settings import settings_for
from v2m_core.schemas.config import ComposeConfig

SPEC = re.compile(r"^(?P<planner>[A-Za-z][\w-]*)(?::(?P<model>[^,]+))?(?:,(?P<settings>.+))?$")
SETTING = re.compile(r",(?=\s*[A-Za-z_][\w.-]*\s*=)")
"""Settings are split at the commas that start a KEY=, so a TOML list value keeps its own commas."""
FORMAT = "PLANNER[:MODEL][,KEY=VALUE...], e.g. rules,style=ambient or amt:run/best.pt"


@dataclass(frozen=True)
class System:
    spec: str
    """As the user wrote it: the name the results use."""
    config: ComposeConfig
    plugin_settings: dict[str, dict[str, Any]]


def parse_system(spec: str, config_file: Path | None = None) -> System:
    """The compose configuration `spec` stands for, over `config_file` (v2m.toml's rules when None)."""
    found = SPEC.match(spec.strip())
    if not found:
        raise UsageError(f"system '{spec}': expected {FORMAT}")
    planner, model, settings = found["planner"], found["model"], found["settings"]
    overrides = ['compose.original_audio="replace"', f"compose.planner={json.dumps(planner)}"]
    if model:
        overrides.append(f"plugins.settings.{planner}.model={json.dumps(model.strip())}")
    for setting in SETTING.split(settings) if settings else []:
        key, equals, value = setting.partition("=")
        if not equals or not key.strip():
            raise UsageError(f"system '{spec}': '{setting}' is not KEY=VALUE ({FORMAT})")
        overrides.append(f"{_dotted(key.strip(), planner)}={value.strip()}")
    try:
        loaded = load_config(config_file, overrides)
    except UsageError as error:
        raise UsageError(f"system '{spec}': {error}") from None
    return System(spec.strip(), loaded.config.compose, loaded.config.plugins.settings)


def _dotted(key: str, planner: str) -> str:
    """A bare key is a compose setting when ComposeConfig has it, else a setting of the system's planner."""
    if "." in key:
        return key
    return f"compose.{key}" if key in ComposeConfig.model_fields else f"plugins.settings.{planner}.{key}"


def check_systems(systems: list[System], manager: PluginManager) -> None:
    """Each system would compose: its style, key, plugins and settings pass compose's checks and a model file it
    names exists; no two systems share a spec (the results are keyed by it)."""
    seen: set[str] = set()
    for system in systems:
        if system.spec in seen:
            raise UsageError(f"system '{system.spec}' is given twice")
        seen.add(system.spec)
        try:
            check_request(system.config, system.plugin_settings, manager)
        except UsageError as error:
            raise UsageError(f"system '{system.spec}': {error}") from None
        model = settings_for(system.plugin_settings, PluginKind.PLANNER, system.config.planner).get("model")
        if model and not Path(model).is_file():
            raise MediaError(model, f"no such model file (system '{system.spec}')")
