"""What every plugin is: a named, versioned class with a pydantic config model."""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class PluginKind(str, Enum):
    """The extension points; each has an interface module beside this one."""

    STEP = "step"
    RECOGNIZER = "recognizer"
    FUSION = "fusion"
    PLANNER = "planner"
    RENDERER = "renderer"
    SYNTHESIZER = "synthesizer"
    EXECUTOR = "executor"


class PluginConfig(BaseModel):
    """Base of each plugin's settings (`[plugins.settings.<name>]` in v2m.toml); nan and infinity are refused in
    every float setting, as in every v2m schema."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Plugin:
    """Base of all plugin classes.

    Class attributes describe the plugin without instantiating it, so `v2m plugins list` never
    runs plugin code beyond import. `licence_note` names use restrictions users must know about.
    """

    kind: ClassVar[PluginKind]
    name: ClassVar[str]
    version: ClassVar[str] = "0.0.0"
    description: ClassVar[str] = ""
    licence_note: ClassVar[str | None] = None
    restrictive_licence: ClassVar[bool] = False
    """True when `licence_note` limits how results may be used or shipped (non-commercial, AGPL): the CLI says so
    once when it picks the plugin by default, with how to choose another."""
    Config: ClassVar[type[PluginConfig]] = PluginConfig

    def __init__(self, config: PluginConfig | None = None) -> None:
        self.config = config if config is not None else self.Config()
