"""The learned planner: chords from a trained affective multimodal transformer, on the timeline every planner shares.

The model writes one chord per second; each harmonic-rhythm slot of the timeline every planner shares
(the click track fitted to the cuts, sections on structural cuts) takes the chord most of its seconds
carry, so chord changes land on downbeats and every section starts with one. The dynamics regressor's loudness and note density become the plan's energy.
The model's input streams are made by the step plugins its dataset build ran, with the same versions and
settings (compose runs `video_steps`). torch is imported only when the checkpoint is loaded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import Field

from v2m_core.chords.keys import estimate_key, transpose
from v2m_core.chords.labels import parse
from v2m_core.errors import UsageError
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.planner import Planner
from v2m_core.interfaces.step import ExtractorStep
from v2m_core.music.energy import second_energy
from v2m_core.music.theory import QUALITIES, chord_pitch_classes, parse_key, pitch_class
from v2m_core.planners.rules import RulePlannerConfig, Slot, chord_slots, fit_timeline
from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.plan import CompositionPlan, Key, PlannedChord

if TYPE_CHECKING:
    from v2m_core.learn.checkpoint import Trained
    from v2m_core.plugins.manager import PluginManager


class AmtPlannerConfig(PluginConfig):
    model: str = Field(default="", description="Checkpoint (best.pt of a `v2m train` run).")
    temperature: float = Field(default=1.0, gt=0, description="Sampling temperature; lower is more conservative.")
    top_k: int = Field(default=0, ge=0, description="Sample among the k likeliest chords; 0: all of them.")
    max_repeats: int = Field(default=2, ge=1, description="Most equal per-second chords in a row (Video2Music: 2).")
    context: int | None = Field(default=None, ge=0, description="Seconds of chords carried into the next window; "
                                                                 "default: half the training window.")
    features: str | None = Field(default=None, description="Folder of per-second .npy streams (e.g. semantic.npy) "
                                                           "used instead of making them with the dataset's steps.")
    device: str = Field(default="cpu", description="cpu or cuda.")
    dynamics: Literal["learned", "video"] = Field(
        default="learned", description="Energy from the model's loudness/note-density regressor, or from the video's "
                                       "motion and arousal as the rules planner computes it (also used when the "
                                       "model has no regressor).")
    min_lead: float = Field(default=RulePlannerConfig().min_lead, gt=0, description="As the rules planner.")


class AmtPlanner(Planner[AmtPlannerConfig]):
    name = "amt"
    version = "1.0.0"
    description = "Chords sampled from a trained affective multimodal transformer, on the click track fitted to the cuts."

    @cached_property
    def trained(self) -> Trained:
        """The checkpoint's model, loaded once per planner."""
        from v2m_core.learn import require_torch

        require_torch()
        from v2m_core.learn import checkpoint

        config = self.config
        if not config.model:
            raise UsageError("the amt planner needs a checkpoint: --set plugins.settings.amt.model=PATH")
        return checkpoint.load(Path(config.model), config.device)[0]

    def video_steps(self, plugins: PluginManager, settings: Mapping[str, Mapping[str, Any]]) -> list[ExtractorStep]:
        """The steps the model's dataset build ran to make its input streams, but for streams the
        `features` folder holds."""
        from v2m_core.learn.features import stream_steps

        folder = self._features_folder()
        return stream_steps([spec for spec in self.trained.specs
                             if folder is None or not (spec.file and (folder / spec.file).is_file())], plugins, settings)

    def plan(self, analysis: VideoAnalysis, request: ComposeConfig) -> CompositionPlan:
        return self.plan_with(analysis, request, None)

    def _features_folder(self) -> Path | None:
        features = self.config.features
        return Path(features) if features else None

    def plan_with(self, analysis: VideoAnalysis, request: ComposeConfig, outputs: Path | None) -> CompositionPlan:
        """Chords for `analysis`; each input stream from the `features` folder, else from `outputs` (where
        compose ran `video_steps`), else from the analysis."""
        from v2m_core.learn.features import video_streams
        from v2m_core.learn.generate import generate_chords, predict_energy

        config = self.config
        trained = self.trained
        folders = [folder for folder in (self._features_folder(), outputs) if folder is not None]
        streams = video_streams(analysis, trained.specs, folders)
        labels = generate_chords(trained, streams, request.seed, config.temperature, config.top_k,
                                 config.max_repeats, config.context, config.device)
        energy = predict_energy(trained, streams, config.device) if config.dynamics == "learned" else None
        if energy is None:
            energy = second_energy(analysis.arousal, analysis.motion)
        timeline = fit_timeline(analysis, request, energy, config.min_lead)
        tonic, mode = estimate_key(labels)
        rng = np.random.default_rng(request.seed)
        key = parse_key(request.key) if request.key else Key(tonic=int(rng.integers(12)), mode=mode)
        shifted = [transpose(label, key.tonic - tonic) for label in labels]
        if request.key and key.mode != mode:
            shifted = [transpose(label, 3 if key.mode == "minor" else -3) for label in shifted]
        slots = chord_slots(timeline)
        return timeline.plan(key, slot_chords(slots, shifted, analysis.probe.duration), energy, analysis, request, self.name)


def slot_chords(slots: list[Slot], labels: list[str], duration: float) -> list[PlannedChord]:
    """The chord most of each slot's seconds carry (weighted by overlap); at a section start a chord
    equal to the previous one yields to the slot's runner-up, so the cut is heard. Equal neighbours
    inside a section merge into one longer chord."""
    chords: list[PlannedChord] = []
    ends = [slot.start for slot in slots[1:]] + [duration]
    for slot, end in zip(slots, ends):
        votes: dict[str, float] = {}  # seconds of the slot each label covers
        for second in range(int(math.floor(slot.start)), min(len(labels), int(math.ceil(end)))):
            votes[labels[second]] = votes.get(labels[second], 0.0) + min(end, second + 1) - max(slot.start, second)
        ranked = sorted(votes, key=votes.__getitem__, reverse=True) or [labels[-1]]  # ties keep first-heard order
        label = ranked[0]
        if chords and label == chords[-1].label:
            if not slot.at_section_start:
                chords[-1] = chords[-1].model_copy(update={"end": end})
                continue
            label = ranked[1] if len(ranked) > 1 else label
        chords.append(planned_chord(label, slot.start, end))
    return chords


def planned_chord(label: str, start: float, end: float) -> PlannedChord:
    """A plan chord from a 'ROOT:QUALITY' label; qualities the theory tables lack take mir_eval's intervals."""
    root_name, quality = label.split(":")
    root = pitch_class(root_name)
    if quality in QUALITIES:
        tones = chord_pitch_classes(root, quality)
    else:
        chord = parse(label)
        tones = [root, *sorted({(root + i) % 12 for i in chord.intervals} - {root})] if chord else [root]
    return PlannedChord(start=start, end=end, label=label, root=root, pitch_classes=tones, bass=root)
