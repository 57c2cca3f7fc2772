"""Hook implementations: v2m calls `register_renderers` and we hand it our class."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from v2m_core.interfaces import MusicRenderer, PluginConfig
from v2m_core.plugins import hookimpl
from v2m_core.plugins.hookspecs import Register
from v2m_core.schemas import CompositionPlan, MidiTrack, Note


class PedalConfig(PluginConfig):
    program: int = Field(default=48, ge=0, le=127, description="General MIDI program (48: string ensemble).")
    octave: int = Field(default=3, ge=1, le=6, description="Octave of the pedal's tonic.")


class PedalRenderer(MusicRenderer[PedalConfig]):
    """Holds the key's tonic and fifth through each section, louder in energetic ones."""

    name = "pedal"
    role = "pedal"
    version = "0.1.0"
    description = "Sustained tonic-and-fifth pedal per section (example plugin)."

    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        tonic = 12 * (self.config.octave + 1) + plan.key.tonic
        notes = []
        for section in plan.sections:
            velocity = int(40 + 50 * section.energy + rng.integers(0, 4))
            notes += [Note(pitch=pitch, start=section.start, end=min(section.end, plan.duration), velocity=velocity)
                      for pitch in (tonic, tonic + 7)]
        return [MidiTrack(name="Pedal", role=self.role, program=self.config.program, notes=notes)]


@hookimpl
def register_renderers(register: Register) -> None:
    register(PedalRenderer)
