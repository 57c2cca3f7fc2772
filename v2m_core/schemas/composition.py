"""The result of `v2m compose`: the plan, where the files went, and what was measured."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.schemas.base import PersistedModel, V2MModel
from v2m_core.schemas.plan import CompositionPlan


class LoudnessReport(V2MModel):
    integrated_lufs: float
    true_peak_dbtp: float


class OriginalAudioDecision(V2MModel):
    """What became of the video's own soundtrack (`--original-audio`), and why."""

    action: Literal["replaced", "mixed", "kept", "ducked"]
    summary: str = Field(description="The decision in words, e.g. 'ducked under speech (12.4 s of speech)'.")
    speech_seconds: float | None = Field(default=None, description="Speech found in the soundtrack, when `auto` listened.")
    music_under_speech_db: float | None = Field(
        default=None, description="Speech loudness minus ducked music loudness while speech plays (duration-weighted mean).")
    mix_loudness: LoudnessReport | None = Field(default=None, description="The final mix of speech and music, when ducked.")


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
    original_audio: OriginalAudioDecision | None = Field(
        default=None, description="What became of the video's own audio; None when only audio was written.")
