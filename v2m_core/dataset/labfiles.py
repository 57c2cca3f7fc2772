"""Per-second chord files: `chords.lab`, one line per second, `start end label` (mir_eval-readable).

Line i covers [i, i+1) seconds, so the file has exactly one line per row of every per-second array.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from v2m_core.atomic import atomic_write_text
from v2m_core.dataset.vocabulary import NO_CHORD, canonical_chord
from v2m_core.schemas.chords import ChordTimeline


def per_second_labels(timeline: ChordTimeline, seconds: int) -> list[str]:
    """The label covering most of each second (the earlier one on a tie; N where nothing does)."""
    overlap: list[dict[str, float]] = [{} for _ in range(seconds)]
    for segment in timeline.segments:
        first, last = int(segment.start), min(seconds - 1, int(segment.end))
        for second in range(first, last + 1):
            share = min(segment.end, second + 1) - max(segment.start, second)
            if share > 1e-9:
                overlap[second][segment.label] = overlap[second].get(segment.label, 0.0) + share
    labels = []
    for shares in overlap:
        best = max(shares.items(), key=lambda item: item[1], default=(NO_CHORD, 0.0))[0]
        labels.append(canonical_chord(best))
    return labels


def write_chord_lab(path: Path, labels: Sequence[str]) -> None:
    atomic_write_text(path, "".join(f"{second} {second + 1} {label}\n" for second, label in enumerate(labels)))


def read_chord_lab(path: Path) -> list[tuple[float, float, str]]:
    """(start, end, label) per line; ValueError naming the line when one is malformed."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 3:
            raise ValueError(f"{path.name} line {number}: expected 'start end label'")
        rows.append((float(parts[0]), float(parts[1]), parts[2]))
    return rows
