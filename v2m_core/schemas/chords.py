"""Timed chord labels in Harte notation: what recognizers return and planners produce."""

from __future__ import annotations

from pydantic import Field, model_validator

from v2m_core.schemas.base import PersistedModel, V2MModel

MAX_SECONDS = 1e7
"""Latest chord time accepted (about 115 days): far past any recording, and small enough that sums of durations
over many files stay finite."""


class ChordSegment(V2MModel):
    """One chord held from `start` to `end` seconds; `label` is Harte notation ("C:maj7", "N")."""

    start: float = Field(ge=0, le=MAX_SECONDS)
    end: float = Field(ge=0, le=MAX_SECONDS)
    label: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> "ChordSegment":
        if self.end < self.start:
            raise ValueError(f"segment ends ({self.end}) before it starts ({self.start})")
        return self


class ChordTimeline(PersistedModel):
    """A sequence of non-overlapping chord segments with the vocabulary they were drawn from."""

    segments: list[ChordSegment]
    vocabulary: str = Field(description="Vocabulary name, e.g. 'majmin' (25), 'v2m' (157+N), 'btc-large' (170).")
    source: str = Field(default="", description="Recognizer or planner that produced the labels.")

    @model_validator(mode="after")
    def _sorted(self) -> "ChordTimeline":
        for before, after in zip(self.segments, self.segments[1:]):
            if after.start < before.end - 1e-6:
                raise ValueError(f"segments overlap at {after.start:.3f} s")
        return self
