"""Grooves that hold and a bass that locks: drum patterns per phrase, fills, the kit following the form,
swing, light marks, and the bass on the kicks, legato."""

from __future__ import annotations

import bisect

import numpy as np
import pytest
from tests.music.synthetic_analysis import build_analysis, random_cuts

from v2m_core.evaluation.pulse import bar_bounds, drum_patterns_per_window, is_fill
from v2m_core.music.grooves import DRIVING_FROM, HOLD, SILENT, groove_energy, groove_pattern, phrase_end, swung
from v2m_core.music.styles import PRESETS
from v2m_core.planners import RulePlanner
from v2m_core.renderers import BassRenderer, DrumsRenderer
from v2m_core.renderers.drums import CRASH, KICK, SIDE_STICK, SNARE, SPLASH, TOMS, bar_grooves, kit_plays
from v2m_core.music.timing import Bar, Grid
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.midi import Note
from v2m_core.schemas.plan import CompositionPlan

STYLES = tuple(PRESETS)
HATS = (42, 46, 51)
TICK = 1e-6


def montage(seed: int, style: str, calm: bool = False, swing_energy: bool = False) -> CompositionPlan:
    """A rules plan of a 60 s montage with short shots; `swing_energy` makes the picture's energy rise and
    fall every 23 s, so the kit and the grooves have something to follow."""
    analysis = build_analysis(60.0, random_cuts(60.0, seed, 0.6, 4.0), calm)
    if swing_energy:
        wave = 0.85 * np.sin(2 * np.pi * np.arange(analysis.seconds) / 23.0 + seed)
        analysis = analysis.model_copy(update={"arousal": list(wave), "motion": list(0.12 + 0.1 * wave)})
    return RulePlanner().plan(analysis, ComposeConfig(style=style))


def drums(plan: CompositionPlan, seed: int = 0) -> list[Note]:
    return DrumsRenderer().render(plan, np.random.default_rng(seed))[0].notes


def bass(plan: CompositionPlan, seed: int = 0) -> list[Note]:
    return sorted(BassRenderer().render(plan, np.random.default_rng(seed))[0].notes, key=lambda n: n.start)


def inside(notes: list[Note], bar: Bar) -> list[Note]:
    return [n for n in notes if bar.start - TICK <= n.start < bar.end - TICK]


def bar_pattern(notes: list[Note], bar: Bar) -> frozenset[tuple[int, float]]:
    """Kick, snare and hi-hat/ride strokes of a bar as (voice, beats from the downbeat)."""
    voices = {KICK: 0, SNARE: 1, SIDE_STICK: 1, 42: 2, 46: 2, 51: 3}
    times = [b.time for b in bar.beats]
    return frozenset((voices[n.pitch], round(i + (n.start - times[i]) / bar.beats[i].duration, 3))
                     for n in inside(notes, bar) if n.pitch in voices
                     for i in [bisect.bisect_right(times, n.start + TICK) - 1])


@pytest.mark.parametrize("calm", [False, True], ids=["lively", "calm"])
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("style", STYLES)
def test_a_groove_holds_and_fills_are_rare(style: str, seed: int, calm: bool) -> None:
    plan = montage(seed, style, calm)
    notes = drums(plan)
    starts = np.array([n.start for n in notes])
    pitches = np.array([n.pitch for n in notes], dtype=int)
    beats = np.array([b.time for b in plan.beats])
    bars = bar_bounds(beats, np.array(plan.downbeats()))
    grid = Grid(plan)
    if any(kit_plays(grid, bar) for bar in grid.body_bars):  # a calm cinematic or ambient piece rests the kit
        assert sum(kit_plays(grid, bar) for bar in grid.bars) >= 0.5 * len(grid.bars)
    assert drum_patterns_per_window(bars, starts, pitches) <= 2.5
    assert np.mean([is_fill(bar, starts, pitches) for bar in bars]) <= 0.25


@pytest.mark.parametrize(("style", "least_switches"), [("ambient", 3), ("cinematic", 1), ("pop", 1)])
def test_the_kit_enters_and_leaves_only_where_the_form_says(style: str, least_switches: int) -> None:
    """The drums sound in exactly the bars the form gives them, so they switch no more than its phrases."""
    plan = montage(1, style, swing_energy=True)
    grid = Grid(plan)
    notes = drums(plan)
    body = grid.body_bars
    heard = [bool(inside(notes, bar)) for bar in body]
    planned = [kit_plays(grid, bar) for bar in body]
    assert heard == planned
    switches = sum(a != b for a, b in zip(heard, heard[1:]))
    phrase_switches = sum(("drums" in a.parts) != ("drums" in b.parts) for a, b in zip(plan.phrases, plan.phrases[1:]))
    assert least_switches <= switches <= phrase_switches


def test_a_groove_near_a_threshold_does_not_flicker() -> None:
    """Phrases alternating either side of the energy where the pop groove starts to drive keep one groove."""
    plan = montage(1, "pop")
    low, high = DRIVING_FROM - 0.6 * HOLD, DRIVING_FROM + 0.6 * HOLD
    assert groove_pattern("straight", "full", low, 4) != groove_pattern("straight", "full", high, 4)
    starts = [p.start for p in plan.phrases]
    energy = [(high, low)[(bisect.bisect_right(starts, second) - 1) % 2] for second in range(len(plan.energy))]
    plan = plan.model_copy(update={"energy": energy,
                                   "sections": [s.model_copy(update={"energy": DRIVING_FROM}) for s in plan.sections]})
    grid = Grid(plan)
    grooves = bar_grooves(grid)
    plain = {grooves[bar.index].pattern for bar in grid.body_bars
             if kit_plays(grid, bar) and bar.index + 1 not in {p.first_bar for p in plan.phrases}}
    assert len(plain) == 1


def test_groove_energy_follows_clear_moves_only() -> None:
    assert groove_energy(None, 0.9, 0.5) == pytest.approx(0.6)  # a phrase stays near its section
    held = groove_energy(0.5, 0.5 + 0.9 * HOLD, 0.5 + 0.9 * HOLD)
    assert held == 0.5
    assert groove_energy(0.5, 0.8, 0.8) == pytest.approx(0.8 - HOLD)


@pytest.mark.parametrize("groove", ["straight", "half-time", "four-on-the-floor"])
@pytest.mark.parametrize("feel", ["light", "full"])
@pytest.mark.parametrize("energy", [0.5, 0.9])
def test_a_phrase_end_changes_one_stroke_and_is_no_fill(groove: str, feel: str, energy: float) -> None:
    pattern = groove_pattern(groove, feel, energy, 4)
    varied = phrase_end(pattern, groove, 4, pattern.hat_step)
    added = [(set(getattr(varied, f)) - set(getattr(pattern, f))) for f in ("kicks", "snares", "open_hats")]
    assert sum(len(a) for a in added) == 1 and all(o == 3.5 for a in added for o in a)
    assert len([s for s in varied.snares if s >= 3.0]) < 3


def test_swing_delays_the_second_stroke_of_each_pair_only() -> None:
    assert swung(1.0, 0.5, 0.6) == 1.0 and swung(1.5, 0.5, 0.6) == pytest.approx(1.6)
    assert swung(1.25, 0.25, 0.6) == pytest.approx(1.3) and swung(1.5, 0.25, 0.6) == 1.5
    assert swung(1.5, 0.5, 0.5) == 1.5


@pytest.mark.parametrize("style", STYLES)
def test_swing_moves_off_beat_strokes_and_nothing_on_the_beat(style: str) -> None:
    """Where each groove stroke falls within its beat: on it, or on a straight or the style's swung
    subdivision (fills play straight sixteenths of their own and are left out)."""
    plan = montage(3, style, swing_energy=style == "ambient")
    swing = PRESETS[style].swing
    swung_places = {round(p, 4) for p in (swing, 0.5 * swing, 0.5 + 0.5 * swing)}
    allowed = {0.0, 0.5, *swung_places} if swing > 0.5 else {0.0, 0.25, 0.5, 0.75}
    times = [b.time for b in plan.beats]
    notes = drums(plan)
    fills = {bar.index for bar in Grid(plan).bars if any(n.pitch in TOMS for n in inside(notes, bar))}
    places: dict[bool, set[float]] = {True: set(), False: set()}
    for note in notes:
        beat = plan.beats[bisect.bisect_right(times, note.start + TICK) - 1]
        if note.pitch not in (CRASH, SPLASH, *TOMS) and beat.bar not in fills:
            places[note.pitch in HATS].add(round((note.start - beat.time) / beat.duration, 4))
    assert places[True] <= allowed and places[False] <= allowed
    assert swing == 0.5 or places[True] & swung_places  # a swung style's off-beat hats do swing


def test_light_marks_keep_the_groove() -> None:
    plan = montage(3, "pop")
    grid = Grid(plan)
    notes = drums(plan)
    splashes = [n.start for n in notes if n.pitch == SPLASH]
    phrase_firsts = {p.first_bar for p in plan.phrases}
    marked = [bar for bar in grid.body_bars if grid.light_hits(bar) and kit_plays(grid, bar)]
    assert marked and len(splashes) >= len(marked)
    compared = 0
    for bar in marked:
        if bar.index in phrase_firsts or bar.index + 1 in phrase_firsts:
            continue  # a phrase's first bar follows another phrase; its last bar is varied
        assert bar_pattern(notes, bar) == bar_pattern(notes, grid.bars[bar.index - 1])
        compared += 1
    assert compared


@pytest.mark.parametrize("style", STYLES)
def test_the_bass_locks_to_the_kick_on_strong_beats(style: str) -> None:
    plan = montage(2, style)
    grid = Grid(plan)
    kicks = np.array(sorted(n.start for n in drums(plan) if n.pitch == KICK))
    bass_starts = np.array([n.start for n in bass(plan)])
    changes = np.array([c.start for c in plan.chords])

    def at(onsets: np.ndarray, time: float) -> bool:
        return bool(onsets.size) and float(np.min(np.abs(onsets - time))) < 1e-3

    checked = 0
    for bar in grid.body_bars:
        if bar.length != 4 or not (kit_plays(grid, bar) and grid.plays("bass", bar)):
            continue
        for beat in (bar.beats[0], bar.beats[2]):
            assert at(bass_starts, beat.time) == at(kicks, beat.time) or at(changes, beat.time)
            checked += 1
    assert checked >= 40


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("swing_energy", [False, True], ids=["montage", "rising-and-falling"])
def test_the_bass_is_legato_and_rests_only_on_purpose(style: str, swing_energy: bool) -> None:
    """Each bass note lasts until the next, except rests under a drum fill into a section start or where
    the form rests the bass."""
    plan = montage(1, style, swing_energy=swing_energy)
    grid = Grid(plan)
    line, kit = bass(plan), drums(plan)
    fills = [n.start for n in kit if n.pitch in TOMS]
    structural = plan.structural_cuts()
    rests = 0
    for before, after in zip(line, line[1:]):
        if after.start - before.end <= 0.03:
            continue
        rests += 1
        bar = next(b for b in grid.bars if abs(b.start - after.start) < TICK)
        resting = not grid.plays("bass", grid.bars[bar.index - 1])
        under_fill = any(abs(after.start - c) < TICK for c in structural) and any(
            before.end - TICK <= f < after.start for f in fills)
        assert resting or under_fill
    assert rests <= len(fills)
    assert len(line) >= len(grid.body_bars)


@pytest.mark.parametrize("renderer", [DrumsRenderer, BassRenderer])
def test_same_plan_and_seed_same_groove(renderer: type[DrumsRenderer] | type[BassRenderer]) -> None:
    plan = montage(2, "pop", swing_energy=True)
    first, second = (renderer().render(plan, np.random.default_rng(7))[0] for _ in range(2))
    assert first == second


def test_a_plan_without_phrases_plays_one_groove_per_section() -> None:
    plan = montage(1, "pop")
    plan = plan.model_copy(update={"phrases": []})
    grid = Grid(plan)
    grooves = bar_grooves(grid)
    assert len(grooves) == len(grid.bars)
    for before, after in zip(grid.bars, grid.bars[1:]):
        if before.section == after.section and grooves[before.index].fill_from == before.length:
            assert grooves[before.index].pattern == grooves[after.index].pattern
    assert any(g.pattern is not SILENT for g in grooves)
