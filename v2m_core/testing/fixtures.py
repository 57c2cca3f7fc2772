"""Inputs for contract tests: an isolated plugin manager, a video's analysis, a small plan, synthetic chord audio."""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import ModuleType

import numpy as np

from v2m_core.plugins.manager import BUILTIN_MODULES, PluginManager
from v2m_core.schemas.analysis import VideoAnalysis, VideoProbe
from v2m_core.schemas.plan import Beat, CompositionPlan, Key, PlannedChord, Section


def isolated_manager(*modules: ModuleType, builtins: bool = True) -> PluginManager:
    """A manager that ignores installed entry points and the environment, plus `modules`."""
    manager = PluginManager(builtin_modules=BUILTIN_MODULES if builtins else (), entry_points=False, environ={})
    for module in modules:
        manager.register_module(module, source="entry-point", package=module.__name__.split(".")[0],
                                entry_point=module.__name__)
    return manager


CALM_EMOTION = [0.03, 0.07, 0.1, 0.5, 0.25, 0.05]
LIVELY_EMOTION = [0.6, 0.03, 0.07, 0.03, 0.12, 0.15]


def sample_analysis(duration: float = 20.0, cuts: list[float] | None = None, calm: bool = False) -> VideoAnalysis:
    """A video's analysis without a video, for planners: every second calm and dark (sad, slow) or lively and
    bright (exciting, fast), scenes changing at `cuts`."""
    cuts = sorted(cuts or [])
    rows = max(1, math.ceil(duration))
    starts = [0.0, *cuts]
    scene_id = [sum(1 for c in cuts if c <= i) for i in range(rows)]
    scene_offset = [i - starts[s] for i, s in zip(range(rows), scene_id)]
    wobble = np.sin(np.arange(rows) / 7.0) * 0.05
    return VideoAnalysis(
        probe=VideoProbe(path="synthetic.mp4", duration=duration, fps=25.0, width=320, height=180),
        seconds=rows,
        motion=list(np.clip((0.01 if calm else 0.2) + wobble * 0.1, 0, 1)),
        brightness=[0.25 if calm else 0.7] * rows,
        saturation=[0.2 if calm else 0.7] * rows,
        colourfulness=[0.15 if calm else 0.7] * rows,
        cuts=cuts,
        scene_id=scene_id,
        scene_offset=scene_offset,
        valence=list((-0.5 if calm else 0.6) + wobble),
        arousal=list((-0.6 if calm else 0.7) + wobble),
        emotion=[CALM_EMOTION if calm else LIVELY_EMOTION] * rows,
    )


def sample_plan(bars: int = 8, tempo: float = 120.0) -> CompositionPlan:
    """Eight bars of C–G–Am–F in 4/4, one chord a bar, a cut at bar 4: enough to exercise a renderer."""
    beat = 60.0 / tempo
    duration = bars * 4 * beat
    progression = [(0, "C:maj", [0, 4, 7]), (7, "G:maj", [7, 11, 2]), (9, "A:min", [9, 0, 4]), (5, "F:maj", [5, 9, 0])]
    half = bars // 2 * 4 * beat
    beats = [Beat(time=i * beat, bar=i // 4, position=i % 4, section=int(i * beat >= half), duration=beat)
             for i in range(bars * 4)]
    chords = [PlannedChord(start=b * 4 * beat, end=(b + 1) * 4 * beat, label=label, root=root, pitch_classes=pcs,
                           bass=root) for b, (root, label, pcs) in ((b, progression[b % 4]) for b in range(bars))]
    sections = [Section(start=0, end=half, tempo=tempo, emotion="relaxing", energy=0.3),
                Section(start=half, end=duration, tempo=tempo, emotion="exciting", energy=0.8, starts_at_cut=True)]
    return CompositionPlan(duration=duration, key=Key(tonic=0, mode="major"), style="pop", seed=0, planner="sample",
                           sections=sections, beats=beats, chords=chords, cuts=[half],
                           energy=[0.3 if s < half else 0.8 for s in range(int(np.ceil(duration)))],
                           instruments={"chords": 0, "bass": 33, "melody": 73}, fade_out=1.0)


def chord_tones(pitches: Sequence[int], seconds: float, sample_rate: int = 22050) -> np.ndarray:
    """Harmonic tones at the MIDI `pitches`, summed and faded: a chord a recognizer should name."""
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    signal = np.zeros_like(t)
    for pitch in pitches:
        frequency = 440.0 * 2 ** ((pitch - 69) / 12)
        for harmonic in range(1, 5):
            signal += np.sin(2 * np.pi * frequency * harmonic * t) / harmonic ** 1.5
    envelope = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.05)
    return (0.2 * signal * envelope / max(1, len(pitches))).astype(np.float32)
