"""Segments <-> one label per second, the grid Video2Music's models read chords on.

Second i gets the label covering most of [i, i+1); time no segment covers counts as N, so silence
and gaps become N. Ties go to the label that starts first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from v2m_core.chords.labels import NO_CHORD
from v2m_core.schemas.chords import ChordSegment


def to_per_second(segments: Sequence[ChordSegment], duration: float | None = None) -> list[str]:
    """One label per whole or partial second of `duration` (default: the last segment's end)."""
    total = max((s.end for s in segments), default=0.0) if duration is None else duration
    seconds = math.ceil(total - 1e-9)
    labels: list[str] = []
    cursor = 0
    for second in range(seconds):
        window_end = min(second + 1.0, total)
        covered: dict[str, float] = {}
        while cursor < len(segments) and segments[cursor].end <= second:
            cursor += 1
        index = cursor
        while index < len(segments) and segments[index].start < window_end:
            overlap = min(segments[index].end, window_end) - max(segments[index].start, float(second))
            if overlap > 0:
                covered[segments[index].label] = covered.get(segments[index].label, 0.0) + overlap
            index += 1
        gap = (window_end - second) - sum(covered.values())
        if gap > 1e-9:
            covered[NO_CHORD] = covered.get(NO_CHORD, 0.0) + gap
        labels.append(max(covered, key=lambda label: covered[label]) if covered else NO_CHORD)
    return labels


def from_per_second(labels: Sequence[str], duration: float | None = None) -> list[ChordSegment]:
    """Runs of equal labels become one segment; the last ends at `duration` when given."""
    segments: list[ChordSegment] = []
    for second, label in enumerate(labels):
        if segments and segments[-1].label == label:
            segments[-1] = segments[-1].model_copy(update={"end": float(second + 1)})
        else:
            segments.append(ChordSegment(start=float(second), end=float(second + 1), label=label))
    if segments and duration is not None:
        segments[-1] = segments[-1].model_copy(update={"end": max(segments[-1].start, duration)})
    return segments


def format_per_second(labels: Sequence[str]) -> str:
    """`second label` lines, the layout of Video2Music's per-second chord files."""
    return "".join(f"{second} {label}\n" for second, label in enumerate(labels))
