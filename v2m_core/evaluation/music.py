"""`v2m eval music`: every measure the target allows, and why the others are missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from v2m_core.evaluation.audio import audio_metrics
from v2m_core.evaluation.notes import note_metrics
from v2m_core.evaluation.target import EvalTarget, load_target

NOTE_METRICS = ("cut_downbeat_chord", "cut_onset", "beat_hit_rate", "key_consistency", "pitch_class_entropy",
                "groove_consistency", "drum_density_motion_corr")
AUDIO_METRICS = ("integrated_lufs", "true_peak_dbtp", "silent_stretches", "silent_seconds", "loudness_motion_corr")


@dataclass
class MusicEvaluation:
    target: str
    metrics: dict[str, float | None]
    """Every name in NOTE_METRICS and AUDIO_METRICS; None where it could not be measured."""
    missing: list[str] = field(default_factory=list)
    """One line per group of measures that could not be computed, saying what they need."""


def evaluate_music(path: Path) -> MusicEvaluation:
    return evaluate_target(load_target(Path(path)))


def evaluate_target(target: EvalTarget) -> MusicEvaluation:
    motion = target.analysis.motion if target.analysis else None
    metrics: dict[str, float | None] = dict.fromkeys((*NOTE_METRICS, *AUDIO_METRICS))
    missing = []
    if target.plan is not None and target.tracks is not None:
        metrics.update(note_metrics(target.plan, target.tracks, motion))
    else:
        missing.append("note-level measures need plan.json and music.mid: compose with --keep DIR and evaluate DIR")
    if target.audio is not None:
        metrics.update(audio_metrics(target.audio, target.sample_rate, motion))
    else:
        missing.append("audio measures need music.wav (or a composed video)")
    if motion is None:
        missing.append("correlations with motion need composition.json (from --keep)")
    rounded = {name: None if value is None else round(value, 4) for name, value in metrics.items()}
    return MusicEvaluation(target=str(target.source), metrics=rounded, missing=missing)
