"""Drums from a trained sequence model (`v2m train drums`), conditioned per bar on the video's energy,
the section's emotion (its arousal, and the class itself when the model learned emotions from
dataset soundtracks) and where the cuts are; the alternative to the rule renderer `drums`."""

from __future__ import annotations

import numpy as np

from v2m_core.drums.kit import KEYS
from v2m_core.drums.patterns import bar_conditions
from v2m_core.music.midi_collection import STEPS_PER_BEAT
from v2m_core.renderers.drums import ending, kit_plays
from v2m_core.renderers.learned import LearnedRenderer, LearnedRendererConfig
from v2m_core.music.timing import Bar, Grid, collect
from v2m_core.schemas.analysis import EMOTION_PROTOTYPES
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan

HIT = 0.05
"""Seconds each drum note lasts, as in the rule renderer."""


class LearnedDrumsRenderer(LearnedRenderer[LearnedRendererConfig]):
    name = "drums-learned"
    role = "drums"
    version = "1.0.0"
    description = "GM drums sampled bar by bar from a small GRU trained on MIDI drum tracks (v2m train drums)."
    compose_flag = "--drum-model"
    trainer = "v2m train drums MIDI_DIR"

    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        path = self.model_path()
        from v2m_core.drums.model import DrumPlayer, load_model
        from v2m_core.learn.threads import torch_threads

        model, training = load_model(path)
        knows_emotion = training.get("emotion_bars", 0) > 0
        player = DrumPlayer(model, self.config.temperature)
        grid = Grid(plan)
        notes: list[Note | None] = []
        with torch_threads(1):
            for bar in grid.body_bars:
                if not kit_plays(grid, bar):  # as the rule drums: the kit rests where the form leaves it out
                    player.rest()
                    continue
                played = player.bar(_conditions(grid, bar, knows_emotion), bar.length * STEPS_PER_BEAT, rng)
                for step, kind in zip(*np.nonzero(played)):
                    notes.append(_hit(grid, KEYS[kind], bar.time_at(step / STEPS_PER_BEAT), float(played[step, kind])))
        notes += ending(grid)
        return [MidiTrack(name="Drums", role=self.role, program=plan.instruments.get(self.role, 0), is_drum=True,
                          notes=collect(notes))]


def _conditions(grid: Grid, bar: Bar, knows_emotion: bool) -> np.ndarray:
    """The bar's CONDITIONS; the emotion probabilities are given only to a model that saw labelled emotions."""
    emotion = grid.section(bar).emotion
    arousal = (EMOTION_PROTOTYPES[emotion][1] + 1) / 2
    return bar_conditions(grid.bar_energy(bar), arousal, grid.ends_before_cut(bar), grid.starts_at_cut(bar),
                          grid.bar_emotion(bar) if knows_emotion else None)


def _hit(grid: Grid, key: int, time: float, velocity: float) -> Note | None:
    return grid.note(key, time, time + HIT, int(np.clip(round(velocity * 127 * grid.fade(time)), 1, 127)))
