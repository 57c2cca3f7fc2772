"""Melody from a trained sequence model (`v2m train melody`), sampled sixteenth by sixteenth over the
plan's chords and conditioned per bar on the video's energy; the alternative to the rule renderer `melody`."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from v2m_core.melody.tokens import FIRST_PITCH, HOLD, REST, TOKENS, chord_harmony, pitch_of
from v2m_core.music.midi_collection import STEPS_PER_BEAT
from v2m_core.music.theory import scale_pitch_classes
from v2m_core.renderers.learned import LearnedRenderer, LearnedRendererConfig
from v2m_core.renderers.melody import final_tonic
from v2m_core.music.timing import Bar, Grid, collect
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan

PITCH_CLASSES = np.array([pitch_of(token) % 12 for token in range(FIRST_PITCH, TOKENS)])
"""Pitch class of each onset token, in token order."""
START_PITCH = 67
"""G4, where the rule melody starts too; the ending's tonic is taken nearest the last note, else this."""
LEGATO = 0.92
"""Share of its written length a note sounds, so repeated pitches are heard as separate notes."""


class MelodyLearnedConfig(LearnedRendererConfig):
    in_key: bool = Field(default=True, description="Sample only pitches of the key's scale or the sounding chord "
                                                   "(the model sees chords, not the key).")


class LearnedMelodyRenderer(LearnedRenderer[MelodyLearnedConfig]):
    name = "melody-learned"
    role = "melody"
    version = "1.0.0"
    description = "Melody sampled step by step from a small GRU trained on MIDI melodies over their harmony (v2m train melody)."
    compose_flag = "--melody-model"
    trainer = "v2m train melody MIDI_DIR"

    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        path = self.model_path()
        import torch

        from v2m_core.learn.threads import torch_threads
        from v2m_core.melody.model import load_model, step_inputs

        model = load_model(path)[0]
        config = self.config
        scale = set(scale_pitch_classes(plan.key))
        grid = Grid(plan)
        onsets: list[tuple[int, float]] = []  # (pitch, start) of each note; it lasts until the next onset or rest
        ends: list[float] = []
        previous, state = REST, None
        with torch_threads(1), torch.no_grad():
            for bar in grid.body_bars:
                if not grid.plays(self.role, bar):  # the form rests the melody here: end what sounds
                    if len(ends) < len(onsets):
                        ends.append(bar.start)
                    previous = REST
                    continue
                energy = torch.tensor([[_energy(grid, bar)]], dtype=torch.float32)
                for step in range(bar.length * STEPS_PER_BEAT):
                    time = bar.time_at(step / STEPS_PER_BEAT)
                    chord = grid.chord_at(time).pitch_classes
                    harmony = torch.tensor(chord_harmony(chord))[None, None]
                    logits, state = model(step_inputs(torch.tensor([[previous]]), torch.tensor([[step]]), harmony,
                                                      energy), state)
                    sounding = len(ends) < len(onsets)
                    allowed = scale | set(chord) if config.in_key else None
                    previous = _sample(logits[0, 0].double().numpy() / config.temperature, sounding, allowed, rng)
                    if sounding and previous != HOLD:
                        ends.append(time)
                    if previous >= FIRST_PITCH:
                        onsets.append((pitch_of(previous), time))
        ends += [grid.final_chord.start] * (len(onsets) - len(ends))
        notes: list[Note | None] = [grid.note(pitch, start, start + (end - start) * LEGATO, grid.velocity(start, 60, 100))
                                    for (pitch, start), end in zip(onsets, ends)]
        notes.append(final_tonic(grid, onsets[-1][0] if onsets else START_PITCH))
        return [MidiTrack(name="Melody", role=self.role, program=plan.instruments.get(self.role, 73),
                          notes=collect(notes))]


def _energy(grid: Grid, bar: Bar) -> float:
    """The bar's mean energy scaled by the style's melody density, as the rule melody scales it."""
    return min(1.0, grid.bar_energy(bar) * grid.style.melody_density)


def _sample(logits: np.ndarray, sounding: bool, allowed: set[int] | None, rng: np.random.Generator) -> int:
    """A token drawn from softmax(logits); a hold is only possible while a note sounds, and a pitch
    only in the `allowed` pitch classes (any when None)."""
    if not sounding:
        logits[HOLD] = -np.inf
    if allowed is not None:
        logits[FIRST_PITCH:] = np.where(np.isin(PITCH_CLASSES, list(allowed)), logits[FIRST_PITCH:], -np.inf)
    weights = np.exp(logits - logits.max())
    cumulative = np.cumsum(weights)
    return int(min(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"), len(weights) - 1))
