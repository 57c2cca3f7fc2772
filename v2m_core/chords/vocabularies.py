"""Chord vocabularies (the label sets recognizers and models emit) and mapping labels into them.

A label outside a vocabulary maps to the vocabulary chord on the same root whose pitch content fits
it best (maj7 -> maj under major/minor, dim -> min, 9 -> 7 under Video2Music's qualities), so
labels from any recognizer can feed any model or be compared with any reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import mir_eval.chord as harte
import numpy as np

from v2m_core.chords.labels import NO_CHORD, UNKNOWN_CHORD, normalize, parse
from v2m_core.errors import UsageError
from v2m_core.music.theory import NOTE_NAMES


@dataclass(frozen=True)
class Vocabulary:
    """12 roots times `qualities`, plus N (and X when `has_unknown`), in a fixed index order."""

    name: str
    qualities: tuple[str, ...]
    has_unknown: bool
    description: str

    @cached_property
    def labels(self) -> tuple[str, ...]:
        """N first, then root-major order (C:q1, C:q2, ..., B:qn), then X when present."""
        chords = tuple(f"{root}:{quality}" for root in NOTE_NAMES for quality in self.qualities)
        return (NO_CHORD, *chords, *((UNKNOWN_CHORD,) if self.has_unknown else ()))

    def __len__(self) -> int:
        return len(self.labels)

    def index(self, label: str) -> int:
        """Position of `label` (any spelling) after mapping it into this vocabulary."""
        return self.labels.index(self.map(label))

    def map(self, label: str) -> str:
        """The closest label of this vocabulary; bass notes are dropped (no vocabulary has inversions)."""
        chord = parse(label)
        if chord is None:
            text = label.strip()
            return UNKNOWN_CHORD if text == UNKNOWN_CHORD and self.has_unknown else NO_CHORD
        best = max(self.qualities, key=lambda q: (_fit(chord.intervals, _intervals(q)), q == "maj", q == "min"))
        return f"{NOTE_NAMES[chord.root]}:{best}"


def _intervals(quality: str) -> frozenset[int]:
    return frozenset(int(i) for i in np.flatnonzero(harte.QUALITIES[quality]))


def _fit(heard: frozenset[int], candidate: frozenset[int]) -> float:
    """Shared notes count; notes the candidate adds are penalised, so maj7 prefers maj over 7.

    Ties go to maj, then min (see `Vocabulary.map`): a power chord C:5 becomes C:maj.
    """
    return len(heard & candidate) - 0.5 * len(candidate - heard)


MAJMIN = Vocabulary("majmin", ("maj", "min"), False, "major and minor triads + N (25 labels)")
V2M = Vocabulary("v2m", ("maj", "dim", "sus4", "min7", "min", "sus2", "aug", "dim7", "maj6", "hdim7", "7", "min6", "maj7"),
                 False, "Video2Music's 13 qualities + N (157 labels)")
BTC_LARGE = Vocabulary("btc-large", ("min", "maj", "dim", "aug", "min6", "maj6", "min7", "minmaj7", "maj7", "7", "dim7",
                                     "hdim7", "sus2", "sus4"), True, "BTC's large vocabulary: 14 qualities + X + N (170 labels)")
FULL = "full"
"""Any Harte label, kept as normalised (a recognizer that emits free-form chords declares this)."""

VOCABULARIES: dict[str, Vocabulary] = {v.name: v for v in (MAJMIN, V2M, BTC_LARGE)}


def vocabulary(name: str) -> Vocabulary:
    try:
        return VOCABULARIES[name]
    except KeyError:
        raise UsageError(f"unknown chord vocabulary '{name}'; valid names: {', '.join(VOCABULARIES)}") from None


def to_vocabulary(label: str, name: str) -> str:
    """Map `label` into vocabulary `name`; 'full' only normalises it."""
    return normalize(label) if name == FULL else vocabulary(name).map(label)
