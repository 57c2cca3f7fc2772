"""The key a chord sequence is in, and chord labels moved to another key (the amt planner, MuVi import)."""

from __future__ import annotations

from collections.abc import Sequence

from v2m_core.chords.labels import NO_CHORD, UNKNOWN_CHORD, canonical_chord
from v2m_core.music.theory import pitch_class

V2M_ROOTS: tuple[str, ...] = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
MAJOR_TRIADS = {0: "maj", 2: "min", 4: "min", 5: "maj", 7: "maj", 9: "min", 11: "dim"}


def estimate_key(labels: Sequence[str]) -> tuple[int, str]:
    """(tonic, mode) whose diatonic triads cover most seconds; the tonic chord's count breaks ties."""
    counts: dict[tuple[int, str], int] = {}
    for label in labels:
        if label not in (NO_CHORD, UNKNOWN_CHORD):
            root, quality = label.split(":")
            triad = "min" if quality.startswith("min") or quality == "hdim7" else "dim" if quality.startswith("dim") else "maj"
            counts[(pitch_class(root), triad)] = counts.get((pitch_class(root), triad), 0) + 1
    best, best_score = (0, "major"), (-1, -1)
    for tonic in range(12):
        diatonic = sum(counts.get(((tonic + step) % 12, triad), 0) for step, triad in MAJOR_TRIADS.items())
        for mode, home in (("major", (tonic, "maj")), ("minor", ((tonic + 9) % 12, "min"))):
            score = (diatonic, counts.get(home, 0))
            if score > best_score:
                best, best_score = ((tonic, mode) if mode == "major" else ((tonic + 9) % 12, mode)), score
    return best


def transpose(label: str, semitones: int) -> str:
    if label in (NO_CHORD, UNKNOWN_CHORD):
        return label
    root, quality = label.split(":")
    return canonical_chord(f"{V2M_ROOTS[(pitch_class(root) + semitones) % 12]}:{quality}")
