"""Measures of a beat grid that the tempo-map search judges its tries by and `v2m eval music` reports:
the eighth grid, and how the tempo changes from beat to beat."""

from __future__ import annotations

import numpy as np

JOLT = 0.03
"""A beat longer or shorter than the one before by more than this share is heard as a stumble."""


def eighths(beats: np.ndarray) -> np.ndarray:
    """The beats and the midpoints between consecutive beats."""
    return np.sort(np.concatenate([beats, (beats[1:] + beats[:-1]) / 2]))


def tempo_changes(beats: np.ndarray, minutes: float) -> dict[str, float | None]:
    """Jolts (consecutive beat intervals whose ratio is off 1 by more than JOLT) per minute, the largest
    |ratio - 1|, and the tempo travel: sum of |log ratio| per minute (a steady ramp travels, a jolt jumps)."""
    intervals = np.diff(beats)
    if len(intervals) < 2:
        return dict.fromkeys(("tempo_jolts_per_min", "largest_jolt", "tempo_travel_per_min"))
    ratios = intervals[1:] / intervals[:-1]
    return {
        "tempo_jolts_per_min": float(np.sum(np.abs(ratios - 1) > JOLT)) / minutes,
        "largest_jolt": float(np.max(np.abs(ratios - 1))),
        "tempo_travel_per_min": float(np.sum(np.abs(np.log(ratios)))) / minutes,
    }
