"""Section-start coverage: where a fit lacks section starts, which cuts may be made to start one."""

from __future__ import annotations

import numpy as np

from v2m_core.music.hit_points import OPTIONS, REQUIRED, coverage_options

CUTS = np.array([5.0, 12.0, 20.0, 28.0, 36.0, 44.0, 52.0])
STRENGTH = np.array([0.3, 0.9, 0.2, 0.7, 0.4, 0.8, 0.1])


def rewards_for(*candidates: int) -> np.ndarray:
    rewards = np.zeros(CUTS.size)
    rewards[list(candidates)] = 8 * STRENGTH[list(candidates)] - 3
    return rewards


def raised(options: list[np.ndarray]) -> list[list[int]]:
    return [np.flatnonzero(option >= REQUIRED).tolist() for option in options]


def test_nothing_is_added_when_the_video_has_a_start_per_thirty_seconds() -> None:
    assert coverage_options(rewards_for(1, 3, 5), STRENGTH, CUTS, [1, 5], 60.0, 6.0) == []


def test_a_too_long_stretch_must_take_its_strongest_candidate() -> None:
    options = coverage_options(rewards_for(1, 3, 5), STRENGTH, CUTS, [], 60.0, 6.0)
    assert raised(options) == [[1]]


def test_a_missing_start_may_be_any_of_the_strongest_candidates_left() -> None:
    rewards = rewards_for(1, 3, 5)
    options = coverage_options(rewards, STRENGTH, CUTS, [1], 50.0, 6.0)
    assert raised(options) == [[5], [3]]  # not cut 1, already a start; strongest first
    assert all(np.array_equal(np.delete(o, i), np.delete(rewards, i)) for o, (i,) in zip(options, raised(options)))
    assert len(options) <= OPTIONS


def test_without_candidates_a_weaker_cut_with_room_for_a_section_serves() -> None:
    options = coverage_options(rewards_for(1), STRENGTH, CUTS, [1], 50.0, 10.0)
    assert raised(options) == [[3], [4]]  # 28 and 36 s: 10 s or more from cut 1 (12 s) and the ends
    assert raised(coverage_options(rewards_for(1), STRENGTH, CUTS, [1], 60.0, 10.0)) == [[5]]  # 48 s is too long
    assert coverage_options(rewards_for(1), STRENGTH, CUTS, [1], 50.0, 25.0) == []  # no room anywhere
