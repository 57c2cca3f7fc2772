"""Harte chord labels, parsed and validated by mir_eval's chord module and spelled one way.

Recognizers spell the same chord differently ("C#", "Db:maj", "C:maj/1"); normalising gives one
spelling per chord, so labels compare as strings and vocabularies map them without guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

import mir_eval.chord as harte

from v2m_core.errors import V2MError
from v2m_core.music.theory import NOTE_NAMES

NO_CHORD = "N"
UNKNOWN_CHORD = "X"


class ChordLabelError(V2MError):
    """A label mir_eval cannot parse as Harte notation."""


@dataclass(frozen=True)
class Chord:
    """A parsed chord: `root` and `bass` are pitch classes; `intervals` are semitones above the root.

    `quality` is mir_eval's shorthand ("maj" for a bare root), empty for an interval list like "C:(1,3)".
    """

    root: int
    quality: str
    intervals: frozenset[int]
    bass: int

    @property
    def pitch_classes(self) -> frozenset[int]:
        return frozenset((self.root + i) % 12 for i in self.intervals)


def parse(label: str) -> Chord | None:
    """The chord a label names, or None for N and X (no chord, unknown chord)."""
    text = label.strip()
    if text in (NO_CHORD, UNKNOWN_CHORD):
        return None
    try:
        _, quality, _, _ = harte.split(text, reduce_extended_chords=False)
        root, bitmap, bass = harte.encode(text, reduce_extended_chords=True)
    except (harte.InvalidChordException, ValueError, KeyError) as error:
        reason = " ".join(str(error).split())  # mir_eval's message repeats the label, line breaks and all
        raise ChordLabelError(f"invalid Harte chord label {label[:60]!r} ({reason:.80})") from None
    intervals = frozenset(int(i) for i in bitmap.nonzero()[0])
    return Chord(root=int(root) % 12, quality=quality, intervals=intervals, bass=(int(root) + int(bass)) % 12)


def normalize(label: str) -> str:
    """One spelling per chord: 'Db' -> 'C#:maj', 'C:maj/1' -> 'C:maj', 'A:min/b3' -> 'A:min/b3'."""
    text = label.strip()
    if text in (NO_CHORD, UNKNOWN_CHORD):
        return text
    chord = parse(text)
    assert chord is not None
    _, quality, extensions, bass_degree = harte.split(text, reduce_extended_chords=False)
    degrees = "(" + ",".join(sorted(extensions, key=_degree_order)) + ")" if extensions else ""
    spelled = f"{NOTE_NAMES[chord.root]}:{quality}{degrees}"
    if bass_degree and bass_degree != "1":
        spelled += f"/{bass_degree}"
    return spelled


def _degree_order(degree: str) -> tuple[int, str]:
    return int(degree.lstrip("*b#")), degree


def canonical_chord(label: str) -> str:
    """'C#:min7/b3' -> 'C#:min7', 'Db' -> 'C#:maj'; ChordLabelError for anything that is not Harte notation."""
    return normalize(label).split("/", 1)[0]
