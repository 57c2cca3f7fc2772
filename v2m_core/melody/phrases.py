"""Melody lines from MIDI files: each file's melody track as bars of sixteenth-step tokens, with the
harmony of its other pitched tracks under every step, quantised to the file's own beat grid.

The melody track is the pitched instrument named like a melody (melody, lead, vocal, ...), else the
one with the highest mean pitch; tracks with few notes are never chosen. MIDI-only data has no video,
so a bar's energy is derived from the melody itself: onsets per beat times mean velocity, ranked over
the whole collection (0 sparsest/softest .. 1 busiest/loudest), as the drum patterns do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import pretty_midi

from v2m_core.executors import local_executor
from v2m_core.melody.tokens import HOLD, REST, harmony, token_of
from v2m_core.music.midi_collection import STEPS_PER_BEAT, downbeat_indices, rank01, read_songs, sixteenth_grid

MELODY_NAMES = ("melody", "lead", "vocal", "voice", "solo", "sing")
MIN_NOTES = 16
"""Fewer notes than this make a track an accent or a sound effect, not a melody."""


@dataclass
class MelodyBar:
    tokens: np.ndarray
    """(steps,) REST, HOLD or onset tokens."""
    harmony: np.ndarray
    """(steps, 12) the other tracks' sounding pitch classes, weights summing to 1 (0 where none sound)."""
    energy: float
    """0..1 rank over the collection once read_collection has filled it; raw density x velocity before."""


def melody_instrument(midi: pretty_midi.PrettyMIDI) -> pretty_midi.Instrument | None:
    """The track most likely to carry the tune, or None when no pitched track has enough notes."""
    pitched = [i for i in midi.instruments if not i.is_drum and len(i.notes) >= MIN_NOTES]
    named = [i for i in pitched if any(word in i.name.lower() for word in MELODY_NAMES)]
    return max(named or pitched, key=lambda i: np.mean([n.pitch for n in i.notes]), default=None)


def read_melody_bars(path: Path) -> list[MelodyBar]:
    """The bars of one file's melody from its first downbeat on; [] without a melody or a beat grid."""
    midi = pretty_midi.PrettyMIDI(str(path))
    melody = melody_instrument(midi)
    beats = midi.get_beats()
    if melody is None or len(beats) < 2:
        return []
    steps, tolerance = sixteenth_grid(beats)
    tokens, loudness = _tokens(melody.notes, steps, tolerance)
    presence = np.zeros((len(steps), 12))
    for note in (n for i in midi.instruments if not i.is_drum and i is not melody for n in i.notes):
        start = _nearest(steps, note.start)
        presence[start:max(start + 1, _nearest(steps, note.end)), note.pitch % 12] = 1
    context = harmony(presence)
    starts = [i * STEPS_PER_BEAT for i in downbeat_indices(midi, beats)] or [0]
    bars = []
    for a, b in pairwise([*starts, len(steps)]):
        onsets = loudness[a:b][loudness[a:b] > 0]
        density = len(onsets) / max(1, (b - a) // STEPS_PER_BEAT) * onsets.mean() if onsets.size else 0.0
        bars.append(MelodyBar(tokens[a:b], context[a:b], float(density)))
    return [bar for bar in bars if len(bar.tokens)]


def _nearest(steps: np.ndarray, time: float) -> int:
    index = int(np.searchsorted(steps, time))
    if index == len(steps) or (index > 0 and time - steps[index - 1] < steps[index] - time):
        index -= 1
    return index


def _tokens(notes: list[pretty_midi.Note], steps: np.ndarray, tolerance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tokens (steps,) of the line's highest voice, and each onset's velocity 0..1 (0 elsewhere).

    A note holds until it ends or the next onset; onsets further than half a sixteenth from the grid are
    ornaments and are dropped."""
    pitches = np.full(len(steps), -1)
    ends = np.zeros(len(steps), dtype=int)
    loudness = np.zeros(len(steps))
    for note in sorted(notes, key=lambda n: n.pitch):  # the highest onset on a step wins
        step = _nearest(steps, note.start)
        if abs(steps[step] - note.start) <= tolerance[step]:
            pitches[step], ends[step] = note.pitch, max(step + 1, _nearest(steps, note.end))
            loudness[step] = note.velocity / 127
    tokens = np.full(len(steps), REST)
    until = 0
    for step, pitch in enumerate(pitches):
        if pitch >= 0:
            tokens[step], until = token_of(int(pitch)), ends[step]
        elif step < until:
            tokens[step] = HOLD
    return tokens, loudness


def read_collection(folder: Path, progress: Callable[[str, float], None] | None = None,
                    workers: int = 1) -> list[list[MelodyBar]]:
    """Every MIDI file under `folder` with a melody, as bar sequences with ranked energy filled in."""
    songs = read_songs(folder, read_melody_bars, f"a melody track ({MIN_NOTES}+ notes)", local_executor(workers),
                       progress)
    flat = [bar for bars in songs for bar in bars]
    for bar, energy in zip(flat, rank01([bar.energy for bar in flat])):
        bar.energy = float(energy)
    return songs
