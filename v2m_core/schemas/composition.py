"""The result of `v2m compose`: the plan, where the files went, and what was measured."""

from __future__ import annotations

from pydantic import Field

from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.schemas.base import PersistedModel, V2MModel
from v2m_core.schemas.plan import CompositionPlan


class LoudnessReport(V2MModel):
    integrated_lufs: float
    true_peak_dbtp: float


class Composition(PersistedModel):
    """Returned by `v2m_core.compose()`; written as `composition.json` by `--keep`."""

    video: str
    output: str | None = Field(description="The muxed video, or None when only audio was asked for.")
    analysis: VideoAnalysis
    plan: CompositionPlan
    renderers: list[str]
    synthesizer: str
    midi: str | None = None
    audio: str | None = None
    stems: dict[str, str] = Field(default_factory=dict)
    loudness: LoudnessReport
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per stage.")
