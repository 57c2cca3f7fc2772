"""The report's measures: each value beside its target, whether it passes, and what it says in a line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from v2m_core.evaluation.measure_targets import EXPLANATIONS, TARGETS
from v2m_core.evaluation.music import AUDIO_METRICS, MUSICIANSHIP_METRICS, NOTE_METRICS, PULSE_METRICS, MusicEvaluation
from v2m_core.schemas.analysis import VideoAnalysis

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Cuts and notes", NOTE_METRICS), ("Musical time", PULSE_METRICS), ("Musicianship", MUSICIANSHIP_METRICS),
    ("Audio", AUDIO_METRICS))
Verdict = Literal["pass", "warn", "info"]
"""info: no target, no value, or a target that does not hold at this video's pacing."""


@dataclass(frozen=True)
class MeasureRow:
    group: str
    name: str
    value: float | None
    target: str
    verdict: Verdict
    explanation: str


def median_shot_seconds(analysis: VideoAnalysis | None) -> float | None:
    """The video's median shot length (the pacing some targets depend on); None without the analysis."""
    if analysis is None:
        return None
    bounds = [0.0, *(cut for cut in analysis.cuts if 0 < cut < analysis.probe.duration), analysis.probe.duration]
    return float(np.median(np.diff(bounds)))


def measure_rows(evaluation: MusicEvaluation, pacing: float | None) -> list[MeasureRow]:
    """Every measure of `evaluation` in its group (measures no group names come last, under "Other")."""
    grouped = {name: group for group, names in GROUPS for name in names}
    order = [name for _, names in GROUPS for name in names if name in evaluation.metrics]
    order += [name for name in evaluation.metrics if name not in grouped]
    rows = []
    for name in order:
        value, target = evaluation.metrics[name], TARGETS.get(name)
        passed = target.passes(value, pacing) if target else None
        rows.append(MeasureRow(group=grouped.get(name, "Other"), name=name, value=value,
                               target=str(target) if target else "",
                               verdict="info" if passed is None else "pass" if passed else "warn",
                               explanation=EXPLANATIONS.get(name, "")))
    return rows
