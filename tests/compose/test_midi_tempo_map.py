"""The written MIDI follows the plan's tempo map, bars and key, so a DAW reads every note on its beat."""

from __future__ import annotations

import math
from pathlib import Path

import mido
import numpy as np
import pretty_midi
import pytest

from v2m_core.music.midi_file import TICKS_PER_BEAT, key_name, write_midi
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import Beat, CompositionPlan, Key, Section

MS = 1e-3


def make_plan(beat_seconds: list[float], bars: list[int], key: Key | None = None, start: float = 0.0) -> CompositionPlan:
    """Beat j lasts `beat_seconds[j]`; bars hold the given numbers of beats."""
    assert sum(bars) == len(beat_seconds)
    times = list(np.cumsum([start, *beat_seconds]))
    beats: list[Beat] = []
    for bar, count in enumerate(bars):
        for position in range(count):
            j = len(beats)
            beats.append(Beat(time=times[j], bar=bar, position=position, section=0, duration=beat_seconds[j]))
    duration = float(times[-1])
    return CompositionPlan(duration=duration, key=key or Key(tonic=0, mode="major"), style="pop", seed=0,
                           planner="test", sections=[Section(start=0, end=duration, tempo=120, emotion="relaxing",
                                                             energy=0.5)],
                           beats=beats, chords=[], energy=[0.5] * math.ceil(duration), instruments={"chords": 0})


def tracks_for(plan: CompositionPlan) -> list[MidiTrack]:
    """A chord tone on every beat, an off-beat note a third into each beat, one note held into the last beat (so the
    reader's beats reach the last beat), and a kick on every downbeat."""
    last = plan.beats[-1]
    notes = [Note(pitch=60, start=0.0, end=last.time + last.duration / 2, velocity=50)]
    for beat in plan.beats:
        notes.append(Note(pitch=64, start=beat.time, end=beat.time + beat.duration / 2, velocity=80))
        notes.append(Note(pitch=67, start=beat.time + beat.duration / 3, end=beat.time + 0.9 * beat.duration,
                          velocity=70))
    kicks = [Note(pitch=36, start=t, end=t + 0.1, velocity=100) for t in plan.downbeats()]
    return [MidiTrack(name="Piano", role="chords", program=0, notes=notes),
            MidiTrack(name="Drums", role="drums", is_drum=True, notes=kicks)]


RAMP_BARS = [4, 4, 4, 3, 4, 4, 4, 4]
JUMP_BARS = [4, 5, 4, 4]


@pytest.fixture
def ramp_plan() -> CompositionPlan:
    """100 -> 112 bpm beat by beat over eight bars (the fourth has three beats), then 90 bpm with a 5-beat bar."""
    ramp = sum(RAMP_BARS)
    tempi = [100 + 12 * j / (ramp - 1) for j in range(ramp)] + [90.0] * sum(JUMP_BARS)
    return make_plan([60.0 / t for t in tempi], RAMP_BARS + JUMP_BARS, key=Key(tonic=10, mode="minor"))


def tempo_events(path: Path) -> list[tuple[int, int]]:
    """(absolute tick, microseconds per quarter) of every set_tempo in the file."""
    tick, events = 0, []
    for message in mido.MidiFile(path).tracks[0]:
        tick += message.time
        if message.type == "set_tempo":
            events.append((tick, message.tempo))
    return events


def assert_close(actual: list[float] | np.ndarray, expected: list[float], tolerance: float = MS) -> None:
    assert len(actual) == len(expected)
    assert np.max(np.abs(np.asarray(actual) - np.asarray(expected)), initial=0.0) <= tolerance


def test_tempo_map_bars_and_key_follow_the_plan(tmp_path: Path, ramp_plan: CompositionPlan) -> None:
    path = tmp_path / "ramp.mid"
    tracks = tracks_for(ramp_plan)
    write_midi(tracks, path, ramp_plan)
    midi = pretty_midi.PrettyMIDI(str(path))

    assert_close(midi.get_downbeats(), ramp_plan.downbeats())
    assert_close(midi.get_beats(), [b.time for b in ramp_plan.beats])
    for written, planned in zip(midi.instruments, tracks):
        read = sorted((n.start, n.pitch, n.end) for n in written.notes)
        wanted = sorted((n.start, n.pitch, n.end) for n in planned.notes)
        assert [p for _, p, _ in read] == [p for _, p, _ in wanted]
        assert_close([s for s, _, _ in read], [s for s, _, _ in wanted])
        assert_close([e for _, _, e in read], [e for _, _, e in wanted])

    bar_starts = ramp_plan.downbeats()
    signatures = [(ts.numerator, ts.denominator) for ts in midi.time_signature_changes]
    assert signatures == [(4, 4), (3, 4), (4, 4), (5, 4), (4, 4)]
    assert_close([ts.time for ts in midi.time_signature_changes],
                 [0.0, bar_starts[3], bar_starts[4], bar_starts[9], bar_starts[10]])

    # One event per ramp beat (each is a different tempo), then one for the whole 90 bpm stretch.
    events = tempo_events(path)
    assert [tick for tick, _ in events] == [i * TICKS_PER_BEAT for i in range(sum(RAMP_BARS) + 1)]
    assert all(abs(tempo - b.duration * 1e6) <= 1 for (_, tempo), b in zip(events, ramp_plan.beats))

    keys = [m for m in mido.MidiFile(path).tracks[0] if m.type == "key_signature"]
    assert [(m.key, m.time) for m in keys] == [("Bbm", 0)]
    assert [(k.key_number, k.time) for k in midi.key_signature_changes] == [
        (pretty_midi.key_name_to_key_number("Bb minor"), 0.0)]

    assert [(i.name, i.program, i.is_drum) for i in midi.instruments] == [("Piano", 0, False), ("Drums", 0, True)]
    channels = {m.channel for m in mido.MidiFile(path).tracks[2] if m.type == "note_on"}
    assert channels == {9}


def test_twenty_minutes_of_drifting_tempo_stay_on_the_beat(tmp_path: Path) -> None:
    """2400 beats: the tempo drifts slowly, changing every eight bars, then holds for the last 800 beats. Every
    beat is 0.47 µs past a whole microsecond, so rounding each beat's tempo on its own would drift 1.1 ms."""
    phrases = 75
    lengths_us = [500_000 + round(20_000 * math.sin(2 * math.pi * min(p, 50) / phrases)) + 0.47
                  for p in range(phrases)]
    beat_seconds = [lengths_us[j // 32] / 1e6 for j in range(32 * phrases)]
    plan = make_plan(beat_seconds, [4] * (8 * phrases))
    assert 19 * 60 < plan.duration < 21 * 60
    path = tmp_path / "long.mid"
    write_midi(tracks_for(plan), path, plan)
    midi = pretty_midi.PrettyMIDI(str(path))

    assert_close(midi.get_downbeats(), plan.downbeats())
    assert_close([midi.tick_to_time(j * TICKS_PER_BEAT) for j in range(len(plan.beats))],
                 [b.time for b in plan.beats])
    ticks = [tick for tick, _ in tempo_events(path)]
    drifting = [p * 32 * TICKS_PER_BEAT for p in range(51)]
    assert ticks[:51] == drifting
    constant = ticks[51:]
    assert 1 <= len(constant) <= 8  # a correction every hundred or so beats, not one per beat


def test_music_that_starts_late_gets_a_lead_in_bar(tmp_path: Path) -> None:
    plan = make_plan([0.5] * 8, [4, 4], start=1.0)
    path = tmp_path / "late.mid"
    write_midi(tracks_for(plan), path, plan)
    midi = pretty_midi.PrettyMIDI(str(path))
    assert_close(midi.get_beats(), [0.0, 0.5] + [b.time for b in plan.beats])
    assert [(ts.numerator, ts.time) for ts in midi.time_signature_changes] == [(2, 0.0), (4, 1.0)]


def test_a_last_beat_cut_short_by_the_end_keeps_the_tempo(tmp_path: Path) -> None:
    plan = make_plan([0.5] * 8, [4, 4])
    last = plan.beats[-1].model_copy(update={"duration": 0.1})
    plan = plan.model_copy(update={"beats": [*plan.beats[:-1], last], "duration": last.time + 0.1})
    path = tmp_path / "short.mid"
    write_midi(tracks_for(plan), path, plan)
    assert tempo_events(path) == [(0, 500_000)]


@pytest.mark.parametrize(("tonic", "mode", "name"), [
    (10, "minor", "Bbm"), (3, "minor", "Ebm"), (8, "minor", "G#m"), (1, "minor", "C#m"), (0, "major", "C"),
    (10, "major", "Bb"), (6, "major", "F#"), (1, "major", "Db"), (11, "major", "B"), (8, "major", "Ab")])
def test_key_names_use_the_usual_spelling(tonic: int, mode: str, name: str) -> None:
    assert key_name(Key(tonic=tonic, mode=mode)) == name


def test_same_plan_same_bytes(tmp_path: Path, ramp_plan: CompositionPlan) -> None:
    first, second = tmp_path / "a.mid", tmp_path / "b.mid"
    write_midi(tracks_for(ramp_plan), first, ramp_plan)
    write_midi(tracks_for(ramp_plan), second, ramp_plan)
    assert first.read_bytes() == second.read_bytes()


def test_without_a_plan_a_constant_120_bpm(tmp_path: Path) -> None:
    notes = [Note(pitch=60 + k, start=0.37 * k, end=0.37 * k + 0.3, velocity=90) for k in range(20)]
    path = tmp_path / "plain.mid"
    write_midi([MidiTrack(name="Piano", role="chords", program=5, notes=notes)], path)
    midi = pretty_midi.PrettyMIDI(str(path))
    times, tempi = midi.get_tempo_changes()
    assert times.tolist() == [0.0] and tempi.tolist() == [120.0]
    assert [(ts.numerator, ts.denominator, ts.time) for ts in midi.time_signature_changes] == [(4, 4, 0.0)]
    assert midi.key_signature_changes == []
    read = sorted(midi.instruments[0].notes, key=lambda n: n.start)
    assert [n.pitch for n in read] == [n.pitch for n in notes]
    assert_close([n.start for n in read], [n.start for n in notes])
    assert_close([n.end for n in read], [n.end for n in notes])
    assert midi.instruments[0].program == 5
