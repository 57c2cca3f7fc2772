"""Drums from a trained sequence model (`v2m train-drums`), conditioned per bar on the video's energy,
the emotion's arousal and where the cuts are; the alternative to the rule renderer `drums`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import Field

from v2m_core.drums.kit import CLASSES, KEYS, STEPS_PER_BEAT
from v2m_core.errors import UsageError
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.renderer import MusicRenderer
from v2m_core.renderers.drums import crash, ending, kit_plays
from v2m_core.renderers.timing import Bar, Grid, collect
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan
from v2m_core.steps.affect import EMOTION_PROTOTYPES

HIT = 0.05
"""Seconds each drum note lasts, as in the rule renderer."""


class DrumsLearnedConfig(PluginConfig):
    model: str = Field(default="", description="Checkpoint written by `v2m train-drums MIDI_DIR`.")
    temperature: float = Field(default=1.0, gt=0, le=5, description="Above 1 more surprising hits, below 1 safer.")


class LearnedDrumsRenderer(MusicRenderer):
    name = "drums-learned"
    role = "drums"
    version = "1.0.0"
    description = "GM drums sampled bar by bar from a small GRU trained on MIDI drum tracks (v2m train-drums)."
    Config = DrumsLearnedConfig

    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        config: DrumsLearnedConfig = self.config  # type: ignore[assignment]
        if not config.model:
            raise UsageError("the drums-learned renderer needs a model: --set plugins.settings.drums-learned.model=PATH "
                             "(train one with v2m train-drums MIDI_DIR)")
        from v2m_core.learn import require_torch

        require_torch()
        import torch

        from v2m_core.drums.model import load_model, step_inputs

        model = load_model(Path(config.model))[0]
        grid = Grid(plan)
        notes: list[Note | None] = []
        previous = torch.zeros(1, 1, len(CLASSES))
        state = None
        with torch.no_grad():
            for bar in grid.body_bars:
                if not kit_plays(grid, bar):  # as the rule drums: a calm style's kit rests, a cut still gets a cymbal
                    previous = torch.zeros(1, 1, len(CLASSES))
                    notes += crash(grid, bar.start, with_kit=False) if grid.starts_at_cut(bar) else []
                    continue
                conditions = torch.tensor([[_conditions(grid, bar)]], dtype=torch.float32)
                for step in range(bar.length * STEPS_PER_BEAT):
                    logits, velocity, state = model(step_inputs(previous, torch.tensor([[step]]), conditions), state)
                    chance = torch.sigmoid(logits[0, 0] / config.temperature).numpy()
                    hits = rng.random(len(CLASSES)) < chance
                    previous = torch.tensor(np.where(hits, velocity[0, 0].numpy(), 0.0), dtype=torch.float32)[None, None]
                    time = bar.time_at(step / STEPS_PER_BEAT)
                    for kind in np.flatnonzero(hits):
                        notes.append(_hit(grid, KEYS[kind], time, float(previous[0, 0, kind])))
        notes += ending(grid)
        return [MidiTrack(name="Drums", role=self.role, program=plan.instruments.get(self.role, 0), is_drum=True,
                          notes=collect(notes))]


def _conditions(grid: Grid, bar: Bar) -> list[float]:
    """energy, arousal, ends_before_cut, starts_at_cut (the order of v2m_core.drums.patterns.CONDITIONS)."""
    energy = float(np.mean([grid.energy_at(beat.time) for beat in bar.beats]))
    arousal = (EMOTION_PROTOTYPES[grid.section(bar).emotion][1] + 1) / 2
    return [energy, arousal, float(grid.ends_before_cut(bar)), float(grid.starts_at_cut(bar))]


def _hit(grid: Grid, key: int, time: float, velocity: float) -> Note | None:
    return grid.note(key, time, time + HIT, int(np.clip(round(velocity * 127 * grid.fade(time)), 1, 127)))
