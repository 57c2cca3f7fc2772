"""The chord benchmark's own data: MIDI with known chords, rendered with FluidSynth.

Two kinds of piece, each written as `<name>.wav` (44.1 kHz) beside `<name>.lab` (the reference):

* generated progressions: diatonic chords (triads, or with sevenths) in every key, five
  instrumentations (block, arpeggiated, sustained, off-beat), five tempi, with and without drums,
  over a root-note bass line;
* Bach chorales from the music21 corpus (when music21 is installed), all four voices rendered; the
  reference is each chordified slice whose pitch classes spell a known chord exactly, and X (left
  out of every score) where passing notes make a slice no clean chord.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from v2m_core.chords.lab import write_lab
from v2m_core.chords.labels import UNKNOWN_CHORD
from v2m_core.music.midi_file import write_midi
from v2m_core.music.theory import NOTE_NAMES, voice_lead
from v2m_core.schemas.chords import ChordSegment
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.synthesizers.fluidsynth import FluidSynthSynthesizer

SAMPLE_RATE = 44100
QUALITY_INTERVALS = {"maj": (0, 4, 7), "min": (0, 3, 7), "dim": (0, 3, 6), "aug": (0, 4, 8), "7": (0, 4, 7, 10),
                     "maj7": (0, 4, 7, 11), "min7": (0, 3, 7, 10), "hdim7": (0, 3, 6, 10), "dim7": (0, 3, 6, 9)}
DIATONIC = ((0, "maj", "maj7"), (2, "min", "min7"), (4, "min", "min7"), (5, "maj", "maj7"), (7, "maj", "7"),
            (9, "min", "min7"))
"""Major-key degrees I ii iii IV V vi: (semitones above the tonic, triad quality, seventh quality)."""
STYLES = (("piano", 0, "block"), ("guitar", 25, "arpeggio"), ("strings", 48, "sustain"), ("e-piano", 4, "offbeat"),
          ("organ", 16, "sustain"))
TEMPI = (72.0, 90.0, 108.0, 126.0, 144.0)


@dataclass(frozen=True)
class Piece:
    name: str
    group: str
    """'generated', 'generated+drums' or 'chorale'."""
    audio: Path
    reference: Path


def _progression(rng: np.random.Generator, key: int, sevenths: bool, chords: int) -> list[tuple[int, str]]:
    """A random walk over diatonic chords that starts on I and avoids repeating a chord."""
    degree, walk = 0, []
    for _ in range(chords):
        offset, triad, seventh = DIATONIC[degree]
        walk.append(((key + offset) % 12, seventh if sevenths and rng.random() < 0.6 else triad))
        degree = int(rng.choice([d for d in range(len(DIATONIC)) if d != degree]))
    return walk


def _generated_tracks(walk: list[tuple[int, str]], tempo: float, style: tuple[str, int, str], drums: bool,
                      rng: np.random.Generator) -> tuple[list[MidiTrack], list[ChordSegment]]:
    beat = 60.0 / tempo
    beats_per_chord = 4 if tempo < 120 else 8
    chord_notes: list[Note] = []
    bass: list[Note] = []
    segments: list[ChordSegment] = []
    previous: tuple[int, ...] | None = None
    _, program, pattern = style
    for index, (root, quality) in enumerate(walk):
        start, length = index * beats_per_chord * beat, beats_per_chord * beat
        segments.append(ChordSegment(start=start, end=start + length, label=f"{NOTE_NAMES[root]}:{quality}"))
        voicing = voice_lead([(root + i) % 12 for i in QUALITY_INTERVALS[quality]], previous, 55, 79)
        previous = voicing
        velocity = int(rng.integers(70, 95))
        for b in range(beats_per_chord):
            at = start + b * beat
            if pattern == "block":
                chord_notes += [Note(pitch=p, start=at, end=at + 0.9 * beat, velocity=velocity) for p in voicing]
            elif pattern == "offbeat":
                chord_notes += [Note(pitch=p, start=at + beat / 2, end=at + beat * 0.95, velocity=velocity) for p in voicing]
            elif pattern == "arpeggio":
                for half in range(2):
                    pitch = voicing[(2 * b + half) % len(voicing)]
                    chord_notes.append(Note(pitch=pitch, start=at + half * beat / 2, end=at + beat, velocity=velocity))
        if pattern == "sustain":
            chord_notes += [Note(pitch=p, start=start, end=start + length * 0.98, velocity=velocity) for p in voicing]
        bass_pitch = 36 + (root - 36) % 12
        bass += [Note(pitch=bass_pitch, start=start + b * beat, end=start + (b + 1.8) * beat, velocity=90)
                 for b in range(0, beats_per_chord, 2)]
    tracks = [MidiTrack(name="chords", role="chords", program=program, notes=chord_notes),
              MidiTrack(name="bass", role="bass", program=33, notes=bass)]
    if drums:
        total_beats = len(walk) * beats_per_chord
        hits = [Note(pitch=36 if b % 2 == 0 else 38, start=b * beat, end=b * beat + 0.1, velocity=100) for b in range(total_beats)]
        hits += [Note(pitch=42, start=e * beat / 2, end=e * beat / 2 + 0.05, velocity=70) for e in range(2 * total_beats)]
        tracks.append(MidiTrack(name="drums", role="drums", is_drum=True, notes=hits))
    return tracks, segments


def _render(tracks: list[MidiTrack], segments: list[ChordSegment], folder: Path, name: str,
            soundfont: Path | None) -> tuple[Path, Path]:
    """Render once: an existing WAV (from an earlier run) is reused."""
    midi, audio, reference = folder / f"{name}.mid", folder / f"{name}.wav", folder / f"{name}.lab"
    if not audio.exists():
        write_midi(tracks, midi)
        FluidSynthSynthesizer().synthesize(midi, audio, SAMPLE_RATE, soundfont=soundfont)
        write_lab(reference, segments)
    return audio, reference


def generated(folder: Path, count: int, soundfont: Path | None) -> Iterator[Piece]:
    for index in range(count):
        rng = np.random.default_rng(index)
        style = STYLES[index % len(STYLES)]
        drums = index % 2 == 1
        tempo = TEMPI[(index // 2) % len(TEMPI)]
        walk = _progression(rng, key=(index * 7) % 12, sevenths=index % 3 != 0, chords=12)
        name = f"gen{index:02d}-{style[0]}-{tempo:.0f}bpm-{NOTE_NAMES[(index * 7) % 12]}{'-drums' if drums else ''}"
        tracks, segments = _generated_tracks(walk, tempo, style, drums, rng)
        audio, reference = _render(tracks, segments, folder, name, soundfont)
        yield Piece(name, "generated+drums" if drums else "generated", audio, reference)


def _slice_label(pitch_classes: set[int], music21_root: int) -> str:
    """The chord these pitch classes spell exactly (music21's root breaks ties), else X."""
    matches = [(root, quality) for root in sorted(pitch_classes) for quality, intervals in QUALITY_INTERVALS.items()
               if {(root + i) % 12 for i in intervals} == pitch_classes]
    if not matches:
        return UNKNOWN_CHORD
    root, quality = min(matches, key=lambda m: (m[0] != music21_root, len(QUALITY_INTERVALS[m[1]])))
    return f"{NOTE_NAMES[root]}:{quality}"


def chorales(folder: Path, count: int, soundfont: Path | None) -> Iterator[Piece]:
    """The first `count` four-part Bach chorales of the music21 corpus that parse."""
    try:
        from music21 import chord, corpus, note
    except ImportError:
        return
    tempo = 80.0
    second = 60.0 / tempo
    programs = (19, 0, 48, 52)
    made = 0
    for path in sorted(corpus.getComposer("bach"), key=str):
        if made >= count:
            return
        score = corpus.parse(path)
        if len(score.parts) != 4:
            continue
        name = f"chorale-{Path(path).stem.replace('.', '-')}"
        notes = [Note(pitch=n.pitch.midi, start=float(n.getOffsetInHierarchy(score)) * second,
                      end=float(n.getOffsetInHierarchy(score) + n.quarterLength) * second, velocity=80)
                 for n in score.recurse().getElementsByClass(note.Note) if n.quarterLength > 0]
        program = programs[made % len(programs)]
        tracks = [MidiTrack(name="voices", role="chords", program=program, notes=notes)]
        segments: list[ChordSegment] = []
        chordified = score.chordify()
        for item in chordified.recurse().getElementsByClass(chord.Chord):
            if item.quarterLength <= 0:
                continue
            start = float(item.getOffsetInHierarchy(chordified)) * second
            end = start + float(item.quarterLength) * second
            label = _slice_label({p.pitchClass for p in item.pitches}, item.root().pitchClass)
            if segments and segments[-1].label == label and abs(segments[-1].end - start) < 1e-6:
                segments[-1] = segments[-1].model_copy(update={"end": end})
            elif not segments or start >= segments[-1].end - 1e-6:
                segments.append(ChordSegment(start=start, end=end, label=label))
        audio, reference = _render(tracks, segments, folder, name, soundfont)
        made += 1
        yield Piece(name, "chorale", audio, reference)
