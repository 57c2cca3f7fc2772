"""Writing renderer tracks as a Standard MIDI File that a DAW reads on the plan's grid.

One MIDI quarter note is one beat of the plan. The first track carries the plan's tempo map (a set_tempo
wherever the beat length changes), its bar lengths as n/4 time signatures and its key, so every note after a
tempo change or an irregular bar still sits on its bar and beat. Controllers (expression, volume, sends) go on their
track's channel, before the notes of the same tick. Drums play on channel 10. The file is written
atomically, and the same input gives the same bytes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import mido

from v2m_core.atomic import atomic_path
from v2m_core.schemas.midi import ControlChange, MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan, Key

TICKS_PER_BEAT = 960
DEFAULT_BEAT_SECONDS = 0.5
"""Without a plan: 120 bpm in 4/4, good enough for MIDI that only has to sound right."""
DRIFT_NS = 50_000
"""How far the file's whole-microsecond tempo map may drift from a plan beat before a tempo event pulls it
back. This is far below the 1 ms that anyone could hear or see in a DAW, and large enough that a constant tempo
whose beat is not a whole number of microseconds needs a correction only every hundred or so beats."""
DRUM_CHANNEL = 9
MELODIC_CHANNELS = tuple(channel for channel in range(16) if channel != DRUM_CHANNEL)
MAJOR_KEYS = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MINOR_KEYS = ("Cm", "C#m", "Dm", "Ebm", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "Bbm", "Bm")
"""mido key names, by tonic pitch class, spelled with the fewer accidentals (F# major and Eb minor where both
spellings have six)."""

Timed = tuple[int, mido.Message | mido.MetaMessage]
"""An event at an absolute tick; tracks are built from these and then turned into delta times."""


@dataclass(frozen=True)
class BeatMap:
    """Beat i of the file sits at tick i * TICKS_PER_BEAT and at `times[i]` seconds; `bars` holds each bar's
    first beat index and number of beats."""

    times: list[float]
    last_duration: float
    bars: list[tuple[int, int]]

    @classmethod
    def constant(cls, beat_seconds: float) -> BeatMap:
        return cls([0.0], beat_seconds, [(0, 4)])

    @classmethod
    def of_plan(cls, plan: CompositionPlan) -> BeatMap:
        """The plan's beats and bars. Music that starts late gets whole lead-in beats before its first beat (a
        bar of their own), because tick 0 is always time 0. A last beat cut short by the plan's end keeps the
        length of the beat before, so the end of the piece gets no tempo jump."""
        if not plan.beats:
            return cls.constant(60.0 / plan.sections[0].tempo)
        times = [beat.time for beat in plan.beats]
        bars: list[tuple[int, int]] = []
        for _, members in groupby(range(len(plan.beats)), key=lambda index: plan.beats[index].bar):
            indices = list(members)
            bars.append((indices[0], len(indices)))
        last = plan.beats[-1]
        tail = last.duration
        if len(times) > 1 and last.time + last.duration >= plan.duration - 1e-6:
            tail = max(tail, times[-1] - times[-2])
        first = times[0]
        if first < 1e-6:
            return cls(times, tail, bars)
        lead = max(1, round(first / plan.beats[0].duration))
        return cls([first * j / lead for j in range(lead)] + times, tail,
                   [(0, lead)] + [(start + lead, count) for start, count in bars])

    def tick(self, seconds: float) -> int:
        """Piecewise linear between beats, so a note keeps its place in the beat; before the first beat and
        after the last at that beat's length."""
        index = max(0, bisect_right(self.times, seconds) - 1)
        length = self.times[index + 1] - self.times[index] if index + 1 < len(self.times) else self.last_duration
        return max(0, round((index + (seconds - self.times[index]) / length) * TICKS_PER_BEAT))

    def tempi(self) -> list[tuple[int, int]]:
        """(beat index, microseconds per quarter note) wherever the file's tempo changes.

        MIDI tempi are whole microseconds, so a beat of 535714.29 µs drifts 0.29 µs a beat, milliseconds over
        a long plan. So follow the file's own clock: where the beat's length changes by a microsecond or more,
        or where the next beat would land more than DRIFT_NS from the plan's, take the whole tempo next to the
        beat's length on the side that pulls the drift back toward zero. The drift stays under DRIFT_NS + 1 µs,
        and a constant stretch costs one event plus a rare correction. Times are whole nanoseconds so that
        float noise in equal beats cannot change a tempo.
        """
        starts = [round(time * 1e9) for time in self.times]
        ends = starts[1:] + [starts[-1] + round(self.last_duration * 1e9)]
        changes: list[tuple[int, int]] = []
        clock, tempo, previous = 0, 0, 0
        for index, (start, end) in enumerate(zip(starts, ends)):
            length = end - start
            if abs(length - previous) >= 1000 or abs(clock + 1000 * tempo - end) > DRIFT_NS:
                chosen = length // 1000 if clock > start else -(-length // 1000)
                if chosen != tempo:
                    changes.append((index, chosen))
                    tempo = chosen
            clock += 1000 * tempo
            previous = length
        return changes


def key_name(key: Key) -> str:
    return (MAJOR_KEYS if key.mode == "major" else MINOR_KEYS)[key.tonic]


def _order(event: Timed) -> tuple[int, int]:
    """On one tick: meta events and program changes, then controllers, then note-offs before note-ons, so a
    repeated pitch is released before it is struck again."""
    tick, message = event
    if message.type == "note_on":
        return tick, 3 if message.velocity else 2
    return tick, int(message.type == "control_change")


def _track(events: list[Timed]) -> mido.MidiTrack:
    """Sorted by tick (stable, so the input order decides ties and the bytes are reproducible), in delta times."""
    track = mido.MidiTrack()
    previous = 0
    for tick, message in sorted(events, key=_order):
        track.append(message.copy(time=tick - previous))
        previous = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    return track


def _conductor(beats: BeatMap, key: Key | None) -> mido.MidiTrack:
    """Tempo map, a time signature at tick 0 and wherever a bar's length changes, and the key."""
    events: list[Timed] = [(index * TICKS_PER_BEAT, mido.MetaMessage("set_tempo", tempo=tempo))
                           for index, tempo in beats.tempi()]
    previous = 0
    for first, count in beats.bars:
        if count != previous:
            events.append((first * TICKS_PER_BEAT, mido.MetaMessage("time_signature", numerator=count, denominator=4)))
            previous = count
    if key is not None:
        events.append((0, mido.MetaMessage("key_signature", key=key_name(key))))
    return _track(events)


def _note_events(notes: Sequence[Note], channel: int, beats: BeatMap) -> list[Timed]:
    """Each note lasts at least a tick: a note-off on the note-on's tick would sort before it and hang the note."""
    events: list[Timed] = []
    for note in notes:
        start = beats.tick(note.start)
        events.append((start, mido.Message("note_on", channel=channel, note=note.pitch, velocity=note.velocity)))
        events.append((max(beats.tick(note.end), start + 1),
                       mido.Message("note_on", channel=channel, note=note.pitch, velocity=0)))
    return events


def _control_events(controls: Sequence[ControlChange], channel: int, beats: BeatMap) -> list[Timed]:
    """Controllers in the track's order; on a tick shared with notes they come first, so a note starts with the
    expression, volume and sends meant for it."""
    return [(beats.tick(control.time), mido.Message("control_change", channel=channel, control=control.control,
                                                     value=control.value)) for control in controls]


def _instrument(track: MidiTrack, index: int, beats: BeatMap) -> mido.MidiTrack:
    """Channels as pretty_midi assigns them: drums on 10, the others in turn, skipping 10."""
    channel = DRUM_CHANNEL if track.is_drum else MELODIC_CHANNELS[index % len(MELODIC_CHANNELS)]
    setup: list[Timed] = [(0, mido.MetaMessage("track_name", name=track.name))] if track.name else []
    setup.append((0, mido.Message("program_change", channel=channel, program=track.program)))
    return _track(setup + _control_events(track.controls, channel, beats) + _note_events(track.notes, channel, beats))


def write_midi(tracks: Sequence[MidiTrack], path: Path, plan: CompositionPlan | None = None) -> None:
    """With a plan, the file follows its tempo map, bars and key, so a DAW shows every note on the plan's grid;
    without one, a constant 120 bpm in 4/4 (note times in seconds are kept either way)."""
    beats = BeatMap.of_plan(plan) if plan is not None else BeatMap.constant(DEFAULT_BEAT_SECONDS)
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_BEAT)
    midi.tracks.append(_conductor(beats, plan.key if plan is not None else None))
    midi.tracks.extend(_instrument(track, index, beats) for index, track in enumerate(tracks))
    with atomic_path(path) as temporary:
        midi.save(temporary)
