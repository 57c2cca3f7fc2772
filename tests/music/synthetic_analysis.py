"""Synthetic video analyses for planner and renderer tests (imported by module name, not via conftest)."""

from __future__ import annotations

import math

import numpy as np

from v2m_core.schemas.analysis import VideoAnalysis, VideoProbe

CALM_EMOTION = [0.03, 0.07, 0.1, 0.5, 0.25, 0.05]
LIVELY_EMOTION = [0.6, 0.03, 0.07, 0.03, 0.12, 0.15]


def build_analysis(duration: float, cuts: list[float] | None = None, calm: bool = False) -> VideoAnalysis:
    """A video whose every second is calm and dark (sad, slow) or lively and bright (exciting, fast)."""
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


def random_cuts(duration: float, seed: int, low: float = 0.6, high: float = 9.0) -> list[float]:
    """Frame-precise (25 fps) cut times with scene lengths drawn from [low, high) seconds."""
    rng = np.random.default_rng(seed)
    cuts, t = [], 0.0
    while True:
        t += float(rng.uniform(low, high))
        if t >= duration - 0.2:
            return cuts
        cuts.append(round(t * 25) / 25)
