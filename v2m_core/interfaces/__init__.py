"""Typed interfaces of every plugin kind; subclass one to write a plugin."""

from v2m_core.interfaces.base import Plugin, PluginConfig, PluginKind
from v2m_core.interfaces.executor import Executor
from v2m_core.interfaces.fusion import FusionStrategy
from v2m_core.interfaces.planner import Planner, PlansFromSteps
from v2m_core.interfaces.recognizer import ChordRecognizer
from v2m_core.interfaces.renderer import MusicRenderer
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.interfaces.synthesizer import Synthesizer

INTERFACES: dict[PluginKind, type[Plugin]] = {
    PluginKind.STEP: ExtractorStep,
    PluginKind.RECOGNIZER: ChordRecognizer,
    PluginKind.FUSION: FusionStrategy,
    PluginKind.PLANNER: Planner,
    PluginKind.RENDERER: MusicRenderer,
    PluginKind.SYNTHESIZER: Synthesizer,
    PluginKind.EXECUTOR: Executor,
}

__all__ = [
    "INTERFACES", "ChordRecognizer", "Executor", "ExtractorStep", "FusionStrategy", "MusicRenderer", "Planner",
    "PlansFromSteps", "Plugin", "PluginConfig", "PluginKind", "StepContext", "Synthesizer",
]
