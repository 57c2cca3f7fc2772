"""Per-second musical energy from a video's arousal and motion: what the planners shape dynamics with and what
the learned drums are trained against, so both read the picture the same way."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MOTION_SCALE = 0.04
"""Motion (0..1) at which the motion term reaches 1 - 1/e; fixed (not relative to the video) so calm videos
stay calm. The rules planner's `motion_scale` setting defaults to it."""
AROUSAL_WEIGHT = 0.6
"""Share of arousal in energy; motion has the rest (the rules planner's `arousal_weight` default)."""


def second_energy(arousal: Sequence[float] | np.ndarray, motion: Sequence[float] | np.ndarray,
                  motion_scale: float = MOTION_SCALE, arousal_weight: float = AROUSAL_WEIGHT) -> np.ndarray:
    """Per-second energy 0..1 from arousal (-1..1) and motion, lightly smoothed so dynamics do not flicker."""
    arousal_share = (np.asarray(arousal, dtype=float) + 1.0) / 2.0
    motion_share = 1.0 - np.exp(-np.clip(np.asarray(motion, dtype=float), 0.0, None) / motion_scale)
    raw = arousal_weight * arousal_share + (1.0 - arousal_weight) * motion_share
    if raw.size >= 3:
        raw = np.convolve(np.pad(raw, 1, mode="edge"), [0.25, 0.5, 0.25], mode="valid")
    return np.clip(raw, 0.0, 1.0)
