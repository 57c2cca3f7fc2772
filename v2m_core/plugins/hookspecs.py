"""Hook specifications: one register callback per plugin kind (simonw/llm's `register_models` pattern).

A plugin module implements any of these with `@hookimpl` and calls `register(SomeClass)` once per
class it provides. Registration only records classes; nothing is instantiated until used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

from v2m_core.interfaces.base import Plugin, PluginKind

PROJECT = "v2m"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

Register = Callable[[type[Plugin[Any]]], None]


@hookspec
def register_steps(register: Register) -> None:
    """Register ExtractorStep subclasses (per-video analysis steps)."""


@hookspec
def register_chord_recognizers(register: Register) -> None:
    """Register ChordRecognizer subclasses."""


@hookspec
def register_fusion_strategies(register: Register) -> None:
    """Register FusionStrategy subclasses."""


@hookspec
def register_planners(register: Register) -> None:
    """Register Planner subclasses."""


@hookspec
def register_renderers(register: Register) -> None:
    """Register MusicRenderer subclasses."""


@hookspec
def register_synthesizers(register: Register) -> None:
    """Register Synthesizer subclasses."""


@hookspec
def register_executors(register: Register) -> None:
    """Register Executor subclasses."""


HOOK_OF_KIND: dict[PluginKind, str] = {
    PluginKind.STEP: "register_steps",
    PluginKind.RECOGNIZER: "register_chord_recognizers",
    PluginKind.FUSION: "register_fusion_strategies",
    PluginKind.PLANNER: "register_planners",
    PluginKind.RENDERER: "register_renderers",
    PluginKind.SYNTHESIZER: "register_synthesizers",
    PluginKind.EXECUTOR: "register_executors",
}
