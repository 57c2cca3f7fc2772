"""`v2m listening-test results`: the listeners' answers per system, with 95% confidence intervals and paired tests.

Ratings: per system and axis, the mean of every rating with a t-based 95% interval (mean ± t(0.975, n-1)·s/√n);
and for every pair of systems, a Wilcoxon signed-rank test on the overall ratings one listener gave both for
one video. A/B: for every pair, how often each was preferred, and a two-sided exact sign test (binomial, p = 1/2,
"no preference" left out); per system, the share of its comparisons it won (a tie counts half) with a t-based
interval. scipy.stats is imported only here, when results are asked for.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from pydantic import Field

from v2m_core.errors import UsageError
from v2m_core.listening_test.schema import AXES, KEY, Answers, ListeningTestKey
from v2m_core.schemas.base import V2MModel, read_model_file


class Score(V2MModel):
    system: str
    axis: str = Field(description="An axis of the ratings, or 'preferred' (share of A/B comparisons won).")
    n: int
    mean: float
    ci_low: float | None = Field(description="95% t interval; None with fewer than 2 answers.")
    ci_high: float | None


class PairTest(V2MModel):
    first: str
    second: str
    n: int = Field(description="Paired judgements: overall ratings of one video by one listener, or A/B trials.")
    first_better: int
    second_better: int
    ties: int
    test: str
    p_value: float | None = Field(description="Two-sided; None when every pair is a tie.")


class Results(V2MModel):
    test_id: str
    mode: str
    listeners: list[str]
    scores: list[Score]
    pairs: list[PairTest]


def load_answers(folder: Path, files: Sequence[Path]) -> tuple[ListeningTestKey, list[Answers]]:
    """The test's key and every answers file, each checked against it; a wrong file is a usage error naming it."""
    key_file = Path(folder) / KEY
    if not key_file.is_file():
        raise UsageError(f"{folder}: no {KEY} here (make the test with v2m listening-test VIDEOS... -o {folder})")
    key = read_model_file(key_file, ListeningTestKey)
    if not files:
        raise UsageError("no answers files given")
    known = {clip.id for clip in key.clips}
    answers: list[Answers] = []
    listeners: dict[str, Path] = {}
    for path in files:
        answer = read_model_file(Path(path), Answers)
        if answer.test_id != key.test_id:
            raise UsageError(f"{path}: answers to another test ({answer.test_id}, this one is {key.test_id})")
        if answer.mode != key.mode:
            raise UsageError(f"{path}: {answer.mode} answers, but the test asks for {key.mode}")
        named = {r.clip for r in answer.ratings} | {c for p in answer.preferences for c in (p.first, p.second)}
        if named - known:
            raise UsageError(f"{path}: clips this test does not have: {', '.join(sorted(named - known))}")
        if answer.listener in listeners:
            raise UsageError(f"{path}: listener '{answer.listener}' answered already in {listeners[answer.listener]}")
        listeners[answer.listener] = path
        answers.append(answer)
    return key, answers


def summarise(key: ListeningTestKey, answers: list[Answers]) -> Results:
    clip = {c.id: c for c in key.clips}
    scores, pairs = [], []
    if key.mode == "ratings":
        given: dict[tuple[int, str], list[int]] = defaultdict(list)
        overall: dict[tuple[str, int], dict[int, int]] = defaultdict(dict)
        for answer in answers:
            for rating in answer.ratings:
                system = clip[rating.clip].system
                for axis, score in rating.scores.items():
                    given[system, axis].append(score)
                overall[answer.listener, clip[rating.clip].video][system] = rating.scores["overall"]
        scores = [_score(key.systems[system], axis, given[system, axis])
                  for system in range(len(key.systems)) for axis in AXES if given[system, axis]]
        for first, second in combinations(range(len(key.systems)), 2):
            differences = [by[first] - by[second] for by in overall.values() if first in by and second in by]
            if differences:
                pairs.append(_wilcoxon(key.systems[first], key.systems[second], differences))
    else:
        from scipy.stats import binomtest

        won: dict[int, list[float]] = defaultdict(list)
        counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        for answer in answers:
            for preference in answer.preferences:
                a, b = sorted((clip[preference.first].system, clip[preference.second].system))
                winner = {"first": clip[preference.first].system, "second": clip[preference.second].system,
                          "none": None}[preference.choice]
                counts[a, b][0 if winner == a else 1 if winner == b else 2] += 1
                won[a].append(1.0 if winner == a else 0.0 if winner == b else 0.5)
                won[b].append(1.0 if winner == b else 0.0 if winner == a else 0.5)
        scores = [_score(key.systems[system], "preferred", won[system])
                  for system in range(len(key.systems)) if won[system]]
        for (a, b), (a_wins, b_wins, ties) in sorted(counts.items()):
            decided = a_wins + b_wins
            p_value = float(binomtest(a_wins, decided, 0.5).pvalue) if decided else None
            pairs.append(PairTest(first=key.systems[a], second=key.systems[b], n=decided + ties, first_better=a_wins,
                                  second_better=b_wins, ties=ties, test="sign (exact binomial)", p_value=p_value))
    return Results(test_id=key.test_id, mode=key.mode, listeners=[answer.listener for answer in answers],
                   scores=scores, pairs=pairs)


def _score(system: str, axis: str, values: Sequence[float]) -> Score:
    from scipy.stats import t

    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return Score(system=system, axis=axis, n=n, mean=round(mean, 4), ci_low=None, ci_high=None)
    deviation = math.sqrt(sum((value - mean) ** 2 for value in values) / (n - 1))
    half = float(t.ppf(0.975, n - 1)) * deviation / math.sqrt(n)
    return Score(system=system, axis=axis, n=n, mean=round(mean, 4), ci_low=round(mean - half, 4),
                 ci_high=round(mean + half, 4))


def _wilcoxon(first: str, second: str, differences: list[int]) -> PairTest:
    from scipy.stats import wilcoxon

    moved = [d for d in differences if d]
    p_value = float(wilcoxon(moved).pvalue) if moved else None
    return PairTest(first=first, second=second, n=len(differences), first_better=sum(d > 0 for d in differences),
                    second_better=sum(d < 0 for d in differences), ties=len(differences) - len(moved),
                    test="Wilcoxon signed-rank (overall)", p_value=p_value)


def plot_results(results: Results, path: Path) -> None:
    """Bars of the means with their 95% intervals: per axis and system for ratings, per system for A/B."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from v2m_core.atomic import atomic_path

    systems = list(dict.fromkeys(score.system for score in results.scores))
    axes = list(dict.fromkeys(score.axis for score in results.scores))
    by = {(score.system, score.axis): score for score in results.scores}
    figure, plot = plt.subplots(figsize=(max(6.0, 1.6 * len(axes) * max(1, len(systems)) / 2), 4.2))
    width = 0.8 / max(1, len(systems))
    for index, system in enumerate(systems):
        shown = [(position, by[system, axis]) for position, axis in enumerate(axes) if (system, axis) in by]
        means = [score.mean for _, score in shown]
        errors = [[score.mean - score.ci_low if score.ci_low is not None else 0 for _, score in shown],
                  [score.ci_high - score.mean if score.ci_high is not None else 0 for _, score in shown]]
        plot.bar([position + (index - (len(systems) - 1) / 2) * width for position, _ in shown], means, width,
                 yerr=errors, capsize=3, label=system)
    names = [textwrap.fill(AXES[axis][0] if axis in AXES else "preferred (share won)", 16) for axis in axes]
    plot.set_xticks(range(len(axes)), names)
    plot.set_ylim(0, 5.5 if results.mode == "ratings" else 1.1)
    plot.set_ylabel("mean rating (1-5), 95% CI" if results.mode == "ratings" else "share of comparisons won, 95% CI")
    plot.set_title(f"listening test {results.test_id}: {len(results.listeners)} listeners")
    plot.legend(fontsize=8)
    figure.tight_layout()
    with atomic_path(Path(path)) as temporary:
        figure.savefig(temporary, dpi=100, format="png")
    plt.close(figure)
