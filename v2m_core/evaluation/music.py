"""`v2m eval music`: every measure the target allows, and why the others are missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from v2m_core.evaluation.audio import audio_metrics
from v2m_core.evaluation.musicianship import CHORDS, MELODY, harmony_metrics, melody_metrics, mix_metrics
from v2m_core.evaluation.notes import note_metrics
from v2m_core.evaluation.pulse import audio_tempo_error, pulse_metrics
from v2m_core.evaluation.target import EvalTarget, load_target

NOTE_METRICS = ("cut_downbeat_chord", "cut_onset", "beat_hit_rate", "key_consistency", "pitch_class_entropy",
                "groove_consistency", "drum_density_motion_corr")
PULSE_METRICS = ("cuts_on_beat", "cuts_on_eighth", "structural_on_downbeat", "structural_per_30s",
                 "shortest_section_bars", "tempo_jolts_per_min", "largest_jolt", "tempo_travel_per_min",
                 "regular_bars", "crashes_per_min", "fill_bars", "drum_patterns_per_8_bars", "audio_tempo_error")
"""Musical time as written in music.mid and heard in music.wav (v2m_core/evaluation/pulse.py)."""
MUSICIANSHIP_METRICS = ("melody_recurring_patterns", "melody_repeated_bar_rhythms", "melody_steps", "melody_reversals",
                        "melody_above_chords", "melody_phrase_bars", "distinct_chords_per_60s", "phrase_end_cadences",
                        "mode_matches_valence", "melody_over_chords_db", "silent_share")
"""A tune, harmony, mood and mix, from music.mid's Melody and Chords tracks and the stems
(v2m_core/evaluation/musicianship.py)."""
AUDIO_METRICS = ("integrated_lufs", "true_peak_dbtp", "silent_stretches", "silent_seconds", "loudness_motion_corr")


@dataclass
class MusicEvaluation:
    target: str
    metrics: dict[str, float | None]
    """Every name in NOTE_METRICS, PULSE_METRICS, MUSICIANSHIP_METRICS and AUDIO_METRICS; None where it could
    not be measured."""
    missing: list[str] = field(default_factory=list)
    """One line per group of measures that could not be computed, saying what they need."""


def evaluate_music(path: Path) -> MusicEvaluation:
    return evaluate_target(load_target(Path(path)))


def evaluate_target(target: EvalTarget) -> MusicEvaluation:
    motion = target.analysis.motion if target.analysis else None
    names = (*NOTE_METRICS, *PULSE_METRICS, *MUSICIANSHIP_METRICS, *AUDIO_METRICS)
    metrics: dict[str, float | None] = dict.fromkeys(names)
    missing = []
    plan, tracks, beats, downbeats = target.plan, target.tracks, target.beats, target.downbeats
    if plan is not None and tracks is not None and beats is not None and downbeats is not None:
        metrics.update(note_metrics(plan, tracks, motion))
        metrics.update(pulse_metrics(plan, tracks, beats, downbeats))
        metrics.update(melody_metrics(tracks, beats, downbeats))
        metrics.update(harmony_metrics(plan, tracks, target.analysis))
        roles = {t.role for t in tracks}
        missing += [f"{role} measures need a track named {role.capitalize()} in music.mid"
                    for role in (MELODY, CHORDS) if role not in roles]
    else:
        missing.append("note-level measures need plan.json and music.mid: compose with --keep DIR and evaluate DIR")
    metrics.update(mix_metrics(target.stems, target.audio, target.sample_rate))
    if target.tracks is not None and not target.stems:
        missing.append("melody_over_chords_db needs the stems: compose with --keep DIR --stems")
    # Speech ducking (v2m_core/evaluation/ducking.py, being written) joins here: from the original video
    # (target.analysis.probe.path) and the composed one (target.video), its measures named in a DUCKING_METRICS
    # tuple beside MUSICIANSHIP_METRICS.
    if target.audio is not None:
        metrics.update(audio_metrics(target.audio, target.sample_rate, motion))
        if plan is not None:
            try:
                metrics["audio_tempo_error"] = audio_tempo_error(target.audio, target.sample_rate, plan)
            except ModuleNotFoundError as error:
                if error.name != "librosa":
                    raise
                missing.append("audio_tempo_error needs librosa's beat tracker: pip install 'v2m[learn]'")
    else:
        missing.append("audio measures need music.wav (or a composed video)")
    if motion is None:
        missing.append("correlations with motion and mode_matches_valence need composition.json (from --keep)")
    rounded = {name: None if value is None else round(value, 4) for name, value in metrics.items()}
    return MusicEvaluation(target=str(target.source), metrics=rounded, missing=missing)
