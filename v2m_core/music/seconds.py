"""Per-second series (row s covers [s, s + 1) seconds) read over a stretch of time."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def seconds_covering(rows: int, start: float, end: float) -> slice:
    """The rows a stretch [start, end) touches: at least one, the last row for a stretch past the end."""
    first = min(max(int(start), 0), rows - 1)
    return slice(first, max(first + 1, min(rows, math.ceil(end))))


def mean_over(values: Sequence[float] | np.ndarray, start: float, end: float) -> float:
    """Mean of a per-second series over [start, end); 0.5, the middle of a 0..1 scale, for an empty one."""
    array = np.asarray(values, dtype=float)
    return float(array[seconds_covering(len(array), start, end)].mean()) if array.size else 0.5
