"""The listening test's files: `key.json` (which clip is which system; it stays beside the page, never in it)
and the answers file a listener's page downloads."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from v2m_core.schemas.base import PersistedModel, V2MModel

KEY = "key.json"
PAGE = "index.html"

Axis = Literal["overall", "correspondence", "harmony", "rhythm", "loudness"]
AXES: dict[Axis, tuple[str, str]] = {
    "overall": ("Overall quality", "How good is the music itself?"),
    "correspondence": ("Music-video correspondence", "How well does the music go with what you see?"),
    "harmony": ("Harmonic fit", "How well do the harmony and melody suit the mood of the picture?"),
    "rhythm": ("Rhythmic fit", "How well does the rhythm follow the cuts and the movement?"),
    "loudness": ("Loudness", "How well does the music's loudness suit the picture as it calms and intensifies?"),
}
"""Video2Music's user-study questions (Kang et al. 2024), each rated 1-5: name, question."""
SCALE = ("bad", "poor", "fair", "good", "excellent")
"""The five-point absolute category rating scale of ITU-T P.800, 1..5."""
Mode = Literal["ratings", "ab"]
"""ratings: each clip rated on every axis; ab: for each video, every pair of systems, which fits better."""
Choice = Literal["first", "second", "none"]


class Clip(V2MModel):
    id: str = Field(description="Opaque name: says nothing about the system.")
    video: int = Field(ge=0, description="Index into the key's videos.")
    system: int = Field(ge=0, description="Index into the key's systems.")
    file: str = Field(description="The composed clip, relative to the test folder.")


class ListeningTestKey(PersistedModel):
    """What the page must not say: which system made which clip."""

    test_id: str = Field(description="Ties answers to this test; changes when any clip does.")
    mode: Mode
    seed: int = Field(description="With the listener's name, draws the order the page plays the clips in.")
    systems: list[str] = Field(min_length=1, description="The system specs, as given.")
    videos: list[str] = Field(min_length=1, description="The videos' file names.")
    clips: list[Clip]


class Rating(V2MModel):
    clip: str
    scores: dict[Axis, int] = Field(description="1 (bad) .. 5 (excellent) on every axis.")

    @model_validator(mode="after")
    def _complete(self) -> Rating:
        missing = [axis for axis in AXES if axis not in self.scores]
        if missing:
            raise ValueError(f"clip {self.clip}: no score for {', '.join(missing)}")
        if any(not 1 <= score <= 5 for score in self.scores.values()):
            raise ValueError(f"clip {self.clip}: scores go from 1 to 5")
        return self


class Preference(V2MModel):
    first: str = Field(description="The clip shown as A.")
    second: str = Field(description="The clip shown as B.")
    choice: Choice = Field(description="Which fits the video better: first (A), second (B) or none.")


class Answers(PersistedModel):
    """One listener's answers, as the page downloads them."""

    test_id: str
    mode: Mode
    listener: str = Field(min_length=1)
    order: list[str] = Field(description="Clip ids (ratings) or 'A|B' pairs (ab) in the order they were shown.")
    ratings: list[Rating] = Field(default_factory=list)
    preferences: list[Preference] = Field(default_factory=list)
