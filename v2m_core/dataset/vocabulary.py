"""Chord names and the dataset's chord vocabulary.

Labels are Harte chords spelled one way (roots as `v2m_core.music.theory.NOTE_NAMES`, bass notes
dropped: the vocabulary is of per-second chords). Chord ID i is vocabulary entry i. IDs never
change: new chords are appended (sorted, so the order does not depend on which video came first)
and chords no longer used stay where they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from v2m_core.music.theory import note_name, pitch_class

NO_CHORD = "N"
UNKNOWN_CHORD = "X"
SHORTHANDS: tuple[str, ...] = (
    "maj", "min", "dim", "aug", "maj7", "min7", "7", "dim7", "hdim7", "minmaj7", "maj6", "min6", "9", "maj9",
    "min9", "sus2", "sus4", "11", "13", "maj(9)", "min(9)", "5", "1",
)
"""Harte shorthands (plus the two added-ninth forms the planners use), in vocabulary sort order."""


def canonical_chord(label: str) -> str:
    """'C#:min7/b3' -> 'C#:min7', 'Db' -> 'C#:maj'; ValueError for anything that is not a chord name."""
    text = label.strip()
    if text in (NO_CHORD, UNKNOWN_CHORD):
        return text
    root, _, rest = text.partition(":")
    quality = rest.split("/", 1)[0] if rest else "maj"
    if "/" in root:
        root = root.split("/", 1)[0]
    if quality not in SHORTHANDS:
        raise ValueError(f"unknown chord quality in {label!r}")
    return f"{note_name(pitch_class(root))}:{quality}"


def is_canonical(label: str) -> bool:
    try:
        return canonical_chord(label) == label
    except ValueError:
        return False


def chord_order(label: str) -> tuple[int, int, int]:
    """N first, then X, then by root pitch class and shorthand order."""
    if label == NO_CHORD:
        return (0, 0, 0)
    if label == UNKNOWN_CHORD:
        return (1, 0, 0)
    root, quality = label.split(":")
    return (2, pitch_class(root), SHORTHANDS.index(quality))


def extend_vocabulary(existing: Sequence[str], labels: Iterable[str]) -> list[str]:
    """`existing` unchanged, then every new canonical label in `chord_order`."""
    known = set(existing)
    new = {label for label in labels if label not in known}
    return [*existing, *sorted(new, key=chord_order)]
