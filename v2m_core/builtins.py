"""Built-in plugins, registered through the same hooks as third-party packages.

Each hook imports its classes when called, so listing plugins stays cheap and a built-in
with a heavy dependency (torch) costs nothing until it is used.
"""

from __future__ import annotations

from v2m_core.plugins.hookspecs import Register, hookimpl


@hookimpl
def register_chord_recognizers(register: Register) -> None:
    from v2m_core.recognizers.chroma_template import ChromaTemplateRecognizer

    register(ChromaTemplateRecognizer)


@hookimpl
def register_fusion_strategies(register: Register) -> None:
    from v2m_core.fusion.strategies import AttentionFusionStrategy, ConcatFusionStrategy

    register(ConcatFusionStrategy)
    register(AttentionFusionStrategy)


@hookimpl
def register_synthesizers(register: Register) -> None:
    from v2m_core.synthesizers.fluidsynth import FluidSynthSynthesizer

    register(FluidSynthSynthesizer)


@hookimpl
def register_executors(register: Register) -> None:
    from v2m_core.executors.processes import ProcessPoolExecutor
    from v2m_core.executors.serial import SerialExecutor

    register(SerialExecutor)
    register(ProcessPoolExecutor)
