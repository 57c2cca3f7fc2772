"""The dataset's chord IDs: its chord vocabulary in ID order, and the one spelling its chords take (named label
sets such as majmin live in chords/vocabularies.py).

Per-second chords are spelled by `v2m_core.chords.labels.canonical_chord` (normalized, without the bass: a vocabulary
of chords, not voicings). Chord ID i is vocabulary entry i. IDs never change: new chords are
appended (sorted, so the order does not depend on which video came first) and chords no longer used
stay where they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from v2m_core.chords.labels import NO_CHORD, ChordLabelError, canonical_chord, parse

QUALITY_ORDER: tuple[str, ...] = (
    "maj", "min", "dim", "aug", "maj7", "min7", "7", "dim7", "hdim7", "minmaj7", "maj6", "min6", "9", "maj9",
    "min9", "sus2", "sus4", "11", "13",
)
"""Where each shorthand sorts among a root's chords; others follow, alphabetically."""


def is_canonical(label: str) -> bool:
    try:
        return canonical_chord(label) == label
    except ChordLabelError:
        return False


def chord_order(label: str) -> tuple[int, int, int, str]:
    """N first, then X, then by root pitch class and quality."""
    chord = parse(label)
    if chord is None:
        return (0 if label == NO_CHORD else 1, 0, 0, "")
    quality = label.split(":", 1)[1]
    rank = QUALITY_ORDER.index(quality) if quality in QUALITY_ORDER else len(QUALITY_ORDER)
    return (2, chord.root, rank, quality)


def extend_vocabulary(existing: Sequence[str], labels: Iterable[str]) -> list[str]:
    """`existing` unchanged, then every new canonical label in `chord_order`."""
    known = set(existing)
    new = {label for label in labels if label not in known}
    return [*existing, *sorted(new, key=chord_order)]

