"""Built-in plugins, registered through the same hooks as third-party packages.

Each hook imports its classes when called, so listing plugins stays cheap and a built-in
with a heavy dependency (torch) costs nothing until it is used.
"""

from __future__ import annotations

from v2m_core.plugins.hookspecs import Register, hookimpl


@hookimpl
def register_steps(register: Register) -> None:
    from v2m_core.steps.affect import AffectStep
    from v2m_core.steps.audio import AudioStep
    from v2m_core.steps.chord_step import ChordStep
    from v2m_core.steps.emotion_affect import EmotionFromAffectStep
    from v2m_core.steps.frame_analysis import FrameAnalysisStep
    from v2m_core.steps.keyframes import KeyframesStep
    from v2m_core.steps.loudness import LoudnessStep
    from v2m_core.steps.note_density import NoteDensityStep
    from v2m_core.steps.scenes import SceneStep

    register(FrameAnalysisStep)
    register(SceneStep)
    register(AffectStep)
    # the dataset builder's: keyframes, audio, loudness, chords, note density and affect-based emotion
    for step in (KeyframesStep, AudioStep, LoudnessStep, ChordStep, NoteDensityStep, EmotionFromAffectStep):
        register(step)


@hookimpl
def register_planners(register: Register) -> None:
    from v2m_core.planners.amt import AmtPlanner
    from v2m_core.planners.rules import RulePlanner

    register(RulePlanner)
    register(AmtPlanner)


@hookimpl
def register_renderers(register: Register) -> None:
    from v2m_core.renderers.bass import BassRenderer
    from v2m_core.renderers.chords import ChordsRenderer
    from v2m_core.renderers.drums import DrumsRenderer
    from v2m_core.renderers.drums_learned import LearnedDrumsRenderer
    from v2m_core.renderers.melody import MelodyRenderer
    from v2m_core.renderers.melody_learned import LearnedMelodyRenderer

    register(ChordsRenderer)
    register(BassRenderer)
    register(MelodyRenderer)
    register(DrumsRenderer)
    register(LearnedDrumsRenderer)
    register(LearnedMelodyRenderer)


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
