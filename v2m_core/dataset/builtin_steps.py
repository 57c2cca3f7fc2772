"""The dataset builder's built-in steps (registered by v2m_core.builtins)."""

from __future__ import annotations

from v2m_core.interfaces.step import ExtractorStep


def dataset_steps() -> list[type[ExtractorStep]]:
    """Keyframes, audio, loudness, chords, note density and affect-based emotion (imported when asked for)."""
    from v2m_core.steps.audio import AudioStep
    from v2m_core.steps.chord_step import ChordStep
    from v2m_core.steps.emotion_affect import EmotionFromAffectStep
    from v2m_core.steps.keyframes import KeyframesStep
    from v2m_core.steps.loudness import LoudnessStep
    from v2m_core.steps.note_density import NoteDensityStep

    return [KeyframesStep, AudioStep, LoudnessStep, ChordStep, NoteDensityStep, EmotionFromAffectStep]
