"""What every plugin is: a named, versioned class, generic over the pydantic model of its settings."""

from __future__ import annotations

import abc
from enum import Enum
from typing import Any, ClassVar, Generic, TypeVar, cast, get_args

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


ConfigT = TypeVar("ConfigT", bound=PluginConfig)


def _config_argument(cls: type) -> type[PluginConfig] | None:
    """The settings model named in `cls`'s own bases (`class X(MusicRenderer[XConfig])`), if any."""
    for base in cls.__dict__.get("__orig_bases__", ()):
        for argument in get_args(base):
            if isinstance(argument, type) and issubclass(argument, PluginConfig):
                return argument
    return None


class Plugin(abc.ABC, Generic[ConfigT]):
    """Base of all plugin classes: `class MyRenderer(MusicRenderer[MyConfig])`.

    Class attributes describe the plugin without instantiating it, so `v2m plugins list` never
    runs plugin code beyond import. `licence_note` names use restrictions users must know about.
    The type argument is the settings model: it becomes `Config` (what the manager validates settings
    with) and the type of `self.config`, so a plugin reads its settings without a cast.
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
    config: ConfigT

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        argument = _config_argument(cls)
        declared = cls.__dict__.get("Config")
        if argument is not None and declared is not None and declared is not argument:
            raise TypeError(f"{cls.__qualname__}: Config is {declared.__name__} but the class is generic over "
                            f"{argument.__name__}; name the settings model once, as the type argument")
        if argument is not None:
            cls.Config = argument

    def __init__(self, config: ConfigT | None = None) -> None:
        # Config is ConfigT by construction (__init_subclass__); a ClassVar cannot say so to a type checker.
        self.config = config if config is not None else cast(ConfigT, self.Config())
