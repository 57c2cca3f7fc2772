"""The built-in renderers: bounds, determinism, harmony rules, grooves, fills, crashes and dynamics."""

from __future__ import annotations

import numpy as np
import pytest
from tests.music.synthetic_analysis import build_analysis, random_cuts

from v2m_core.interfaces.renderer import MusicRenderer
from v2m_core.planners import RulePlanner
from v2m_core.renderers import BassRenderer, ChordsRenderer, DrumsRenderer, MelodyRenderer
from v2m_core.renderers.drums import CRASH, TOMS
from v2m_core.music.timing import Grid
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.midi import MidiTrack
from v2m_core.schemas.plan import CompositionPlan, PlannedChord

RENDERERS: tuple[type[MusicRenderer], ...] = (ChordsRenderer, BassRenderer, MelodyRenderer, DrumsRenderer)
STYLES = ("cinematic", "pop", "ambient", "electronic")


def make_plan(duration: float, cuts: list[float] | None = None, calm: bool = False,
              **request: object) -> CompositionPlan:
    return RulePlanner().plan(build_analysis(duration, cuts, calm), ComposeConfig(**request))


def render(renderer: type[MusicRenderer], plan: CompositionPlan, seed: int = 0) -> MidiTrack:
    tracks = renderer().render(plan, np.random.default_rng(seed))
    assert len(tracks) == 1 and tracks[0].role == renderer.role == renderer.name
    return tracks[0]


def chord_at(plan: CompositionPlan, time: float) -> PlannedChord:
    return next(c for c in reversed(plan.chords) if c.start <= time + 1e-6)


def strong_beats(plan: CompositionPlan) -> list[float]:
    return [b.time for b in plan.beats if b.position in (0, 2)]


def starting_at(track: MidiTrack, times: list[float]) -> list:
    wanted = np.asarray(times)
    return [n for n in track.notes if wanted.size and np.min(np.abs(wanted - n.start)) < 1e-6]


PLANS = {
    "lively": lambda: make_plan(90.0, random_cuts(90.0, 3)),
    "calm": lambda: make_plan(90.0, random_cuts(90.0, 3), calm=True),
    "one-second": lambda: make_plan(1.0),
    "two-seconds": lambda: make_plan(2.0),
    "no-cuts": lambda: make_plan(25.0),
    **{style: (lambda s=style: make_plan(60.0, random_cuts(60.0, 5), style=s)) for style in STYLES},
}


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
@pytest.mark.parametrize("case", list(PLANS))
def test_notes_are_inside_the_video(renderer: type[MusicRenderer], case: str) -> None:
    plan = PLANS[case]()
    track = render(renderer, plan)
    silent_kit = renderer is DrumsRenderer and (case == "calm" or plan.duration < 3)  # the form rests the kit
    assert bool(track.notes) != silent_kit
    assert all(0 <= n.start < n.end <= plan.duration + 1e-9 for n in track.notes)
    assert track.is_drum == (renderer is DrumsRenderer)


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
def test_same_seed_same_track_different_seed_differs(renderer: type[MusicRenderer]) -> None:
    plan = make_plan(60.0, random_cuts(60.0, 2))
    assert render(renderer, plan, 4) == render(renderer, plan, 4)
    if renderer is not ChordsRenderer:
        assert render(renderer, plan, 4) != render(renderer, plan, 5)
    if renderer is not DrumsRenderer:
        reseeded = make_plan(60.0, random_cuts(60.0, 2), seed=1)
        assert render(renderer, reseeded, 4) != render(renderer, plan, 4)


@pytest.mark.parametrize("case", ["lively", "calm", "no-cuts", *STYLES])
def test_melody_plays_chord_tones_on_strong_beats(case: str) -> None:
    plan = PLANS[case]()
    track = render(MelodyRenderer, plan)
    on_strong = starting_at(track, strong_beats(plan))
    assert on_strong
    appoggiaturas = 0
    for note in on_strong:  # a chord tone, or an appoggiatura resolving by step to one
        if note.pitch % 12 not in chord_at(plan, note.start).pitch_classes:
            appoggiaturas += 1
            following = track.notes[track.notes.index(note) + 1]
            assert abs(following.pitch - note.pitch) <= 2 and following.pitch % 12 in chord_at(
                plan, following.start).pitch_classes, note
    assert appoggiaturas <= 0.2 * len(on_strong)
    assert all(60 <= n.pitch <= 84 for n in track.notes)


def test_melody_phrases_breathe() -> None:
    plan = make_plan(60.0, style="pop")
    track = render(MelodyRenderer, plan)
    gaps = [b.start - a.end for a, b in zip(track.notes, track.notes[1:])]
    beat = 60.0 / plan.sections[0].tempo
    assert sum(g >= 0.9 * beat for g in gaps) >= 60.0 / (4 * 4 * beat)


@pytest.mark.parametrize("case", ["lively", "calm", "no-cuts", *STYLES])
def test_bass_plays_the_chord_bass_on_downbeats(case: str) -> None:
    plan = PLANS[case]()
    track = render(BassRenderer, plan)
    grid = Grid(plan)
    playing = [bar.start for bar in grid.playing_bars("bass")]
    assert playing and len(playing) >= 0.6 * len(grid.body_bars)
    on_downbeats = starting_at(track, playing)
    assert len(on_downbeats) == len(playing)
    for note in on_downbeats:
        chord = chord_at(plan, note.start)
        assert note.pitch % 12 in (chord.root, chord.bass)


def test_drums_mark_structural_cuts_only_and_fill_into_sections() -> None:
    plan = make_plan(90.0, random_cuts(90.0, 8, 0.8, 4.0), style="pop")
    track = render(DrumsRenderer, plan)
    structural = plan.structural_cuts()
    assert len(structural) >= 2 and len(structural) < 0.4 * len(plan.cuts)
    crashes = [n.start for n in track.notes if n.pitch == CRASH]
    grid = Grid(plan)
    marked = [cut for cut in structural if grid.plays("drums", grid.bars[next(b.bar for b in plan.beats if b.time >= cut - 1e-6)])]
    assert marked and all(any(abs(c - cut) < 1e-6 for c in crashes) for cut in marked)
    passing = [h.time for h in plan.hits if not h.structural]
    assert not any(min(abs(c - t) for t in passing) < 1e-3 for c in crashes)
    assert len(crashes) <= len(structural) + 1  # and the ending
    fills = sorted({next(b.bar for b in reversed(plan.beats) if b.time <= n.start + 1e-6) for n in track.notes
                    if n.pitch in TOMS})
    assert fills and all(plan.beats[[b.bar for b in plan.beats].index(f + 1)].time in structural for f in fills)
    assert len(fills) <= 0.25 * len(grid.bars)


def test_quiet_intro_then_parts_enter_at_phrase_starts() -> None:
    plan = make_plan(90.0, random_cuts(90.0, 8, 0.8, 4.0), style="pop")
    intro = plan.phrases[0]
    assert intro.function == "intro" and "drums" not in intro.parts and "melody" not in intro.parts
    tracks = {r.role: render(r, plan) for r in RENDERERS}
    assert min(n.start for n in tracks["chords"].notes) == 0.0
    assert min(n.start for n in tracks["melody"].notes) >= intro.end - 1e-6
    assert min(n.start for n in tracks["drums"].notes) >= intro.end - 1e-6
    starts = {p.start for p in plan.phrases}
    for role in ("melody", "drums"):
        first = min(n.start for n in tracks[role].notes)
        assert any(abs(first - s) < 1e-6 for s in starts), role


def test_groove_styles_differ() -> None:
    cuts = random_cuts(40.0, 9, 4.0, 9.0)
    kicks = {}
    for style in ("pop", "electronic", "cinematic"):
        plan = make_plan(40.0, cuts, style=style)
        track = render(DrumsRenderer, plan)
        kicks[style] = sum(n.pitch == 36 for n in track.notes) / len([b for b in plan.beats])
    assert kicks["electronic"] > kicks["pop"] > kicks["cinematic"]


def test_calm_video_is_sparser_than_lively_one() -> None:
    calm, lively = PLANS["calm"](), PLANS["lively"]()
    for renderer in RENDERERS:
        assert len(render(renderer, calm).notes) < len(render(renderer, lively).notes)
    calm_melody, lively_melody = render(MelodyRenderer, calm), render(MelodyRenderer, lively)
    assert np.mean([n.velocity for n in calm_melody.notes]) < np.mean([n.velocity for n in lively_melody.notes])


def test_ending_holds_the_final_chord_and_fades() -> None:
    plan = make_plan(30.0, [10.0, 20.0])
    chords = render(ChordsRenderer, plan)
    final = plan.chords[-1]
    held = [n for n in chords.notes if n.start == final.start]
    assert {n.pitch % 12 for n in held} == set(final.pitch_classes)
    assert all(n.end == pytest.approx(plan.duration) for n in held)
    grid = Grid(plan)
    assert grid.fade(plan.duration - 0.1) < grid.fade(plan.duration - plan.fade_out) == 1.0
    drums = render(DrumsRenderer, plan)
    hats = [n for n in drums.notes if n.pitch == 42]
    late = [n.velocity for n in hats if n.start > plan.duration - 1.0]
    early = [n.velocity for n in hats if n.start < plan.duration - plan.fade_out]
    assert not late or max(late) < np.mean(early)


def test_instrument_programs_come_from_the_plan() -> None:
    plan = make_plan(20.0, instruments={"melody": 40, "bass": 32, "chords": 19})
    assert [render(r, plan).program for r in (MelodyRenderer, BassRenderer, ChordsRenderer)] == [40, 32, 19]


def test_chord_voicings_follow_the_chords() -> None:
    plan = make_plan(40.0, random_cuts(40.0, 6), style="pop")
    track = render(ChordsRenderer, plan)
    for note in track.notes:
        assert note.pitch % 12 in chord_at(plan, note.start).pitch_classes
        assert 50 <= note.pitch <= 74 + 12


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
@pytest.mark.parametrize("case", ["lively", "calm", "electronic", "ambient"])
def test_notes_of_one_pitch_never_overlap(renderer: type[MusicRenderer], case: str) -> None:
    plan = PLANS[case]()
    by_pitch: dict[int, list] = {}
    for note in render(renderer, plan).notes:
        by_pitch.setdefault(note.pitch, []).append(note)
    for notes in by_pitch.values():
        for before, after in zip(notes, notes[1:]):
            assert after.start >= before.end - 1e-9


def test_the_form_shapes_dynamics_a_build_swells_to_the_peak() -> None:
    plan = make_plan(90.0, random_cuts(90.0, 8, 0.8, 4.0), style="pop")
    grid = Grid(plan)
    functions = {p.function: p for p in plan.phrases}
    assert {"intro", "peak", "ending"} <= set(functions)
    peak, intro = functions["peak"], functions["intro"]
    assert grid.shape(peak.start) > grid.shape(intro.start)
    builds = [p for p in plan.phrases if p.function == "build"]
    for phrase in builds:
        assert grid.shape(phrase.end - 0.01) > grid.shape(phrase.start)
    flat = plan.model_copy(update={"energy": [0.5] * len(plan.energy)})
    flat_grid = Grid(flat)
    assert flat_grid.velocity(peak.start + 0.01, 40, 100) > flat_grid.velocity(intro.start + 0.01, 40, 100)
