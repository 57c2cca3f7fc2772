"""Typed interfaces of every plugin kind; subclass one to write a plugin.

Each interface is imported when first asked for (PEP 562): they bring numpy and the schemas, and the CLI
needs only PluginKind to print its help.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from v2m_core.interfaces.base import Plugin, PluginConfig, PluginKind

if TYPE_CHECKING:
    from v2m_core.interfaces.executor import Executor
    from v2m_core.interfaces.fusion import FusionStrategy
    from v2m_core.interfaces.planner import Planner, PlansFromSteps
    from v2m_core.interfaces.recognizer import ChordRecognizer
    from v2m_core.interfaces.renderer import MusicRenderer
    from v2m_core.interfaces.step import ExtractorStep, StepContext
    from v2m_core.interfaces.synthesizer import Synthesizer

MODULES = {"Executor": "executor", "FusionStrategy": "fusion", "Planner": "planner", "PlansFromSteps": "planner",
           "ChordRecognizer": "recognizer", "MusicRenderer": "renderer", "ExtractorStep": "step",
           "StepContext": "step", "Synthesizer": "synthesizer"}
"""Name -> the module of this package that defines it."""
KIND_INTERFACES = {PluginKind.STEP: "ExtractorStep", PluginKind.RECOGNIZER: "ChordRecognizer",
                   PluginKind.FUSION: "FusionStrategy", PluginKind.PLANNER: "Planner",
                   PluginKind.RENDERER: "MusicRenderer", PluginKind.SYNTHESIZER: "Synthesizer",
                   PluginKind.EXECUTOR: "Executor"}


def __getattr__(name: str) -> Any:
    if name not in MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{MODULES[name]}"), name)
    globals()[name] = value
    return value


def interface_of(kind: PluginKind) -> type[Plugin[Any]]:
    """The interface class every plugin of `kind` subclasses (imported on first use)."""
    interface: type[Plugin[Any]] = __getattr__(KIND_INTERFACES[kind])
    return interface


__all__ = [
    "ChordRecognizer", "Executor", "ExtractorStep", "FusionStrategy", "MusicRenderer", "Planner",
    "PlansFromSteps", "Plugin", "PluginConfig", "PluginKind", "StepContext", "Synthesizer", "interface_of",
]
