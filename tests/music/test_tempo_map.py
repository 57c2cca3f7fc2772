"""The click track fitted to cuts: known best answers, and the time-keeping measures on edited montages."""

from __future__ import annotations

import numpy as np
import pytest

from v2m_core.music.tempo_map import TOLERANCE, TempoMap, fit_tempo_map


def lognormal_cuts(median: float, duration: float, seed: int) -> np.ndarray:
    """Frame-precise cuts with shot lengths from a lognormal distribution, as an editor's montage."""
    rng = np.random.default_rng(seed)
    cuts, time = [], 0.0
    while True:
        time += max(0.4, float(rng.lognormal(np.log(median), 0.6)))
        if time >= duration - 0.3:
            return np.array([c for c in cuts if c >= 0.5])
        cuts.append(round(time * 25) / 25)


def intervals(tempo_map: TempoMap, duration: float) -> np.ndarray:
    return np.diff(np.append(tempo_map.beats, duration))[:-1]


def share_on(grid: np.ndarray, cuts: np.ndarray) -> float:
    return float(np.mean([np.min(np.abs(grid - c)) <= TOLERANCE for c in cuts]))


def test_evenly_spaced_cuts_give_one_constant_tempo_with_every_cut_on_a_beat() -> None:
    cuts = np.arange(2.0, 60.0, 2.0)
    tempo_map = fit_tempo_map(cuts, np.zeros(len(cuts)), 60.0, np.full(60, 0.5))
    periods = intervals(tempo_map, 60.0)
    assert np.allclose(periods, periods[0], rtol=1e-9)
    assert share_on(tempo_map.beats, cuts) == 1.0
    assert tempo_map.positions[0] == 0 and set(np.diff(np.flatnonzero(tempo_map.positions == 0))) == {4}


def test_one_cut_off_the_grid_gets_an_eighth_or_a_nudge_not_a_jump() -> None:
    cuts = np.arange(2.0, 40.0, 2.0)
    cuts[9] += 0.25  # an eighth late at 120 bpm
    tempo_map = fit_tempo_map(cuts, np.zeros(len(cuts)), 40.0, np.full(40, 0.5))
    periods = intervals(tempo_map, 40.0)
    assert np.max(np.abs(periods[1:] / periods[:-1] - 1)) <= 0.03
    eighths = np.concatenate([tempo_map.beats, tempo_map.beats[:-1] + np.diff(tempo_map.beats) / 2])
    assert share_on(eighths, cuts) == 1.0


def test_structural_candidates_land_on_downbeats() -> None:
    cuts = lognormal_cuts(2.0, 60.0, 3)
    rewards = np.zeros(len(cuts))
    rewards[[len(cuts) // 3, 2 * len(cuts) // 3]] = 25.0
    tempo_map = fit_tempo_map(cuts, rewards, 60.0, np.full(60, 0.5))
    assert tempo_map.structural == list(np.flatnonzero(rewards))
    downbeats = tempo_map.beats[tempo_map.positions == 0]
    assert all(np.min(np.abs(downbeats - cuts[i])) < 1e-9 for i in tempo_map.structural)


@pytest.mark.parametrize(("median", "duration"), [(1.2, 45.0), (2.0, 60.0), (5.0, 90.0)])
def test_montages_keep_time_and_catch_most_cuts(median: float, duration: float) -> None:
    eighth, beat = [], []
    for seed in range(3):
        cuts = lognormal_cuts(median, duration, seed)
        rewards = np.zeros(len(cuts))
        rewards[len(cuts) // 2] = 25.0
        tempo_map = fit_tempo_map(cuts, rewards, duration, np.full(int(duration), 0.5))
        periods = intervals(tempo_map, duration)
        steps = periods[1:] / periods[:-1]
        minutes = duration / 60
        assert np.sum(np.abs(steps - 1) > 0.03) / minutes <= 2
        assert np.max(np.abs(steps - 1)) <= 0.10
        assert np.sum(np.abs(np.log(steps))) / minutes <= 0.2
        bars = np.diff(np.flatnonzero(tempo_map.positions == 0))
        assert np.mean(bars == 4) >= 0.9
        eighths = np.concatenate([tempo_map.beats, tempo_map.beats[:-1] + np.diff(tempo_map.beats) / 2])
        eighth.append(share_on(eighths, cuts))
        beat.append(share_on(tempo_map.beats, cuts))
    # a click at random would put about half the cuts on an eighth and a quarter on a beat
    assert np.mean(eighth) >= 0.75 and np.mean(beat) >= 0.4


def test_a_fixed_tempo_is_kept() -> None:
    cuts = lognormal_cuts(2.0, 60.0, 1)
    tempo_map = fit_tempo_map(cuts, np.zeros(len(cuts)), 60.0, np.full(60, 0.5), fixed_period=0.6)
    assert np.all(np.abs(intervals(tempo_map, 60.0) / 0.6 - 1) <= 0.021)


def test_no_cuts_and_tiny_videos_get_a_steady_click() -> None:
    for duration in (0.4, 1.0, 30.0):
        tempo_map = fit_tempo_map(np.zeros(0), np.zeros(0), duration, np.full(max(1, int(duration)), 0.5))
        assert tempo_map.beats[0] == 0.0 and tempo_map.beats[-1] < duration
        if len(tempo_map.beats) > 2:
            assert np.allclose(np.diff(tempo_map.beats), 0.5, atol=0.06)
