"""Measures of a tune, harmony, mood and mix on hand-written MIDI, plans and WAVs with values worked out by hand,
and on a composition kept with its stems (every measure present; the values belong to today's renderers)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pretty_midi
import pytest
import soundfile

from tests.compose.conftest import CUTS
from v2m_core.compose.pipeline import compose
from v2m_core.evaluation.music import MUSICIANSHIP_METRICS, evaluate_music
from v2m_core.evaluation.musicianship import (above_share, distinct_chords_per_window, is_cadence, mean_phrase_bars,
                                              mode_matches_valence)
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.schemas.analysis import VideoAnalysis, VideoProbe
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.midi import Note
from v2m_core.schemas.plan import Beat, CompositionPlan, Key, Phrase, PlannedChord, Section

C_MAJOR, A_MINOR = Key(tonic=0, mode="major"), Key(tonic=9, mode="minor")
SHARES = ("melody_recurring_patterns", "melody_repeated_bar_rhythms", "melody_steps", "melody_reversals",
          "melody_above_chords", "phrase_end_cadences", "mode_matches_valence", "silent_share")

# (beat, beats long, pitch). A C major line of four bars, a bar's rest, and a last bar at the top of the chords;
# the low G at beat 0 starts with the first C, so the line keeps the C.
MELODY = [(0, 1, 60), (0, 1, 55), (1, 1, 62), (2, 1, 64), (3, 1, 60),
          (4, 1, 60), (5, 1, 62), (6, 1, 64), (7, 1, 60),
          (8, 1, 64), (9, 1, 65), (10, 2, 67),
          (12, 1, 64), (13, 0.5, 65), (14, 2, 67),  # half a beat of rest does not end the phrase
          (20, 1.5, 72), (21.5, 0.5, 71), (22, 2, 72)]  # after four beats of rest, a new phrase
ACCOMPANIMENT = [(0, 8, 48), (0, 8, 52), (0, 8, 55), (8, 8, 53), (8, 8, 57), (8, 8, 60),
                 (16, 4, 55), (16, 4, 59), (16, 4, 62), (20, 6, 60), (20, 6, 64), (20, 6, 72)]

# The harmony: one chord a bar for 20 bars at 120 bpm (2 s a bar), in five phrases of four bars.
ARPEGGIO_C = [(e / 2, 0.5, p) for e, p in enumerate([60, 64, 67, 72, 67, 64, 60, 64])]
PROGRESSION = ["C", "F", "G", "C", "Am", "Dm", "G7", "C", "F", "F", "C", "C", "C", "Em", "F", "G", "G", "G", "G", "G"]
VOICINGS = {"C": (55, 60, 64), "F": (53, 57, 60), "G": (55, 59, 62), "Am": (57, 60, 64), "Dm": (50, 53, 57),
            "G7": (55, 59, 62, 65), "Em": (52, 55, 59)}


def _write_midi(path: Path, bpm: float, parts: dict[str, list[tuple[float, float, int]]]) -> None:
    """Tracks named like v2m's (Melody, Chords, ...), notes at beat positions of a steady `bpm` in 4/4."""
    midi = pretty_midi.PrettyMIDI(initial_tempo=bpm)
    for name, notes in parts.items():
        instrument = pretty_midi.Instrument(program=0, name=name)
        seconds = 60 / bpm
        instrument.notes = [pretty_midi.Note(velocity=80, pitch=pitch, start=beat * seconds, end=(beat + length) * seconds)
                            for beat, length, pitch in notes]
        midi.instruments.append(instrument)
    midi.write(str(path))


def _plan(bars: int, key: Key = C_MAJOR, phrase_bars: int = 4) -> CompositionPlan:
    """A steady 120 bpm 4/4 plan: a chord span per bar, all labelled C major (the measures must read the notes),
    and phrases of `phrase_bars` bars."""
    duration = 2.0 * bars
    return CompositionPlan(
        duration=duration, key=key, style="pop", seed=0, planner="test",
        sections=[Section(start=0, end=duration, tempo=120, emotion="exciting", energy=0.5)],
        beats=[Beat(time=i / 2, bar=i // 4, position=i % 4, section=0, duration=0.5) for i in range(4 * bars)],
        chords=[PlannedChord(start=2.0 * b, end=2.0 * b + 2, label="C:maj", root=0, pitch_classes=[0, 4, 7], bass=0)
                for b in range(bars)],
        phrases=[Phrase(start=2.0 * b, end=min(duration, 2.0 * (b + phrase_bars)), first_bar=b,
                        bars=min(phrase_bars, bars - b), section=0) for b in range(0, bars, phrase_bars)],
        energy=[0.5] * math.ceil(duration), instruments={"chords": 0, "melody": 73})


def _analysis(valence: list[float]) -> VideoAnalysis:
    seconds = len(valence)
    return VideoAnalysis(
        probe=VideoProbe(path="video.mp4", duration=seconds, fps=25, width=320, height=180), seconds=seconds,
        motion=[0.0] * seconds, brightness=[0.5] * seconds, saturation=[0.5] * seconds, colourfulness=[0.5] * seconds,
        cuts=[], scene_id=[0] * seconds, scene_offset=[float(s) for s in range(seconds)], valence=valence,
        arousal=[0.0] * seconds, emotion=[[1 / 6] * 6] * seconds)


@pytest.fixture
def tune(tmp_path: Path) -> Path:
    """music.mid at 100 bpm with the melody and its accompaniment; plan.json believes in 120 bpm, so bars from
    the plan would put the onsets elsewhere."""
    _write_midi(tmp_path / "music.mid", 100, {"Melody": MELODY, "Chords": ACCOMPANIMENT})
    (tmp_path / "plan.json").write_text(_plan(8).model_dump_json(), encoding="utf-8")
    return tmp_path


def test_melody_measures_follow_the_written_line(tune: Path) -> None:
    result = evaluate_music(tune)
    metrics = result.metrics
    # Intervals: +2 +2 -4 0 +2 +2 -4 +4 +1 +2 -3 +1 +2 +5 -1 +1. Of 14 patterns only (+2, +2, -4) recurs (twice).
    assert metrics["melody_recurring_patterns"] == pytest.approx(2 / 14, abs=1e-4)
    assert metrics["melody_steps"] == pytest.approx(11 / 16, abs=1e-4)
    # Moving intervals (the 0 dropped): 15, so 14 pairs; 8 turn (+2 -4 +2, +2 -4 +4, +2 -3 +1, +5 -1 +1).
    assert metrics["melody_reversals"] == pytest.approx(8 / 14, abs=1e-4)
    # Bars with onsets: quarters x2, three quarters x2, and bar 5's dotted rhythm (its own): 4 of 5 repeat.
    assert metrics["melody_repeated_bar_rhythms"] == 0.8
    # Over the chords' tops 55 and 60, fourteen notes; bar 5 (72, 71, 72) meets or sits under the chord's 72.
    assert metrics["melody_above_chords"] == pytest.approx(14 / 17, abs=1e-4)
    # Phrases: beats 0-16 (4 bars) and 20-24 (1 bar).
    assert metrics["melody_phrase_bars"] == 2.5
    assert any("--stems" in line for line in result.missing)


def test_above_share_judges_what_sounds_30_ms_into_the_note() -> None:
    line = [Note(pitch=70, start=t, end=t + 0.5, velocity=80) for t in (1.0, 2.0, 3.0, 4.0)]
    chords = [Note(pitch=72, start=1.02, end=1.5, velocity=60),  # struck 20 ms late: it sounds over the note
              Note(pitch=75, start=1.9, end=2.01, velocity=60),  # released 10 ms in: it does not
              Note(pitch=60, start=1.9, end=2.5, velocity=60),
              Note(pitch=70, start=2.9, end=3.5, velocity=60)]  # the same pitch is not above; at 4 s nothing sounds
    assert above_share(line, chords) == pytest.approx(1 / 3)
    assert above_share(line, []) is None


def test_a_rest_of_one_beat_ends_a_phrase_measured_in_the_midi_bars() -> None:
    beats, downbeats = np.arange(0, 10, 0.5), np.arange(0, 10, 2.0)
    line = [Note(pitch=60, start=0.0, end=1.5, velocity=80), Note(pitch=62, start=2.0, end=3.0, velocity=80),
            Note(pitch=64, start=3.25, end=4.0, velocity=80)]
    assert mean_phrase_bars(line, beats, downbeats) == pytest.approx((0.75 + 1.0) / 2)
    # At half the tempo the same seconds are half a beat apart: one phrase of half the bars.
    assert mean_phrase_bars(line, beats * 2, downbeats * 2) == pytest.approx(1.0)


@pytest.fixture
def progression(tmp_path: Path) -> Path:
    """The Chords track plays PROGRESSION (bar 0 arpeggiated, a passing D in bar 3, bar 7 held 20 ms into bar 8)
    while every chord of the plan says C major."""
    notes: list[tuple[float, float, int]] = [(beat, length, pitch) for beat, length, pitch in ARPEGGIO_C]
    for bar, name in enumerate(PROGRESSION[1:], start=1):
        length = 4.04 if bar == 7 else 4
        notes += [(4 * bar, length, pitch) for pitch in VOICINGS[name]]
    notes.append((13.5, 0.5, 62))
    _write_midi(tmp_path / "music.mid", 120, {"Chords": notes})
    return tmp_path


def test_harmony_is_read_from_the_chords_track(progression: Path) -> None:
    (progression / "plan.json").write_text(_plan(20).model_dump_json(), encoding="utf-8")
    result = evaluate_music(progression)
    # C, F, G, Am, Dm, G7, Em in 40 s; the plan's labels alone would give one.
    assert result.metrics["distinct_chords_per_60s"] == 7
    # Phrase ends: G-C, G7-C, F-C (the repeated Cs merged), F-G (a half cadence), and G held since the
    # phrase before (nothing arrives): 3 of 5.
    assert result.metrics["phrase_end_cadences"] == 0.6
    assert all(result.metrics[name] is None for name in MUSICIANSHIP_METRICS if name.startswith("melody_"))
    assert any("Melody" in line for line in result.missing)


def test_cadences_are_judged_in_the_plans_key(progression: Path) -> None:
    g_major = _plan(20, key=Key(tonic=7, mode="major"))
    (progression / "plan.json").write_text(g_major.model_dump_json(), encoding="utf-8")
    assert evaluate_music(progression).metrics["phrase_end_cadences"] == 0


@pytest.mark.parametrize(("before", "arrival", "key", "cadence"), [
    ((7, "maj"), (0, "maj"), C_MAJOR, True),  # V-I
    ((7, "7"), (0, "maj(9)"), C_MAJOR, True),  # V7-Iadd9
    ((4, "maj"), (9, "min"), A_MINOR, True),  # V-i
    ((4, "min"), (9, "min"), A_MINOR, False),  # v-i: no leading tone
    ((5, "maj"), (0, "maj"), C_MAJOR, True),  # IV-I
    ((2, "min"), (9, "min"), A_MINOR, True),  # iv-i
    ((7, "maj"), (9, "min"), C_MAJOR, False),  # V-vi: deceptive
    ((0, "maj"), (7, "maj"), C_MAJOR, False),  # I-V: half
    ((2, "min7"), (0, "maj"), C_MAJOR, False),  # ii7-I
    ((7, "maj"), (0, "sus4"), C_MAJOR, False),  # no third on arrival
    ((7, "maj"), None, C_MAJOR, False),
])
def test_authentic_and_plagal_cadences(before: tuple[int, str], arrival: tuple[int, str] | None, key: Key,
                                       cadence: bool) -> None:
    assert is_cadence(before, arrival, key) is cadence


def test_distinct_chords_are_counted_per_minute_window() -> None:
    spans = np.array([(0.0, 30.0), (30.0, 61.0), (61.0, 62.0)])
    # Windows from 0, 1 and 2 s: C and F, C and F (G starts as the window ends), C, F and G.
    assert distinct_chords_per_window(spans, [(0, "maj"), (5, "maj"), (7, "maj")], 62.0) == pytest.approx(7 / 3)
    assert distinct_chords_per_window(spans[:2], [(0, "maj"), (0, "maj")], 61.0) == 1
    assert distinct_chords_per_window(spans, [None, None, None], 62.0) is None


def test_mode_follows_the_sign_of_a_clear_mean_valence() -> None:
    bright, dark = _analysis([0.6, 0.0]), _analysis([0.1, -0.5])
    assert mode_matches_valence(C_MAJOR, bright) == 1 and mode_matches_valence(A_MINOR, bright) == 0
    assert mode_matches_valence(A_MINOR, dark) == 1 and mode_matches_valence(C_MAJOR, dark) == 0
    assert mode_matches_valence(C_MAJOR, _analysis([0.2, -0.2])) is None
    assert mode_matches_valence(A_MINOR, _analysis([0.1, 0.0])) is None  # a neutral picture takes either mode
    assert mode_matches_valence(C_MAJOR, None) is None


def _tone(amplitude: float, seconds: float, silent: float = 0.0, rate: int = 44100) -> np.ndarray:
    sound = amplitude * np.sin(2 * np.pi * 440 * np.arange(int(seconds * rate)) / rate)
    mono = np.concatenate([sound, np.zeros(int(silent * rate))]).astype(np.float32)
    return np.stack([mono, mono], axis=1)


def test_stem_balance_and_silence_come_from_the_wavs(tmp_path: Path) -> None:
    (tmp_path / "stems").mkdir()
    soundfile.write(tmp_path / "stems" / "00-chords.wav", _tone(0.1, 4.0), 44100)
    soundfile.write(tmp_path / "stems" / "01-bass.wav", _tone(0.8, 4.0), 44100)
    soundfile.write(tmp_path / "stems" / "02-melody.wav", _tone(0.2, 4.0), 44100)
    soundfile.write(tmp_path / "music.wav", _tone(0.3, 2.0, silent=2.0), 44100)
    metrics = evaluate_music(tmp_path).metrics
    assert metrics["melody_over_chords_db"] == pytest.approx(20 * math.log10(2), abs=0.01)
    assert metrics["silent_share"] == 0.5


@pytest.fixture(scope="module")
def kept_with_stems(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stems")
    make_video(folder / "input.mp4", CUTS, size=(320, 180), fps=25)
    compose(folder / "input.mp4", None, ComposeConfig(seed=3), keep=folder / "work", stems=True)
    return folder / "work"


@pytest.fixture(scope="module")
def kept_metrics(kept_with_stems: Path) -> dict[str, float | None]:
    return evaluate_music(kept_with_stems).metrics


def test_a_kept_composition_gets_every_measure(kept_metrics: dict[str, float | None]) -> None:
    metrics = kept_metrics
    assert all(metrics[name] is not None for name in MUSICIANSHIP_METRICS if name != "mode_matches_valence")
    assert metrics["mode_matches_valence"] in (None, 0, 1)  # None for a picture of neutral valence
    assert all(metrics[name] is None or 0 <= metrics[name] <= 1 for name in SHARES)
    assert metrics["melody_phrase_bars"] > 0 and metrics["distinct_chords_per_60s"] >= 1
    assert abs(metrics["melody_over_chords_db"]) < 40


def test_json_output_holds_every_musicianship_measure(cli, kept_with_stems: Path,
                                                    kept_metrics: dict[str, float | None]) -> None:
    result = cli("eval", "music", str(kept_with_stems), "--format", "json")
    assert result.code == 0, result.err
    metrics = json.loads(result.out)["metrics"]
    assert all(metrics[name] == kept_metrics[name] for name in MUSICIANSHIP_METRICS)


def test_a_tiny_video_is_measured_or_marked_not_measurable(tmp_path: Path) -> None:
    make_video(tmp_path / "input.mp4", [SceneSpec(1.5, "testsrc2", motion="slow")], size=(320, 180), fps=25)
    compose(tmp_path / "input.mp4", None, ComposeConfig(seed=1), keep=tmp_path / "work", stems=True)
    metrics = evaluate_music(tmp_path / "work").metrics
    assert metrics["silent_share"] is not None and metrics["distinct_chords_per_60s"] is not None
    assert all(metrics[name] is None or 0 <= metrics[name] <= 1 for name in SHARES)
