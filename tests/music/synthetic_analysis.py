"""Synthetic video analyses for planner and renderer tests (imported by module name, not via conftest)."""

from __future__ import annotations

import numpy as np

from v2m_core.testing.fixtures import sample_analysis as build_analysis  # noqa: F401 - the tests' name for it


def random_cuts(duration: float, seed: int, low: float = 0.6, high: float = 9.0) -> list[float]:
    """Frame-precise (25 fps) cut times with scene lengths drawn from [low, high) seconds."""
    rng = np.random.default_rng(seed)
    cuts, t = [], 0.0
    while True:
        t += float(rng.uniform(low, high))
        if t >= duration - 0.2:
            return cuts
        cuts.append(round(t * 25) / 25)
