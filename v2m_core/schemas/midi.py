"""Note-level output of renderers, independent of any MIDI library."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from v2m_core.schemas.base import V2MModel

MidiProgram = Annotated[int, Field(ge=0, le=127, description="General MIDI program.")]

MODULATION, VOLUME, EXPRESSION, REVERB, CHORUS = 1, 7, 11, 91, 93
"""General MIDI controller numbers: modulation (vibrato), channel volume, expression, reverb and chorus sends."""


class Note(V2MModel):
    pitch: int = Field(ge=0, le=127)
    start: float = Field(ge=0)
    end: float = Field(gt=0)
    velocity: int = Field(ge=1, le=127)


class ControlChange(V2MModel):
    """A MIDI controller value from `time` on: expression (11) and modulation (1) curves, volume (7), effect
    sends (91 reverb, 93 chorus), the things a player does between and during notes."""

    time: float = Field(ge=0)
    control: int = Field(ge=0, le=127)
    value: int = Field(ge=0, le=127)


class MidiTrack(V2MModel):
    """One instrument's notes; drums use General MIDI percussion keys on channel 10."""

    name: str
    role: str = Field(description="chords, bass, melody, drums, or a renderer's own role.")
    program: MidiProgram = Field(default=0, description="General MIDI program (ignored for drums).")
    is_drum: bool = False
    notes: list[Note] = Field(default_factory=list)
    controls: list[ControlChange] = Field(default_factory=list, description="Controller events on the track's channel.")
