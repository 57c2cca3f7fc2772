"""The click track: one tempo map for a whole video, fitted to its cuts as a film composer fits hit points.

A dynamic programme over the cuts builds the grid from pieces of constant tempo, each from one cut to a
later one, passing through both on an eighth. A piece may end at a cut in two ways:
- *structural*: the cut starts a section on a downbeat; the tempo may step there (by at most `MAX_STEP`,
  paid for, so rarely), and the bar before may gain or lose a beat (a bar of 5 or 3, at a cost that keeps
  it rare). What a section start there is worth (from the cut's strength) pays for it, so the strong
  cuts get the downbeats.
- *passing*: the grid merely goes through the cut on a beat or an eighth, anywhere in the bar; the tempo
  may adjust there by at most `PASSING_STEP` (never a jolt), again paid for.
Every cut the grid puts within 60 ms of an eighth earns a reward (more on a beat), so the programme picks,
among the tempo maps that keep time, the one that catches the most cuts. Step costs are set against the
reward so that the tempo's total travel stays small: one tempo per long stretch, nudged rather than bent.

States are (cut, position in the bar in eighths or "structural", period bin); the search is linear in the
number of cuts times the cuts within `MAX_SPAN` seconds, so a 20-minute video plans in about a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from v2m_core.music.beat_grid import eighths, tempo_changes
from v2m_core.music.seconds import mean_over

BEATS_PER_BAR = 4
EIGHTHS = 2 * BEATS_PER_BAR
STRUCTURAL = EIGHTHS
"""State index of a structural arrival (a downbeat that starts a section)."""
TOLERANCE = 0.060
"""Seconds within which a cut counts as on the grid."""
SURE = 0.058
"""Within this a cut earns the full reward, falling to 0 at TOLERANCE: a small margin for cuts detected a
few milliseconds off."""
BEAT_BONUS = 1.0
"""Extra reward for a cut on a beat rather than between two (the eighth reward is 1)."""
BIN = 0.002
"""Width of the period bins (log) over which tempo steps are costed."""
STEP_COST = 25.0
"""Cost per unit of |log| tempo step: a 2% nudge costs as much as half a cut caught."""
STEP_COST_TRIES = (0.2, 0.5, 1.0)
"""Fractions of the step costs tried: of the maps within the travel and jolt budgets (the full costs'
always counts), the one that catches the most cuts wins (a coarse Lagrangian search on the whole video's
tempo travel)."""
TRAVEL_BUDGET = 0.18
"""Most tempo travel (sum of |log| changes between consecutive beats) a minute a cheaper try may use."""
JOLT_BUDGET = 1.5
"""Most jolts (consecutive beats more than 3% apart) a minute a cheaper try may use."""
PASSING_STEP = 0.028
"""Largest tempo step (log) at a passing cut."""
MAX_STEP = 0.09
"""Largest tempo step (log) at a structural cut (about 9.4%)."""
JOLT_FROM = 0.028
JOLT_COST = 3.0
"""Steps above JOLT_FROM (measured jolts start at 3%) pay this as well."""
ANCHOR_COST = 0.05
"""Each passing cut the grid is anchored to (a nudge point)."""
IRREGULAR_COST = 3.0
"""An added or dropped beat before a structural cut (a bar of 5 or 3)."""
TARGET_COST = 0.03
"""Per beat and unit of |log| distance from the style's tempo for the energy there (or double it)."""
DOUBLE_TIME = 0.1
"""Extra distance (log) of a double-time click from the style's tempo."""
MAX_SPAN = 12.0
"""Seconds a piece may span (longer only when no cut lies in between)."""
TAIL_SPAN = 2 * MAX_SPAN
SLOWEST_FACTOR = 0.82
"""The click is at least this times the style's slowest tempo for the video."""
FASTEST_BPM = 165.0
DOUBLE_TIME_BPM = 150.0
"""The click may run up to twice the style's tempo, or this if faster (a double-time click under a
half-time feel), but never above FASTEST_BPM."""
DENSE_CUTS = 20.0
"""Cuts a minute above which step costs grow in proportion."""


@dataclass(frozen=True)
class TempoMap:
    beats: np.ndarray
    """Beat times from 0, ascending."""
    positions: np.ndarray
    """Position of each beat in its bar (0 = downbeat); bars of 3 or 5 beats occur only before structural cuts."""
    structural: list[int]
    """Indices into the fitted cut list of the cuts that start a section (each on a downbeat)."""


def fit_tempo_map(cuts: np.ndarray, rewards: np.ndarray, duration: float, target_period: np.ndarray,
                  fixed_period: float | None = None) -> TempoMap:
    """The tempo map that catches the most cuts while keeping time (see the module docstring).

    `rewards[k]` is what starting a section at cut k is worth, in cuts caught (0: it may not start one);
    `target_period[s]` is the style's beat period for second s; `fixed_period` (a user's --tempo) pins
    the tempo within 2%.
    """
    target = np.asarray(target_period, dtype=float)
    if fixed_period is not None:
        target = np.full_like(target, fixed_period)
        low, high = fixed_period / 1.02, fixed_period * 1.02
    else:
        low = max(60.0 / FASTEST_BPM, min(float(target.min()) / 2, 60.0 / DOUBLE_TIME_BPM))
        high = float(target.max()) / SLOWEST_FACTOR
    count = max(1, int(math.ceil(math.log(high / low) / BIN)))
    bins = low * np.exp(BIN * np.arange(count + 1))
    arguments = (np.asarray(cuts, dtype=float), np.asarray(rewards, dtype=float), duration, target, bins)
    fits = [_Fit(*arguments, step_fraction=fraction).run() for fraction in STEP_COST_TRIES]
    if fits[-1] is None:
        return _steady(target, duration)
    kept = [fit for fit in fits[:-1] if fit is not None and _within_budget(fit.beats, duration)] + [fits[-1]]
    return max(kept, key=lambda fit: cuts_caught(fit.beats, np.asarray(cuts, dtype=float)))


def cuts_caught(beats: np.ndarray, cuts: np.ndarray) -> tuple[int, int]:
    """(cuts on an eighth, cuts on a beat), counting those the fit rewards at least half: what the tries are
    judged by."""
    if cuts.size == 0 or beats.size < 2:
        return 0, 0
    def caught(grid: np.ndarray) -> int:
        index = np.clip(np.searchsorted(grid, cuts), 1, len(grid) - 1)
        nearest = np.minimum(np.abs(cuts - grid[index - 1]), np.abs(cuts - grid[index]))
        return int(np.count_nonzero(_closeness(nearest) >= 0.5))
    return caught(eighths(beats)), caught(beats)


def _within_budget(beats: np.ndarray, duration: float) -> bool:
    """Whether the map's tempo travel and jolts a minute stay within TRAVEL_BUDGET and JOLT_BUDGET."""
    changes = tempo_changes(beats, max(duration / 60, 1e-9))
    travel, jolts = changes["tempo_travel_per_min"], changes["tempo_jolts_per_min"]
    return travel is None or jolts is None or (travel <= TRAVEL_BUDGET and jolts <= JOLT_BUDGET)


def hit_rewards(offsets: np.ndarray, period: np.ndarray, counted: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Summed rewards (over the last axis) of cuts `offsets` seconds after an eighth of grids of `period`:
    1 on an eighth, 1 + BEAT_BONUS on a beat; first when beats fall on the even eighths counted from
    there, then when on the odd ones. `counted` masks the cuts that count."""
    eighths = 2 * offsets / period
    nearest = np.round(eighths)
    close = _closeness(np.abs(eighths - nearest) * period / 2)
    if counted is not None:
        close = close * counted
    odd = nearest.astype(np.int64) % 2 == 1
    on_odd = (close * odd).sum(axis=-1)
    total = close.sum(axis=-1)
    return total + BEAT_BONUS * (total - on_odd), total + BEAT_BONUS * on_odd


def _distance(log_period: np.ndarray, wanted: np.ndarray | float) -> np.ndarray:
    """|log| distance from the wanted period, or from its half plus DOUBLE_TIME (a double-time click keeps
    the style's pulse, and is chosen only where it catches more cuts)."""
    return np.minimum(np.abs(log_period - wanted), np.abs(log_period - wanted + math.log(2)) + DOUBLE_TIME)


def _closeness(distance: np.ndarray) -> np.ndarray:
    return np.clip((TOLERANCE - distance) / (TOLERANCE - SURE), 0.0, 1.0)


def _step_costs(limit: float, bins: int, scale: float) -> np.ndarray:
    shifts = np.arange(min(bins, int(limit / BIN) + 1)) * BIN
    return scale * STEP_COST * shifts + JOLT_COST * (shifts > JOLT_FROM)


def _spread(values: np.ndarray, costs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each bin, the best value reachable from a bin within len(costs) - 1 bins, and where from."""
    best = values.copy()
    came_from = np.broadcast_to(np.arange(values.shape[-1]), values.shape).copy()
    for shift in range(1, len(costs)):
        for source, destination in ((slice(None, -shift), slice(shift, None)), (slice(shift, None), slice(None, -shift))):
            candidate = values[..., source] - costs[shift]
            better = candidate > best[..., destination]
            best[..., destination] = np.where(better, candidate, best[..., destination])
            origin = np.arange(values.shape[-1])[source]
            came_from[..., destination] = np.where(better, origin, came_from[..., destination])
    return best, came_from


class _Fit:
    """One run of the programme; nodes are the start (0) and every cut (k + 1)."""

    def __init__(self, cuts: np.ndarray, rewards: np.ndarray, duration: float, target: np.ndarray,
                 bins: np.ndarray, step_fraction: float = 1.0) -> None:
        self.cuts, self.rewards, self.duration = cuts, rewards, duration
        self.times = np.concatenate([[0.0], cuts])
        self.target_log = np.log(target)
        self.bins = bins
        # more cuts a minute, more chances to nudge: each nudge costs more, so the travel stays bounded
        scale = step_fraction * max(1.0, len(cuts) / max(duration / 60, 1e-9) / DENSE_CUTS)
        self.passing_costs = _step_costs(PASSING_STEP, len(bins), scale)
        self.structural_costs = _step_costs(MAX_STEP, len(bins), scale)
        self.edges: list[np.ndarray] = []
        """Blocks of rows (source node, source state, eighths, period, previous edge, arrival state)."""
        self.edge_count = 0

    def _wanted(self, start: float, end: float) -> float:
        return mean_over(self.target_log, start, end)

    def _bin(self, periods: np.ndarray) -> np.ndarray:
        index = np.round(np.log(periods / self.bins[0]) / BIN).astype(int)
        return np.clip(index, 0, len(self.bins) - 1)

    def run(self) -> TempoMap | None:
        nodes, states, width = len(self.times), EIGHTHS + 1, len(self.bins)
        value_in = np.full((nodes, states, width), -np.inf)
        edge_in = np.full((nodes, states, width), -1, dtype=np.int64)
        value_in[0, STRUCTURAL] = 0.0
        best_total, best_tail = -np.inf, None
        for node in range(nodes):
            if not np.isfinite(value_in[node]).any():
                continue
            if node == 0:
                best_out, came_from = value_in[0].copy(), np.broadcast_to(np.arange(width), (states, width)).copy()
            else:
                best_out, came_from = _spread(value_in[node], self.passing_costs)
                best_out[STRUCTURAL], came_from[STRUCTURAL] = _spread(value_in[node, STRUCTURAL], self.structural_costs)
            previous = np.take_along_axis(edge_in[node], came_from, axis=1) if node else np.full((states, width), -1)
            self._extend(node, best_out, previous, value_in, edge_in)
            state, bin_, total = self._tail(node, best_out)
            if total > best_total:
                best_total, best_tail = total, (node, state, bin_, int(previous[state, bin_]))
        return None if best_tail is None else self._trace(*best_tail)

    def _pieces(self, node: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """Candidate pieces from `node`: (target node, eighths, period, bin), within the span and tempo range."""
        start = self.times[node]
        lengths = self.times[node + 1:] - start
        reachable = lengths >= self.bins[0] / 2 - TOLERANCE
        allowed = reachable & (lengths <= MAX_SPAN)
        if not allowed.any() and reachable.any():
            allowed[np.argmax(reachable)] = True  # a long shot: the next cut, however far
        targets, eighths = [], []
        for offset in np.flatnonzero(allowed):
            length = lengths[offset]
            counts = np.arange(max(1, math.ceil(2 * length / self.bins[-1])), math.floor(2 * length / self.bins[0]) + 1)
            targets.append(np.full(len(counts), node + 1 + offset))
            eighths.append(counts)
        if not targets:
            return None
        target, count = np.concatenate(targets), np.concatenate(eighths)
        if target.size == 0:
            return None
        period = 2 * (self.times[target] - start) / count
        return target, count, period, self._bin(period)

    def _extend(self, node: int, best_out: np.ndarray, previous: np.ndarray, value_in: np.ndarray,
                edge_in: np.ndarray) -> None:
        """Offer every piece from `node` to a later cut, from every state, to that cut's arrivals."""
        pieces = self._pieces(node)
        if pieces is None:
            return
        target, count, period, index = pieces
        start = self.times[node]
        inside = self.cuts[node:target.max() - 1] - start  # the cuts between node and the farthest target
        reward_even = np.zeros(len(target))
        reward_odd = np.zeros(len(target))
        if inside.size:
            before = inside[None, :] < (self.times[target] - start - 1e-9)[:, None]
            reward_even, reward_odd = hit_rewards(inside[None, :], period[:, None], before)
        wanted = self._wanted_many(start, target)
        base = -TARGET_COST * count / 2 * _distance(np.log(period), wanted)
        reward = self.rewards[target - 1]
        for state in range(EIGHTHS + 1):
            phase = 0 if state == STRUCTURAL else state
            value = best_out[state, index]
            if not np.isfinite(value).any():
                continue
            value = value + base + (reward_odd if phase % 2 else reward_even)
            arrival = (phase + count) % EIGHTHS
            on_beat = arrival % 2 == 0
            passing = value + (1 + BEAT_BONUS * on_beat) - ANCHOR_COST
            self._offer(node, state, target, arrival, index, count, period, passing, previous[state, index],
                        value_in, edge_in)
            fits = np.isin(arrival, (0, 2, EIGHTHS - 2)) & (reward > 0)
            structural = np.where(fits, value + (1 + BEAT_BONUS) + reward - IRREGULAR_COST * (arrival != 0),
                                  -np.inf)
            self._offer(node, state, target, np.full(len(target), STRUCTURAL), index, count, period, structural,
                        previous[state, index], value_in, edge_in)

    def _wanted_many(self, start: float, target: np.ndarray) -> np.ndarray:
        """Mean log target period from `start` to each target's time."""
        cumulative = np.concatenate([[0.0], np.cumsum(self.target_log)])
        first = min(int(start), len(self.target_log) - 1)
        last = np.clip(np.ceil(self.times[target]).astype(int), first + 1, len(self.target_log))
        return (cumulative[last] - cumulative[first]) / (last - first)

    def _offer(self, node: int, state: int, target: np.ndarray, arrival: np.ndarray, index: np.ndarray,
               count: np.ndarray, period: np.ndarray, value: np.ndarray, previous: np.ndarray,
               value_in: np.ndarray, edge_in: np.ndarray) -> None:
        better = np.flatnonzero(value > value_in[target, arrival, index])
        if better.size == 0:
            return
        better = better[np.argsort(value[better], kind="stable")]  # where two share a slot, the larger is written last
        rows = np.column_stack([np.full(better.size, node), np.full(better.size, state), count[better],
                                period[better], previous[better], arrival[better]])
        self.edges.append(rows)
        value_in[target[better], arrival[better], index[better]] = value[better]
        edge_in[target[better], arrival[better], index[better]] = self.edge_count + np.arange(better.size)
        self.edge_count += better.size

    def _tail(self, node: int, best_out: np.ndarray) -> tuple[int, int, float]:
        """Best (state, bin, value) for running from `node` to the end at one tempo: from the last cut, or
        any within TAIL_SPAN of the end (a longer run at one tempo is never better than going through cuts)."""
        start = self.times[node]
        if node < len(self.times) - 1 and self.duration - start > TAIL_SPAN:
            return 0, 0, -np.inf
        later = self.cuts[node:] - start
        periods = self.bins[None, :]
        wanted = self._wanted(start, self.duration)
        cost = TARGET_COST * max(1.0, (self.duration - start)) / periods * _distance(np.log(periods), wanted)
        even, odd = hit_rewards(later[None, :], self.bins[:, None])
        odd_states = (np.arange(EIGHTHS + 1) % 2 == 1) & (np.arange(EIGHTHS + 1) != STRUCTURAL)
        score = best_out + np.where(odd_states[:, None], odd, even) - cost
        state, bin_ = np.unravel_index(int(np.argmax(score)), score.shape)
        return int(state), int(bin_), float(score[state, bin_])

    def _trace(self, node: int, state: int, tail_bin: int, previous: int) -> TempoMap:
        edges = np.concatenate(self.edges) if self.edges else np.zeros((0, 6))
        pieces: list[tuple[float, int, float, int | None]] = []
        """(start, phase, period, eighths or None for the tail)."""
        tail_phase = 0 if state == STRUCTURAL else state
        pieces.append((float(self.times[node]), tail_phase, float(self.bins[tail_bin]), None))
        structural_nodes: list[int] = [node] if state == STRUCTURAL and node > 0 else []
        edge_index = previous
        while edge_index >= 0:
            source, source_state, eighths, period, edge_index, _ = edges[edge_index]
            source, edge_index = int(source), int(edge_index)
            phase = 0 if int(source_state) == STRUCTURAL else int(source_state)
            pieces.append((float(self.times[source]), phase, float(period), int(eighths)))
            if int(source_state) == STRUCTURAL and source > 0:
                structural_nodes.append(source)
        pieces.reverse()
        if len(pieces) >= 2 and int(self._bin(np.array([pieces[-2][2]]))[0]) == tail_bin:
            pieces[-1] = (pieces[-1][0], pieces[-1][1], pieces[-2][2], None)  # no step: keep the exact tempo
        return _beats(pieces, self.duration, sorted(n - 1 for n in structural_nodes))


def _steady(target: np.ndarray, duration: float) -> TempoMap:
    """One tempo, the style's for the whole video, from 0: for a video whose cuts leave no other way."""
    period = float(np.exp(np.log(target).mean()))
    return _beats([(0.0, 0, period, None)], duration, [])


def _beats(pieces: list[tuple[float, int, float, int | None]], duration: float, structural: list[int]) -> TempoMap:
    """Beat times and bar positions from the chosen pieces; a 1-beat bar (before a structural cut that
    arrived a beat late) joins the bar before it, making a bar of 5."""
    times: list[float] = []
    phases: list[int] = []
    for start, phase, period, eighth_count in pieces:
        count = eighth_count if eighth_count is not None else max(1, int(math.ceil(2 * (duration - start) / period - 1e-9)))
        for m in range(count):
            if (phase + m) % 2 == 0:
                time = start + m * period / 2
                if time < duration - 1e-6:
                    times.append(time)
                    phases.append((phase + m) % EIGHTHS)
    downbeat = np.array([p == 0 for p in phases])
    downbeat[0] = True
    starts = np.flatnonzero(downbeat)
    for first, following in zip(starts, [*starts[1:], len(times)]):
        if following - first == 1 and first > 0 and following < len(times):
            downbeat[first] = False
    bar_index = np.cumsum(downbeat) - 1
    bar_start = np.flatnonzero(downbeat)[bar_index]
    positions = np.arange(len(times)) - bar_start
    return TempoMap(np.array(times), positions, structural)
