"""Writing renderer tracks as a Standard MIDI File (pretty_midi), drums on channel 10."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pretty_midi

from v2m_core.atomic import atomic_path
from v2m_core.schemas.midi import MidiTrack


def write_midi(tracks: Sequence[MidiTrack], path: Path, initial_tempo: float = 120.0) -> None:
    """Times are absolute seconds; pretty_midi converts them to ticks (1 ms resolution or better)."""
    midi = pretty_midi.PrettyMIDI(initial_tempo=initial_tempo, resolution=960)
    for track in tracks:
        instrument = pretty_midi.Instrument(program=track.program, is_drum=track.is_drum, name=track.name)
        instrument.notes = [pretty_midi.Note(velocity=n.velocity, pitch=n.pitch, start=n.start, end=n.end)
                            for n in track.notes]
        midi.instruments.append(instrument)
    with atomic_path(path) as temporary:
        midi.write(str(temporary))
