"""Pearson correlation that says "undefined" instead of returning NaN for flat or too-short series."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def pearson(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float | None:
    """Correlation over the common length; None when either series is constant or shorter than 3."""
    length = min(len(a), len(b))
    x, y = np.asarray(a[:length], dtype=float), np.asarray(b[:length], dtype=float)
    if length < 3 or x.std() < 1e-9 or y.std() < 1e-9:
        return None
    return float(np.corrcoef(x, y)[0, 1])
