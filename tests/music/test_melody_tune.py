"""The rule melody as a tune: a motif that recurs, bar rhythms that repeat, steps, a line that keeps its
direction, a register above the accompaniment, phrases that breathe and close, a peak where the energy
peaks, quarters under a fast click, and a theme that returns with its scene.

The measure helpers here are the musicianship issue's melody measures, computed from rendered notes."""

from __future__ import annotations

import bisect
from collections import Counter
from functools import cache

import numpy as np
import pytest
from tests.music.synthetic_analysis import build_analysis, random_cuts

from v2m_core.music.theory import is_chord_tone, scale_pitch_classes
from v2m_core.planners import RulePlanner
from v2m_core.renderers import ChordsRenderer, MelodyRenderer
from v2m_core.renderers.melody import FASTEST_NOTE
from v2m_core.music.timing import Grid
from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.midi import Note
from v2m_core.schemas.plan import CompositionPlan, PlannedChord

STYLES = ("pop", "cinematic", "ambient", "electronic")
SEEDS = (0, 1, 2)
HEARD_AFTER = 0.03
"""Seconds after a melody onset at which the accompaniment heard with it is taken."""


def intervals(notes: list[Note]) -> list[int]:
    """Semitones between successive melody notes (the melody is one line, in time order)."""
    pitches = [n.pitch for n in sorted(notes, key=lambda n: n.start)]
    return [b - a for a, b in zip(pitches, pitches[1:])]


def recurring_pattern_share(notes: list[Note]) -> float:
    """Share of three-interval patterns (tuples of 3 successive intervals) that occur more than once."""
    steps = intervals(notes)
    patterns = [tuple(steps[i:i + 3]) for i in range(len(steps) - 2)]
    counts = Counter(patterns)
    return sum(counts[p] > 1 for p in patterns) / len(patterns) if patterns else 0.0


def bar_rhythms(notes: list[Note], plan: CompositionPlan) -> dict[int, tuple[int, ...]]:
    """Each bar's onsets on the sixteenth grid (beat position x 4), by bar, for bars where the melody
    starts a note."""
    beats = plan.beats
    times = [b.time for b in beats]
    by_bar: dict[int, set[int]] = {}
    for note in notes:
        beat = beats[max(0, bisect.bisect_right(times, note.start + 1e-6) - 1)]
        sixteenth = round(4 * (beat.position + (note.start - beat.time) / beat.duration))
        by_bar.setdefault(beat.bar, set()).add(sixteenth)
    return {bar: tuple(sorted(onsets)) for bar, onsets in sorted(by_bar.items())}


def repeated_rhythm_share(notes: list[Note], plan: CompositionPlan) -> float:
    """Share of bars whose onset pattern on the sixteenth grid equals another bar's."""
    rhythms = list(bar_rhythms(notes, plan).values())
    counts = Counter(rhythms)
    return sum(counts[r] > 1 for r in rhythms) / len(rhythms) if rhythms else 0.0


def step_share(notes: list[Note]) -> float:
    """Share of intervals of at most a whole tone (repeated notes count as steps)."""
    steps = intervals(notes)
    return sum(abs(s) <= 2 for s in steps) / len(steps) if steps else 0.0


def reversal_share(notes: list[Note]) -> float:
    """Share of successive pairs of moving intervals that change direction (repeated notes are skipped,
    so a line cannot lower its count by repeating pitches)."""
    moving = [s for s in intervals(notes) if s != 0]
    pairs = list(zip(moving, moving[1:]))
    return sum(a * b < 0 for a, b in pairs) / len(pairs) if pairs else 0.0


def above_accompaniment_share(notes: list[Note], accompaniment: list[Note]) -> float:
    """Share of melody notes higher than every accompaniment note sounding `HEARD_AFTER` after they start
    (what is heard with the note); notes over silence are not judged."""
    judged = above = 0
    for note in notes:
        instant = note.start + HEARD_AFTER
        sounding = [n.pitch for n in accompaniment if n.start <= instant < n.end]
        if sounding:
            judged += 1
            above += note.pitch > max(sounding)
    return above / judged if judged else 1.0


def tune_measures(plan: CompositionPlan, seed: int = 0) -> dict[str, float]:
    """The issue's five melody measures for `plan` rendered with `seed`."""
    melody, chords = rendered(plan, seed)
    return {"patterns": recurring_pattern_share(melody), "rhythms": repeated_rhythm_share(melody, plan),
            "steps": step_share(melody), "reversals": reversal_share(melody),
            "above": above_accompaniment_share(melody, chords)}


@cache
def rule_plan(style: str, seed: int, calm: bool = False, duration: float = 60.0) -> CompositionPlan:
    """A rules plan for a generated video with cuts every 0.6..9 s, calm and dark or lively and bright."""
    analysis = build_analysis(duration, random_cuts(duration, seed), calm)
    return RulePlanner().plan(analysis, ComposeConfig(style=style, seed=seed))


def rendered(plan: CompositionPlan, seed: int = 0) -> tuple[list[Note], list[Note]]:
    """Melody and chords notes of `plan`."""
    melody = MelodyRenderer().render(plan, np.random.default_rng(seed))[0].notes
    chords = ChordsRenderer().render(plan, np.random.default_rng(seed))[0].notes
    return melody, chords


def alternating_analysis(duration: float, seed: int, calm_spans: list[tuple[int, int]]) -> VideoAnalysis:
    """A lively, bright video whose seconds in `calm_spans` are calm and dark, with a cut at each change."""
    changes = [float(t) for span in calm_spans for t in span if 0 < t < duration]
    cuts = sorted(set(random_cuts(duration, seed) + changes))
    lively, calm = build_analysis(duration, cuts), build_analysis(duration, cuts, calm=True)
    data = lively.model_dump()
    for name in ("motion", "brightness", "saturation", "colourfulness", "valence", "arousal", "emotion"):
        for second in range(lively.seconds):
            if any(start <= second < end for start, end in calm_spans):
                data[name][second] = getattr(calm, name)[second]
    return VideoAnalysis.model_validate(data)


def test_measures_on_made_up_lines() -> None:
    """The helpers count what they claim: a repeated figure recurs, a scale steps without turning."""
    def line(pitches: list[int], step: float = 0.5) -> list[Note]:
        return [Note(pitch=p, start=i * step, end=(i + 1) * step, velocity=80) for i, p in enumerate(pitches)]

    figure = [60, 62, 64, 60]
    assert recurring_pattern_share(line(figure * 3)) == 1.0
    assert recurring_pattern_share(line([60, 62, 67, 65, 72, 71, 60, 55])) == 0.0
    scale = line([60, 62, 64, 65, 67, 69, 71, 72])
    assert step_share(scale) == 1.0 and reversal_share(scale) == 0.0
    assert reversal_share(line([60, 64, 60, 64, 64, 60])) == 1.0
    pad = [Note(pitch=67, start=0.0, end=4.0, velocity=60)]
    assert above_accompaniment_share(line([72, 67, 60, 70]), pad) == 0.5


@pytest.mark.parametrize("style", STYLES)
def test_melody_meets_the_tune_targets(style: str) -> None:
    """The issue's targets on lively and calm plans of the style: per plan for bar rhythms, steps and
    register. Reversals: at most the issue's 50% on average, and at most 55% in any plan (a phrase
    restated note for note brings its turns back with it, so one zigzag theme counts twice). Recurring
    patterns depend on how much the harmony repeats under the tune, so they are judged on means: the
    issue's 40% over all styles (`test_patterns_recur_across_styles`), 30% for each style here."""
    runs = [tune_measures(rule_plan(style, seed, calm), seed) for seed in SEEDS for calm in (False, True)]
    for measures in runs:
        assert measures["rhythms"] >= 0.5, measures
        assert measures["steps"] >= 0.55, measures
        assert measures["reversals"] <= 0.55, measures
        assert measures["above"] >= 0.9, measures
    assert np.mean([m["reversals"] for m in runs]) <= 0.5
    assert np.mean([m["patterns"] for m in runs]) >= 0.3


def test_patterns_recur_across_styles() -> None:
    """Over every style's plans, at least 40% of the tune's three-interval patterns recur on average."""
    shares = [tune_measures(rule_plan(style, seed, calm), seed)["patterns"]
              for style in STYLES for seed in SEEDS for calm in (False, True)]
    assert np.mean(shares) >= 0.4


@pytest.mark.parametrize("style", STYLES)
def test_chord_tones_on_strong_beats_and_dissonances_resolve_by_step(style: str) -> None:
    """Beats 0 and 2 carry chord tones, or now and then an appoggiatura that resolves by step to a chord
    tone; a note outside its chord (a passing or neighbour note, an appoggiatura on beat 1 or 3) is left
    by step to another pitch, and such notes are a minority (under 40%)."""
    for seed in SEEDS[:2]:
        plan = rule_plan(style, seed)
        grid = Grid(plan)
        melody = rendered(plan, seed)[0]
        strong = np.array([b.time for b in plan.beats if b.position % 2 == 0])
        outside = on_strong = appoggiaturas = 0
        for note, following in zip(melody, [*melody[1:], None]):
            accented = np.min(np.abs(strong - note.start)) < 1e-6
            on_strong += accented
            if is_chord_tone(note.pitch, grid.chord_at(note.start)):
                continue
            outside += 1
            assert following is not None and 0 < abs(following.pitch - note.pitch) <= 2, note
            if accented:
                appoggiaturas += 1
                assert is_chord_tone(following.pitch, grid.chord_at(following.start)), note
        assert outside <= 0.4 * len(melody) and appoggiaturas <= 0.2 * on_strong


@pytest.mark.parametrize("style", STYLES)
def test_phrases_breathe_at_half_phrases_and_close_on_stable_tones(style: str) -> None:
    """Each half phrase ends on a chord tone followed by a rest; a phrase of four bars or more rests in its
    middle on a tone other than the tonic (a question) and ends on the tonic, the key's third or fifth or
    its chord's root (an answer)."""
    for seed in SEEDS[:2]:
        plan = rule_plan(style, seed)
        grid = Grid(plan)
        melody = rendered(plan, seed)[0]
        tonic, third, fifth = (scale_pitch_classes(plan.key)[i] for i in (0, 2, 4))
        beat = plan.beats[len(plan.beats) // 2].duration
        playing = {bar.index for bar in grid.playing_bars("melody")}
        checked = 0
        for phrase in plan.phrases:
            bars = range(phrase.first_bar, phrase.first_bar + phrase.bars)
            if phrase.bars < 4 or not set(bars) <= playing:
                continue
            inside = [n for n in melody if phrase.start - 1e-6 <= n.start < phrase.end - 1e-6]
            rests = [a for a, b in zip(inside, [*inside[1:], None]) if (b.start if b else phrase.end) - a.end >= beat]
            assert len(rests) >= 2, phrase
            for note in rests:
                assert is_chord_tone(note.pitch, grid.chord_at(note.start)), note
            question, answer = rests[0], inside[-1]
            assert question.pitch % 12 != tonic, question
            assert answer.pitch % 12 in (tonic, third, fifth, grid.chord_at(answer.start).root), answer
            checked += 1
        assert checked >= 2


def test_each_section_peaks_in_its_most_energetic_phrase() -> None:
    """Where a section has several melody phrases, the phrase holding its most energetic bar reaches the
    section's highest note, and in most sections it alone does (a section whose chords leave the tune
    little room above them may tie)."""
    holds = alone = sections = 0
    for style in STYLES:
        for seed in SEEDS:
            plan = rule_plan(style, seed, duration=90.0)
            grid = Grid(plan)
            melody = rendered(plan, seed)[0]
            highest: dict[tuple[int, int], int] = {}
            energy: dict[tuple[int, int], float] = {}
            for bar in grid.playing_bars("melody"):
                phrase = grid.phrase(bar)
                assert phrase is not None
                key = (bar.section, phrase.first_bar)
                pitches = [n.pitch for n in melody if bar.start - 1e-6 <= n.start < bar.end - 1e-6]
                highest[key] = max([highest.get(key, 0), *pitches])
                energy[key] = max(energy.get(key, 0.0), grid.bar_energy(bar))
            for section in {section for section, _ in highest}:
                phrases = [key for key in highest if key[0] == section]
                if len(phrases) < 2:
                    continue
                peak = max(phrases, key=lambda key: (energy[key], -key[1]))
                top = max(highest[key] for key in phrases)
                sections += 1
                holds += highest[peak] == top
                alone += all(highest[key] < top for key in phrases if key != peak)
    assert sections >= 20
    assert holds >= 0.9 * sections and alone >= 0.8 * sections


def test_under_a_fast_click_the_tune_moves_in_quarters_and_density_follows_energy() -> None:
    """A double-time click (beats under 2 x FASTEST_NOTE) gets onsets on beats only; a lively plan has
    more melody notes per bar than a calm one."""
    per_bar = {}
    for calm in (False, True):
        plan = rule_plan("pop", 0, calm)
        grid = Grid(plan)
        melody = rendered(plan)[0]
        times = np.array([b.time for b in plan.beats])
        fast = [n for n in melody if plan.beats[int(np.searchsorted(times, n.start + 1e-6)) - 1].duration
                < 2 * FASTEST_NOTE]
        assert fast
        assert all(np.min(np.abs(times - n.start)) < 1e-6 for n in fast)
        per_bar[calm] = len(melody) / len(grid.playing_bars("melody"))
    assert per_bar[False] > per_bar[True]


@pytest.mark.parametrize("style", STYLES)
def test_the_theme_returns_when_a_similar_scene_returns(style: str) -> None:
    """A section like an earlier one (same emotion, energy within 0.15) opens with that section's motif:
    its first phrase has the same bar rhythms, and its pitches follow the same shape (they correlate far
    more than those of sections that differ)."""
    similar: list[float] = []
    different: list[float] = []
    for seed in range(4):
        plan = RulePlanner().plan(alternating_analysis(80.0, seed, [(20, 40), (60, 80)]),
                                  ComposeConfig(style=style, seed=seed))
        grid = Grid(plan)
        melody = rendered(plan, seed)[0]
        rhythms = bar_rhythms(melody, plan)
        first = {}
        for bar in grid.playing_bars("melody"):
            phrase = grid.phrase(bar)
            assert phrase is not None
            first.setdefault(bar.section, phrase)
        for earlier, later in ((a, b) for a in first for b in first if a < b):
            then, now = first[earlier], first[later]
            if then.bars != now.bars:
                continue
            a, b = plan.sections[earlier], plan.sections[later]
            pitches = [[n.pitch for n in melody if p.start - 1e-6 <= n.start < p.end - 1e-6] for p in (then, now)]
            count = min(map(len, pitches))
            correlation = float(np.corrcoef(pitches[0][:count], pitches[1][:count])[0, 1]) if count > 2 else 0.0
            if a.emotion == b.emotion and abs(a.energy - b.energy) <= 0.15:
                assert [rhythms.get(then.first_bar + i) for i in range(then.bars)] == \
                    [rhythms.get(now.first_bar + i) for i in range(now.bars)]
                similar.append(correlation)
            else:
                different.append(correlation)
    assert similar and different
    assert np.mean(similar) >= 0.5 and np.mean(similar) > np.mean(different) + 0.3


def _first_bar_rhythms(duration: float, seed: int, calm_spans: list[tuple[int, int]]) -> list[tuple[int, ...]]:
    """The melody's rhythm in the first bar of each section (a statement of its motif), on the quarter grid."""
    plan = RulePlanner().plan(alternating_analysis(duration, seed, calm_spans), ComposeConfig(style="pop", seed=seed))
    rhythms = bar_rhythms(rendered(plan, seed)[0], plan)
    firsts: dict[int, int] = {}
    for bar in Grid(plan).playing_bars("melody"):
        firsts.setdefault(bar.section, bar.index)
    return [tuple(sorted({4 * (s // 4) for s in rhythms[bar]})) for bar in firsts.values() if bar in rhythms]


def test_a_short_film_is_built_on_one_theme_and_a_longer_one_on_contrasts() -> None:
    """Under a minute, a calm, dark middle section restates the opening motif (one theme); over two and a
    half minutes, such a section states a motif of its own."""
    for seed in range(3):
        short = _first_bar_rhythms(45.0, seed, [(15, 30)])
        assert len(short) >= 3 and len(set(short)) == 1, short
    assert any(len(set(_first_bar_rhythms(150.0, seed, [(50, 100)]))) > 1 for seed in range(3))


def test_a_period_heard_again_after_a_cut_changed_its_first_chord_is_sung_again() -> None:
    """The planner restates periods, but where one starts on a cut it changes the first chord (every cut
    changes chord). The tune still knows the phrase: after that first chord, its notes are the ones sung
    before (a section's peak phrase, which must top the others, and the intro, which has no tune, aside)."""
    def sound(chord: PlannedChord) -> str:
        return chord.label.split("/")[0]

    heard_again = []
    for style in STYLES:
        for seed in SEEDS:
            for calm in (False, True):
                plan = rule_plan(style, seed, calm)
                melody = rendered(plan, seed)[0]
                chords = [[c for c in plan.chords if p.start - 1e-6 <= c.start < p.end - 1e-6] for p in plan.phrases]
                for j, later in enumerate(plan.phrases):
                    for i, earlier in enumerate(plan.phrases[:j]):
                        a, b = chords[i], chords[j]
                        if (earlier.function == "intro" or later.function in ("peak", "ending") or earlier.bars != later.bars
                                or len(a) < 2 or len(a) != len(b) or sound(a[0]) == sound(b[0])
                                or [sound(c) for c in a[1:]] != [sound(c) for c in b[1:]]):
                            continue
                        then, now = ([n.pitch for n in melody if chord[1].start - 1e-6 <= n.start < phrase.end - 1e-6]
                                     for chord, phrase in ((a, earlier), (b, later)))
                        heard_again.append(then == now)
    assert len(heard_again) >= 5 and np.mean(heard_again) >= 0.6, heard_again
