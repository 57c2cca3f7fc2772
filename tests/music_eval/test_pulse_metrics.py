"""Measures of musical time on MIDI files with a known tempo map, against plans that believe otherwise.

Every plan here keeps a steady 120 bpm 4/4 grid while the MIDI changes tempo and meter: the measures
must follow the file, so each expected value below is computed by hand from the MIDI's map.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import mido
import numpy as np
import pytest

from tests.compose.conftest import Composed
from v2m_core.evaluation.music import PULSE_METRICS, evaluate_music, evaluate_target
from v2m_core.evaluation.pulse import audio_tempo_error
from v2m_core.evaluation.target import EvalTarget, read_midi
from v2m_core.schemas.plan import Beat, CompositionPlan, Hit, Key, PlannedChord, Section

TICKS = 480
CRASH, CHINA, TOM, SNARE, KICK, HAT = 49, 57, 45, 38, 36, 42

# Map A: 120 bpm for 8 beats (0.5 s), then 100 bpm (0.6 s); a 3/4 bar from beat 12 to 15, then 4/4.
MAP_A_TEMPI = [(0, 120.0), (8, 100.0)]
MAP_A_METERS = [(0, 4), (12, 3), (15, 4)]
MAP_A_BEATS = [0.5 * b for b in range(8)] + [4.0 + 0.6 * b for b in range(16)]  # 24 beats, the last at 13.0 s
MAP_A_DOWNBEATS = [0.0, 2.0, 4.0, 6.4, 8.2, 10.6, 13.0]
MAP_A_END = 13.3  # a held note ends at beat 23.5
MAP_A_DRUMS = [(0, CRASH), (15, CHINA),  # crashes at 0 s and 8.2 s
               (2, TOM),  # 1.0 s: a tom on beat 3 of bar 0 is no fill
               (11.5, TOM),  # 6.1 s: a tom in the last beat (5.8-6.4 s) of bar 2
               (14, SNARE), (14.25, SNARE), (14.5, SNARE),  # 7.6, 7.75, 7.9 s: a snare fill ending the 3/4 bar
               (22, SNARE), (22.5, SNARE),  # 12.4, 12.7 s: two snares are no fill
               (23, TOM)]  # 13.0 s: on the next downbeat, outside the last complete bar


def _write_midi(path: Path, tempi: list[tuple[float, float]], meters: list[tuple[float, int]],
                drums: list[tuple[float, int]], end_beat: float) -> None:
    """Tempo and meter changes and drum hits at positions in quarter notes, plus a held piano note to `end_beat`."""
    events = [(round(b * TICKS), mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm))) for b, bpm in tempi]
    events += [(round(b * TICKS), mido.MetaMessage("time_signature", numerator=n, denominator=4)) for b, n in meters]
    events += [(0, mido.Message("note_on", channel=0, note=60, velocity=80)),
               (round(end_beat * TICKS), mido.Message("note_off", channel=0, note=60))]
    for beat, key in drums:
        events += [(round(beat * TICKS), mido.Message("note_on", channel=9, note=key, velocity=100)),
                   (round(beat * TICKS) + TICKS // 8, mido.Message("note_off", channel=9, note=key))]
    track, now = mido.MidiTrack(), 0
    for tick, message in sorted(events, key=lambda event: (event[0], event[1].type != "set_tempo")):
        track.append(message.copy(time=tick - now))
        now = tick
    midi = mido.MidiFile(ticks_per_beat=TICKS)
    midi.tracks.append(track)
    midi.save(str(path))


def _steady_plan(duration: float, cuts: list[float] = (), hits: list[Hit] = (),
                 sections: list[tuple[float, float]] | None = None, tempo: float = 120.0) -> CompositionPlan:
    """A plan that believes in a steady 4/4 grid at `tempo` throughout."""
    beat = 60 / tempo
    bounds = sections or [(0.0, duration)]
    beats = [Beat(time=i * beat, bar=i // 4, position=i % 4, duration=beat,
                  section=max(k for k, (start, _) in enumerate(bounds) if start <= i * beat))
             for i in range(int(duration / beat))]
    return CompositionPlan(
        duration=duration, key=Key(tonic=0, mode="major"), style="pop", seed=0, planner="test",
        sections=[Section(start=s, end=e, tempo=tempo, emotion="exciting", energy=0.5) for s, e in bounds],
        beats=beats, chords=[PlannedChord(start=0, end=duration, label="C:maj", root=0, pitch_classes=[0, 4, 7], bass=0)],
        cuts=list(cuts), hits=list(hits), energy=[0.5] * math.ceil(duration), instruments={"chords": 0})


@pytest.fixture
def map_a(tmp_path: Path) -> Path:
    """A kept folder: plan.json (steady 120 bpm, cuts and structural hits) and music.mid (map A)."""
    _write_midi(tmp_path / "music.mid", MAP_A_TEMPI, MAP_A_METERS, MAP_A_DRUMS, end_beat=23.5)
    cuts = [2.0, 2.561, 4.0, 4.6, 5.5, 6.0, 7.3, 8.2, 9.0, 12.0]
    hits = [Hit(time=t, strength=0.9, structural=t in (4.0, 6.0, 8.2, 12.0), mark="strong") for t in cuts]
    plan = _steady_plan(MAP_A_END, cuts, hits, sections=[(0.0, 4.0), (4.0, 6.0), (6.0, MAP_A_END)])
    (tmp_path / "plan.json").write_text(plan.model_dump_json(), encoding="utf-8")
    return tmp_path


def test_beats_and_downbeats_come_from_the_midi_tempo_map(map_a: Path) -> None:
    _, beats, downbeats = read_midi(map_a / "music.mid")
    assert beats == pytest.approx(MAP_A_BEATS, abs=1e-6)
    assert downbeats == pytest.approx(MAP_A_DOWNBEATS, abs=1e-6)


def test_measures_follow_the_midi_not_the_plan(map_a: Path) -> None:
    metrics = evaluate_music(map_a).metrics
    minutes = MAP_A_END / 60
    # On a MIDI beat: 2.0, 4.0, 4.6, 8.2; between two MIDI beats: 5.5, 7.3. Off: 2.561 (61 ms), 6.0, 9.0, 12.0,
    # though the plan's grid has a beat at each of them.
    assert metrics["cuts_on_beat"] == 0.4
    assert metrics["cuts_on_eighth"] == 0.6
    # Structural 4.0 and 8.2 are MIDI downbeats; 6.0 and 12.0 are downbeats only in the plan.
    assert metrics["structural_on_downbeat"] == 0.5
    assert metrics["structural_per_30s"] == pytest.approx(4 * 30 / MAP_A_END, abs=1e-4)
    # MIDI downbeats per section: [0, 4) 0 and 2; [4, 6) 4; [6, 13.3) 6.4, 8.2, 10.6 and 13.0.
    assert metrics["shortest_section_bars"] == 1
    # Beat intervals: 0.5 s eight times, then 0.6 s: one jolt of 20%.
    assert metrics["tempo_jolts_per_min"] == pytest.approx(1 / minutes, abs=1e-4)
    assert metrics["largest_jolt"] == pytest.approx(0.2, abs=1e-4)
    assert metrics["tempo_travel_per_min"] == pytest.approx(math.log(1.2) / minutes, abs=1e-4)
    # Six complete bars, one of them in 3/4.
    assert metrics["regular_bars"] == pytest.approx(5 / 6, abs=1e-4)
    assert metrics["crashes_per_min"] == pytest.approx(2 / minutes, abs=1e-4)
    # Fills: the tom in bar 2's last beat and the three snares ending the 3/4 bar.
    assert metrics["fill_bars"] == pytest.approx(2 / 6, abs=1e-4)
    assert metrics["drum_patterns_per_8_bars"] is None  # five 4-beat bars, fewer than a window
    assert metrics["audio_tempo_error"] is None  # no music.wav


def test_steady_music_on_a_steady_plan_meets_the_targets(tmp_path: Path) -> None:
    _write_midi(tmp_path / "music.mid", [(0, 120.0)], [(0, 4)], [(4 * bar, CRASH) for bar in (0, 4)], end_beat=32)
    plan = _steady_plan(16.0, cuts=[2.0, 4.0, 6.25, 8.0], hits=[Hit(time=8.0, strength=1, structural=True)],
                        sections=[(0.0, 8.0), (8.0, 16.0)])
    (tmp_path / "plan.json").write_text(plan.model_dump_json(), encoding="utf-8")
    metrics = evaluate_music(tmp_path).metrics
    assert metrics["cuts_on_beat"] == 0.75 and metrics["cuts_on_eighth"] == 1.0
    assert metrics["structural_on_downbeat"] == 1.0 and metrics["shortest_section_bars"] == 4
    assert metrics["tempo_jolts_per_min"] == 0 and metrics["largest_jolt"] == 0 and metrics["tempo_travel_per_min"] == 0
    assert metrics["regular_bars"] == 1.0 and metrics["fill_bars"] == 0 and metrics["crashes_per_min"] == 7.5


def test_drum_patterns_count_distinct_bars_per_window_of_eight_full_bars(tmp_path: Path) -> None:
    """Twelve 4/4 bars with patterns P1 P1 P1 P2 P1 P1 | a 3/4 bar | P1 P2 P1 P1 P3 P3 at 120 bpm: the 3/4 bar
    (its own pattern) is skipped, so the windows hold 2, 2, 2, 3 and 3 patterns."""
    def p1(first: float) -> list[tuple[float, int]]:  # kick on 1 and 3, hat on every eighth
        return [(first, KICK), (first + 2, KICK)] + [(first + e / 2, HAT) for e in range(8)]

    def p2(first: float) -> list[tuple[float, int]]:  # P1 with snare on 2 and 4
        return p1(first) + [(first + 1, SNARE), (first + 3, SNARE)]

    def p3(first: float) -> list[tuple[float, int]]:  # kick on every beat
        return [(first + b, KICK) for b in range(4)]

    kinds = [p1, p1, p1, p2, p1, p1, None, p1, p2, p1, p1, p3, p3]
    drums, first = [], 0.0
    for kind in kinds:
        drums += kind(first) if kind else [(first + b, TOM) for b in range(3)]
        first += 4 if kind else 3
    drums = [(b + 0.04, k) if (b, k) == (20.0, KICK) else (b, k) for b, k in drums]  # 20 ms late: same pattern
    drums.append((5.5, TOM))  # toms are not a pattern voice
    _write_midi(tmp_path / "music.mid", [(0, 120.0)], [(0, 4), (24, 3), (27, 4)], drums, end_beat=first + 0.5)
    plan = _steady_plan(first / 2 + 0.25)
    (tmp_path / "plan.json").write_text(plan.model_dump_json(), encoding="utf-8")
    metrics = evaluate_music(tmp_path).metrics
    assert metrics["drum_patterns_per_8_bars"] == pytest.approx(12 / 5)
    assert metrics["regular_bars"] == pytest.approx(12 / 13, abs=1e-4)
    assert metrics["fill_bars"] == pytest.approx(1 / 13, abs=1e-4)  # the 3/4 bar's tom on its last beat


def test_json_output_holds_every_pulse_measure(cli, map_a: Path) -> None:
    result = cli("eval", "music", str(map_a), "--format", "json")
    assert result.code == 0, result.err
    metrics = json.loads(result.out)["metrics"]
    assert set(PULSE_METRICS) <= set(metrics) and metrics["regular_bars"] == pytest.approx(5 / 6, abs=1e-4)


def test_a_kept_composition_gets_the_measures_of_its_written_midi_and_mix(kept: Composed) -> None:
    metrics = evaluate_music(kept.work).metrics
    needs_no_hits = ("cuts_on_beat", "cuts_on_eighth", "shortest_section_bars", "tempo_jolts_per_min", "largest_jolt",
                     "tempo_travel_per_min", "regular_bars", "crashes_per_min", "fill_bars", "audio_tempo_error")
    assert all(metrics[name] is not None for name in needs_no_hits)
    assert 0 <= metrics["cuts_on_beat"] <= metrics["cuts_on_eighth"] <= 1 and metrics["structural_per_30s"] >= 0


def _clicks(bpm: float, seconds: float = 30.0, rate: int = 44100) -> np.ndarray:
    """Stereo 44.1 kHz clicks (5 ms decaying noise bursts) on every beat, over faint noise."""
    generator = np.random.default_rng(0)
    audio = generator.normal(0, 0.002, int(seconds * rate)).astype(np.float32)
    burst = generator.normal(0, 0.5, int(0.005 * rate)) * np.exp(-np.linspace(0, 6, int(0.005 * rate)))
    for start in np.arange(0, seconds - 0.01, 60 / bpm):
        audio[int(start * rate):int(start * rate) + len(burst)] += burst
    return np.stack([audio, audio], axis=1)


def test_audio_tempo_error_hears_the_click_tempo() -> None:
    clicks = _clicks(100)
    assert audio_tempo_error(clicks, 44100, _steady_plan(30.0, tempo=100)) < 0.04
    assert audio_tempo_error(clicks, 44100, _steady_plan(30.0, tempo=130)) > 0.1


def test_without_librosa_the_tempo_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "librosa", None)
    target = EvalTarget(source=Path("clicks"), plan=_steady_plan(10.0), tracks=None, beats=None, downbeats=None,
                        audio=_clicks(120, seconds=10), sample_rate=44100, analysis=None, video=None, audio_path=None)
    result = evaluate_target(target)
    assert result.metrics["audio_tempo_error"] is None
    assert any("v2m[learn]" in line for line in result.missing)
