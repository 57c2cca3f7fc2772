"""A generated melody collection with a known relation, for tests and the benchmark.

Each file is in a random key, one diatonic triad a bar on a "Chords" track (close triad plus bass).
The "Melody" track moves in four-bar sections of low or high energy: low sections play few, soft
notes (the two strong beats, sometimes beat 4), high ones loud eighths with some sixteenths. Notes
on the strong beats (beats 1 and 3) are always tones of the sounding chord, the others step through
the scale, so a model that learned the collection plays chord tones on strong beats and more notes
per bar as energy rises.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pretty_midi

from v2m_core.atomic import atomic_path
from v2m_core.music.theory import chord_from_numeral, nearest_pitch, scale_pitch_classes
from v2m_core.schemas.plan import Key

NUMERALS = ("I", "ii", "iii", "IV", "V", "vi")
STRONG = (0, 8)
"""Sixteenth steps of beats 1 and 3."""
LEVELS: dict[str, tuple[dict[int, float], int]] = {
    "low": ({0: 1.0, 8: 1.0, 12: 0.3}, 60),
    "high": ({**{s: 1.0 for s in range(0, 16, 2)}, **{s: 0.3 for s in range(1, 16, 2)}}, 100),
}
"""Per level: the chance of an onset on each sixteenth step, and the base velocity."""
LOW, HIGH = 60, 84


def bar_melody(chord: list[int], scale: list[int], level: str, pitch: int,
               rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """(step, pitch, velocity) of one bar, starting near `pitch`."""
    chances, base = LEVELS[level]
    ladder = [p for p in range(LOW, HIGH + 1) if p % 12 in scale]
    notes = []
    for step in sorted(s for s, chance in chances.items() if rng.random() < chance):
        if step in STRONG:
            pitch = min((nearest_pitch(pc, pitch + int(rng.integers(-4, 5)), LOW, HIGH) for pc in chord),
                        key=lambda p: abs(p - pitch))
        else:
            here = min(range(len(ladder)), key=lambda i: abs(ladder[i] - pitch))
            pitch = ladder[int(np.clip(here + rng.choice([-2, -1, 1, 2]), 0, len(ladder) - 1))]
        notes.append((step, pitch, int(np.clip(base + rng.integers(-8, 9), 1, 127))))
    return notes


def write_melody_collection(folder: Path, files: int = 8, sections: int = 6, seed: int = 0) -> list[Path]:
    """MIDI files of `sections` four-bar sections each at random levels, keys and tempi; returns their paths."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(files):
        tempo = float(rng.integers(90, 131))
        sixteenth = 60.0 / tempo / 4
        key = Key(tonic=int(rng.integers(12)), mode="major")
        scale = scale_pitch_classes(key)
        midi = pretty_midi.PrettyMIDI(initial_tempo=tempo)
        chords = pretty_midi.Instrument(program=0, name="Chords")
        melody = pretty_midi.Instrument(program=73, name="Melody")
        levels = [str(rng.choice(list(LEVELS))) for _ in range(sections)]
        pitch = 72
        for bar in range(sections * 4):
            chord = chord_from_numeral(str(rng.choice(NUMERALS)), key, 0, 1).pitch_classes
            start, end = bar * 16 * sixteenth, (bar + 1) * 16 * sixteenth
            for pc in chord:
                chords.notes.append(pretty_midi.Note(velocity=70, pitch=nearest_pitch(pc, 54, 48, 59), start=start, end=end))
            chords.notes.append(pretty_midi.Note(velocity=80, pitch=nearest_pitch(chord[0], 42, 36, 47), start=start, end=end))
            line = bar_melody(chord, scale, levels[bar // 4], pitch, rng)
            following = [step for step, _, _ in line[1:]] + [16]
            for (step, note, velocity), until in zip(line, following):
                melody.notes.append(pretty_midi.Note(velocity=velocity, pitch=note, start=start + step * sixteenth,
                                                     end=start + (until - 0.2) * sixteenth))
            pitch = line[-1][1] if line else pitch
        midi.instruments += [chords, melody]
        path = folder / f"melody-{number:02d}.mid"
        with atomic_path(path) as temporary:
            midi.write(str(temporary))
        paths.append(path)
    return paths
