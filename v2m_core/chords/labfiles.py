"""Per-second chord files: `chords.lab`, one `start end label` segment per second (mir_eval reads it).

Line i covers [i, i+1) seconds, so the file has exactly one line per row of every per-second array.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from v2m_core.chords.lab import read_lab, write_lab
from v2m_core.chords.labels import canonical_chord
from v2m_core.chords.per_second import to_per_second
from v2m_core.schemas.chords import ChordSegment, ChordTimeline


def per_second_labels(timeline: ChordTimeline, seconds: int) -> list[str]:
    """The label covering most of each second (N where nothing does), in the vocabulary's spelling."""
    return [canonical_chord(label) for label in to_per_second(timeline.segments, float(seconds))]


def write_chord_lab(path: Path, labels: Sequence[str]) -> None:
    write_lab(path, [ChordSegment(start=second, end=second + 1, label=label) for second, label in enumerate(labels)])


def read_chord_lab(path: Path) -> list[ChordSegment]:
    """The segments; a MediaError names the file and line when one is malformed."""
    return read_lab(path)


def read_chord_labels(path: Path) -> list[str]:
    return [segment.label for segment in read_lab(path)]
