"""The composition plan: everything renderers need to write notes, and nothing about notes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from v2m_core.schemas.analysis import EmotionName
from v2m_core.schemas.base import PersistedModel, Seed, V2MModel
from v2m_core.schemas.midi import MidiProgram


class Key(V2MModel):
    """Tonal centre: `tonic` is a pitch class (0 = C)."""

    tonic: int = Field(ge=0, le=11)
    mode: Literal["major", "minor"]


class Section(V2MModel):
    """A stretch of whole phrases with one feel; a section after the first starts at a structural cut, on a
    downbeat. `tempo` is the section's mean tempo (the beats carry the exact tempo map)."""

    start: float = Field(ge=0)
    end: float = Field(gt=0)
    tempo: float = Field(gt=0, description="Beats per minute.")
    beats_per_bar: int = Field(default=4, ge=1, le=12)
    emotion: EmotionName
    energy: float = Field(ge=0, le=1, description="0 calm .. 1 intense; drives density and dynamics.")
    starts_at_cut: bool = False


PhraseFunction = Literal["intro", "build", "peak", "release", "ending", "body"]
MarkKind = Literal["strong", "light", "none"]


class Hit(V2MModel):
    """A cut as the music treats it: structural cuts start sections on a downbeat and get a strong mark
    (crash, chord change, a fill leading in); passing cuts on the grid may get a light one (an accent)."""

    time: float = Field(ge=0)
    strength: float = Field(ge=0, le=1, description="Rank of the cut's importance (picture change, shot lengths).")
    structural: bool = False
    mark: MarkKind = "none"


class Phrase(V2MModel):
    """Whole bars inside one section; parts enter and leave only at phrase boundaries."""

    start: float = Field(ge=0)
    end: float = Field(gt=0)
    first_bar: int = Field(ge=0)
    bars: int = Field(ge=1)
    section: int = Field(ge=0)
    function: PhraseFunction = "body"
    parts: list[str] = Field(default_factory=list, description="Roles that play in this phrase (empty: every role).")


class Beat(V2MModel):
    """One beat of the grid; `position` counts beats within the bar from 0 (0 is the downbeat)."""

    time: float = Field(ge=0)
    bar: int = Field(ge=0)
    position: int = Field(ge=0)
    section: int = Field(ge=0)
    duration: float = Field(gt=0, description="Seconds until the next beat.")

    @property
    def downbeat(self) -> bool:
        return self.position == 0


class PlannedChord(V2MModel):
    """A chord of the plan: Harte label plus the parts renderers use directly."""

    start: float = Field(ge=0)
    end: float = Field(gt=0)
    label: str
    root: int = Field(ge=0, le=11)
    pitch_classes: list[int] = Field(min_length=1, description="Chord tones as pitch classes, root first.")
    bass: int = Field(ge=0, le=11, description="Bass pitch class (root unless inverted).")


class CompositionPlan(PersistedModel):
    """What to play and when, decided from a video's analysis by a planner plugin."""

    duration: float = Field(gt=0)
    key: Key
    style: str
    seed: Seed
    planner: str
    sections: list[Section] = Field(min_length=1)
    beats: list[Beat]
    chords: list[PlannedChord]
    cuts: list[float] = Field(default_factory=list, description="Every cut of the video the plan considered.")
    hits: list[Hit] = Field(default_factory=list, description="The cuts with their strength and musical mark.")
    phrases: list[Phrase] = Field(default_factory=list, description="Phrases tiling the bars (empty: one per section).")
    energy: list[float] = Field(description="Per-second energy 0..1 (dynamics and density).")
    emotion: list[list[float]] = Field(default_factory=list, description="Per-second probabilities over EMOTIONS, "
                                                                         "from the analysis (empty: use each section's emotion).")
    instruments: dict[str, MidiProgram] = Field(description="General MIDI program per track role.")
    fade_out: float = Field(default=2.0, ge=0, description="Seconds of fade at the end.")

    @model_validator(mode="after")
    def _consistent(self) -> "CompositionPlan":
        times = [b.time for b in self.beats]
        if times != sorted(times):
            raise ValueError("beats must be in time order")
        for before, after in zip(self.chords, self.chords[1:]):
            if after.start < before.end - 1e-6:
                raise ValueError(f"chords overlap at {after.start:.3f} s")
        return self

    def downbeats(self) -> list[float]:
        return [b.time for b in self.beats if b.position == 0]

    def structural_cuts(self) -> list[float]:
        return [h.time for h in self.hits if h.structural]
