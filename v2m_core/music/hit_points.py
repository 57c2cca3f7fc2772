"""Hit points: how much each cut matters, what starting a section at it is worth, and what mark it gets.

A composer gives a real hit to a few cuts a minute (a new scene, a change of light or pace after a long
shot) and lets the groove carry the rest. A cut's strength is the rank of how much the picture changes
across it (brightness, colour, motion, mood over the seconds either side) averaged with the rank of the
shorter of the two shots around it, so a cut inside a burst of quick cuts is never structural.
"""

from __future__ import annotations

import math

import numpy as np

from v2m_core.schemas.analysis import VideoAnalysis

CANDIDATE_FROM = 0.5
"""Cuts at least this strong may start a section."""
REWARD_SCALE, REWARD_COST = 8.0, 3.0
"""A candidate's worth, in cuts caught: REWARD_SCALE x strength - REWARD_COST (1 at 0.5, 5 at full strength)."""
REQUIRED = 25.0
"""The worth of the strongest candidate of a stretch that would otherwise go without a section start."""
LONGEST = 40.0
"""A stretch longer than this without a section start is too long when it has a candidate ..."""
PER = 30.0
"""... and a video has at least one section start per this many seconds, wherever its cuts allow."""
OPTIONS = 3
"""Candidates tried for the next section start a video lacks."""
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


def structural_rewards(cuts: np.ndarray, strength: np.ndarray, duration: float, min_gap: float) -> np.ndarray:
    """What starting a section at each cut is worth to the tempo fit (0: it may not): the strong cuts, at
    least `min_gap` seconds from each other and from both ends, so every section has room for its bars."""
    rewards = np.zeros(cuts.size)
    chosen: list[float] = []
    for index in np.argsort(-strength, kind="stable"):
        cut = cuts[index]
        if strength[index] < CANDIDATE_FROM:
            break
        if min(cut, duration - cut) >= min_gap and all(abs(cut - other) >= min_gap for other in chosen):
            chosen.append(float(cut))
            rewards[index] = REWARD_SCALE * strength[index] - REWARD_COST
    return rewards


def coverage_options(rewards: np.ndarray, strength: np.ndarray, cuts: np.ndarray, structural: list[int], duration: float,
                     min_gap: float) -> list[np.ndarray]:
    """Ways to add the section starts a fit still lacks, each a copy of `rewards` with a cut made REQUIRED.

    A stretch over LONGEST seconds without a start must take its strongest candidate (longest stretches
    first; one option). Otherwise, when the video has under one start per PER seconds, any of the
    OPTIONS strongest candidates left may be the next start: the caller fits each and keeps the one that
    catches the most cuts, since the strongest cut can be the one that costs the grid most. Where no
    candidate is left, a weaker cut with room for a section (`min_gap` from the ends and every candidate)
    serves. Empty when nothing is needed or no cut can serve."""
    free = (rewards > 0) & (rewards < REQUIRED)
    free[structural] = False
    candidates = cuts[rewards > 0]
    roomy = (np.minimum(cuts, duration - cuts) >= min_gap) & np.all(
        np.abs(cuts[:, None] - candidates[None, :]) >= min_gap, axis=1)
    reserve = (rewards == 0) & roomy

    def strongest(allowed: np.ndarray) -> np.ndarray:
        pool = allowed & free if np.any(allowed & free) else allowed & reserve
        ranked = np.flatnonzero(pool)
        return ranked[np.argsort(-np.where(free, rewards, strength)[ranked], kind="stable")]

    bounds = [0.0, *(float(cuts[i]) for i in structural), duration]
    raised = rewards.copy()
    for start, end in zip(bounds, bounds[1:]):
        inside = strongest((cuts > start) & (cuts < end))
        if end - start > LONGEST and inside.size:
            raised[inside[0]] = REQUIRED
    if not np.array_equal(raised, rewards):
        return [raised]
    if len(structural) >= math.ceil(duration / PER - 1e-9):
        return []
    options = []
    for index in strongest(np.ones(cuts.size, dtype=bool))[:OPTIONS]:
        option = rewards.copy()
        option[index] = REQUIRED
        options.append(option)
    return options


def mark(structural: bool, strength: float, distance_to_beat: float) -> str:
    """The mark a cut gets: strong at a section start, light for a strong passing cut on a beat, else none."""
    if structural:
        return "strong"
    return "light" if strength >= LIGHT_FROM and distance_to_beat <= 0.03 else "none"
