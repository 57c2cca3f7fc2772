"""The rule planner: sections on structural cuts, downbeats and chord changes there, tempo, key and overrides."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from tests.music.synthetic_analysis import build_analysis, random_cuts

from v2m_core.errors import UsageError
from v2m_core.music.styles import PRESETS
from v2m_core.music.theory import parse_key
from v2m_core.planners import RulePlanner
from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.plan import CompositionPlan



def plan(analysis: VideoAnalysis, **request: object) -> CompositionPlan:
    return RulePlanner().plan(analysis, ComposeConfig(**request))


def felt_tempo(click: float, style: str) -> float:
    """The pulse a listener feels: a click above the style's range is a double-time click under a half-time feel."""
    return click / 2 if click > PRESETS[style].tempo_range[1] * 1.1 else click


def assert_covers(p: CompositionPlan) -> None:
    """Beats, chords and sections tile [0, duration] without gaps."""
    assert p.beats[0].time == 0.0 and p.beats[0].position == 0
    for before, after in zip(p.beats, p.beats[1:]):
        assert before.time + before.duration == pytest.approx(after.time, abs=1e-6)
        assert after.position == 0 or after.position == before.position + 1
        assert after.bar == before.bar + (after.position == 0)
    assert p.beats[-1].time + p.beats[-1].duration == pytest.approx(p.duration, abs=1e-6)
    assert p.chords[0].start == 0.0 and p.chords[-1].end == pytest.approx(p.duration)
    for before, after in zip(p.chords, p.chords[1:]):
        assert before.end == pytest.approx(after.start)
    assert p.sections[0].start == 0.0 and p.sections[-1].end == pytest.approx(p.duration)
    for before, after in zip(p.sections, p.sections[1:]):
        assert before.end == after.start
    assert p.energy and all(0 <= e <= 1 for e in p.energy)
    assert len(p.emotion) == len(p.energy) and all(sum(row) == pytest.approx(1, abs=1e-3) for row in p.emotion)
    assert 0 <= p.fade_out <= min(2.0, p.duration)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_structural_cuts_start_sections_on_downbeats_with_a_chord_change(seed: int) -> None:
    duration = 240.0
    cuts = random_cuts(duration, seed)
    p = plan(build_analysis(duration, cuts), seed=seed)
    assert_covers(p)
    structural = p.structural_cuts()
    assert [s.start for s in p.sections[1:]] == structural
    assert all(s.starts_at_cut for s in p.sections[1:])
    bounds = [0.0, *structural, duration]
    assert max(b - a for a, b in zip(bounds, bounds[1:])) <= 30.0 + 9.0  # a candidate every 30 s, caught
    for cut in structural:
        assert cut in p.downbeats()
        index = next(i for i, c in enumerate(p.chords) if c.start == cut)
        assert p.chords[index].label != p.chords[index - 1].label
    for section in p.sections:
        bars = {b.bar for b in p.beats if section.start <= b.time < section.end}
        assert len(bars) >= 2
    assert {h.time for h in p.hits} == set(p.cuts) == {c for c in cuts if c >= 0.5}


def test_quick_cuts_ride_the_groove_and_get_at_most_a_light_mark() -> None:
    p = plan(build_analysis(60.0, random_cuts(60.0, 4, 0.6, 2.5)))
    structural = p.structural_cuts()
    assert 1 <= len(structural) <= 4
    assert {h.mark for h in p.hits if not h.structural} <= {"light", "none"}
    assert all(h.mark == "strong" for h in p.hits if h.structural)


@pytest.mark.parametrize(("duration", "cuts"), [(1.0, []), (2.0, []), (1.5, [0.7]), (0.4, []), (30.0, []),
                                                (7.3, [0.2, 3.1])])
def test_short_and_cutless_videos_plan(make_analysis: Callable[..., VideoAnalysis], duration: float, cuts: list[float]) -> None:
    p = plan(make_analysis(duration, cuts))
    assert_covers(p)
    assert p.sections and p.chords and p.beats
    CompositionPlan.model_validate_json(p.model_dump_json())


def test_twenty_minutes_plan_fast() -> None:
    duration = 1200.0
    analysis = build_analysis(duration, random_cuts(duration, 7, 1.0, 11.0))
    assert len(analysis.cuts) >= 180
    p = plan(analysis)
    assert_covers(p)
    assert len(p.structural_cuts()) >= duration / 30.0 * 0.8
    periods = np.diff([b.time for b in p.beats])
    assert np.max(np.abs(periods[1:] / periods[:-1] - 1)) <= 0.1


def test_same_seed_same_plan_and_different_seeds_differ() -> None:
    analysis = build_analysis(60.0, random_cuts(60.0, 4))
    assert plan(analysis, seed=5) == plan(analysis, seed=5)
    variants = {plan(analysis, seed=s).model_dump_json(exclude={"seed"}) for s in range(4)}
    assert len(variants) > 1


def test_calm_dark_video_is_slower_and_minor_lively_bright_is_faster_and_major() -> None:
    cuts = [8.0, 17.0, 30.0]
    calm, lively = plan(build_analysis(40.0, cuts, calm=True)), plan(build_analysis(40.0, cuts))
    assert calm.key.mode == "minor" and lively.key.mode == "major"
    assert max(felt_tempo(s.tempo, calm.style) for s in calm.sections) < min(felt_tempo(s.tempo, lively.style)
                                                                             for s in lively.sections)
    assert max(calm.energy) < min(lively.energy)
    assert {s.emotion for s in calm.sections} == {"sad"} and {s.emotion for s in lively.sections} == {"exciting"}
    assert calm.style != "auto" and lively.style != "auto"


def test_section_emotion_and_energy_follow_the_seconds_they_cover() -> None:
    calm, lively = build_analysis(120.0, calm=True), build_analysis(120.0)
    mixed = calm.model_copy(update={
        "cuts": [60.0], "scene_id": [0] * 60 + [1] * 60,
        "scene_offset": [float(i) for i in range(60)] * 2,
        **{name: getattr(calm, name)[:60] + getattr(lively, name)[60:]
           for name in ("motion", "valence", "arousal", "emotion")},
    })
    p = plan(mixed, style="pop")
    assert [s.emotion for s in p.sections] == ["sad", "exciting"]
    assert p.sections[0].energy < p.sections[1].energy
    low, high = 84, 128  # pop's range: one click for both stretches, inside it (the music keeps time)
    assert all(low * 0.8 <= s.tempo <= high * 1.25 for s in p.sections)
    assert p.sections[1].tempo / p.sections[0].tempo < 1.1


def test_neighbouring_tempi_stay_close() -> None:
    duration = 300.0
    p = plan(build_analysis(duration, random_cuts(duration, 11, 3.0, 9.0)))
    for before, after in zip(p.sections, p.sections[1:]):
        assert max(before.tempo, after.tempo) / min(before.tempo, after.tempo) < 1.3


def test_ending_is_a_held_cadence() -> None:
    for calm in (False, True):
        p = plan(build_analysis(30.0, [10.0, 20.0], calm=calm))
        tonic = p.chords[-1]
        assert tonic.root == p.key.tonic and tonic.end == pytest.approx(p.duration)
        penultimate = (p.key.tonic + (7 if p.key.mode == "major" else 5)) % 12
        assert p.chords[-2].root == penultimate
        assert tonic.start in p.downbeats() and p.duration - tonic.start >= 1.5  # it rings out
        assert 0 < p.fade_out <= 1.0
    assert plan(build_analysis(2.0)).fade_out <= 1.0


def test_overrides_are_honoured() -> None:
    analysis = build_analysis(40.0, [10.0, 21.0, 30.5])
    p = plan(analysis, key="F# minor", tempo=90.0, style="cinematic", instruments={"melody": 73, "pad": 89})
    assert p.key == parse_key("F# minor") and p.style == "cinematic"
    assert p.instruments["melody"] == 73 and p.instruments["pad"] == 89 and "chords" in p.instruments
    assert all(abs(s.tempo - 90.0) / 90.0 < 0.08 for s in p.sections)
    assert [c for c in p.cuts] == [10.0, 21.0, 30.5]


def test_bad_overrides_are_usage_errors() -> None:
    analysis = build_analysis(10.0)
    with pytest.raises(UsageError, match="'Q major'"):
        plan(analysis, key="Q major")
    with pytest.raises(UsageError, match="'baroque'"):
        plan(analysis, style="baroque")
    with pytest.raises(ValidationError, match="instruments.melody"):  # refused by the schema, before any planner
        plan(analysis, instruments={"melody": 300})


def test_the_documented_planner_on_the_shared_timeline_runs() -> None:
    """docs/musical-time.md's worked example, executed as written."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "musical-time.md").read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(code, "musical-time.md", "exec"), namespace)
    planner = namespace["DronePlanner"]()
    analysis = build_analysis(40.0, random_cuts(40.0, 3, 1.0, 5.0))
    drone = planner.plan(analysis, ComposeConfig())
    rules = plan(analysis)
    assert drone.beats == rules.beats and drone.hits == rules.hits and drone.phrases == rules.phrases
    assert {c.label for c in drone.chords} == {"C:maj", "F:maj"}
