"""The dataset builder's built-in steps, and a hook module registering them (for isolated managers)."""

from __future__ import annotations

from v2m_core.interfaces.step import ExtractorStep
from v2m_core.plugins.hookspecs import Register, hookimpl


def dataset_steps() -> list[type[ExtractorStep]]:
    """Keyframes, audio, loudness, chords, note density and affect-based emotion (imported when asked for)."""
    from v2m_core.steps.audio import AudioStep
    from v2m_core.steps.chord_step import ChordStep
    from v2m_core.steps.emotion_affect import EmotionFromAffectStep
    from v2m_core.steps.keyframes import KeyframesStep
    from v2m_core.steps.loudness import LoudnessStep
    from v2m_core.steps.note_density import NoteDensityStep

    return [KeyframesStep, AudioStep, LoudnessStep, ChordStep, NoteDensityStep, EmotionFromAffectStep]


@hookimpl
def register_steps(register: Register) -> None:
    for step in dataset_steps():
        register(step)
