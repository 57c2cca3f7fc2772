"""Hit points: how much each cut matters, which cuts may start a section, and what mark each gets.

A composer gives a real hit to a few cuts a minute (a new scene, a change of light or pace after a long
shot) and lets the groove carry the rest. A cut's strength is the rank of how much the picture changes
across it (brightness, colour, motion, mood over the seconds either side) averaged with the rank of the
shorter of the two shots around it, so a cut inside a burst of quick cuts is never structural.
"""

from __future__ import annotations

import numpy as np

from v2m_core.schemas.analysis import VideoAnalysis

MIN_GAP = 10.0
"""Seconds between two structural candidates (sections of at least a few bars)."""
EVERY = 20.0
"""About one structural candidate per this many seconds."""
LONGEST = 30.0
"""A stretch longer than this without a candidate gets its strongest cut as one."""
EDGE = 4.0
"""No candidate this close to the start or the end (the first and last sections need room)."""
LIGHT_FROM = 0.5
"""Passing cuts on the grid at least this strong get a light mark."""


def _rank(values: np.ndarray) -> np.ndarray:
    """0..1 by rank (ties share the mean rank); a single value ranks 0.5."""
    if values.size <= 1:
        return np.full(values.size, 0.5)
    order = np.argsort(np.argsort(values, kind="stable"), kind="stable").astype(float)
    for value in np.unique(values):
        same = values == value
        order[same] = order[same].mean()
    return order / (values.size - 1)


def cut_strengths(analysis: VideoAnalysis, cuts: np.ndarray, duration: float) -> np.ndarray:
    """Strength 0..1 of each cut: picture change across it and the length of the shots around it."""
    if cuts.size == 0:
        return np.zeros(0)
    features = np.column_stack([analysis.brightness, analysis.colourfulness, analysis.saturation,
                                np.sqrt(np.clip(analysis.motion, 0, None)), np.asarray(analysis.emotion)])
    spread = features.std(axis=0) + 1e-6
    rows = len(features)
    change = np.empty(cuts.size)
    for k, cut in enumerate(cuts):
        second = int(cut)
        before = features[max(0, second - 2):max(1, second)]
        after = features[min(rows - 1, second + 1):min(rows, second + 3)] if second + 1 < rows else features[-1:]
        change[k] = float(np.mean(np.abs(after.mean(axis=0) - before.mean(axis=0)) / spread))
    bounds = np.concatenate([[0.0], cuts, [duration]])
    shorter = np.minimum(np.diff(bounds)[:-1], np.diff(bounds)[1:])
    return 0.5 * _rank(change) + 0.5 * _rank(shorter)


def structural_candidates(cuts: np.ndarray, strength: np.ndarray, duration: float) -> np.ndarray:
    """Flags of the cuts that may start a section: the strongest, spaced by MIN_GAP, about one per EVERY
    seconds, and at least one in any stretch longer than LONGEST that has a cut."""
    chosen: list[int] = []
    allowed = (cuts >= EDGE) & (duration - cuts >= EDGE)
    for index in np.argsort(-strength, kind="stable"):
        if len(chosen) >= max(1, round(duration / EVERY)):
            break
        if allowed[index] and all(abs(cuts[index] - cuts[j]) >= MIN_GAP for j in chosen):
            chosen.append(int(index))
    flags = np.zeros(cuts.size, dtype=bool)
    flags[chosen] = True
    while True:
        bounds = np.concatenate([[0.0], cuts[flags], [duration]])
        gaps = [(a, b) for a, b in zip(bounds, bounds[1:]) if b - a > LONGEST]
        inside = [np.flatnonzero(allowed & ~flags & (cuts > a + EDGE) & (cuts < b - EDGE)) for a, b in gaps]
        inside = [group for group in inside if group.size]
        if not inside:
            return flags
        for group in inside:
            flags[group[np.argmax(strength[group])]] = True


def mark(structural: bool, strength: float, distance_to_beat: float) -> str:
    """The mark a cut gets: strong at a section start, light for a strong passing cut on a beat, else none."""
    if structural:
        return "strong"
    return "light" if strength >= LIGHT_FROM and distance_to_beat <= 0.03 else "none"
