"""From one chord label per analysis frame to the segments of a ChordTimeline: every frame-wise recognizer
(chroma-template, BTC, essentia) ends the same way, so runs, the end of the audio and silence are treated
alike."""

from __future__ import annotations

from collections.abc import Iterable

from v2m_core.chords.labels import NO_CHORD
from v2m_core.schemas.chords import ChordSegment


def frames_to_segments(labels: Iterable[str], frame_seconds: float, duration: float) -> list[ChordSegment]:
    """One segment per run of equal labels, frame i starting at i x `frame_seconds`; the last segment ends at
    `duration` and frames that start at or after it are dropped. Audio with no frames is one N segment (none
    when `duration` is 0)."""
    segments: list[ChordSegment] = []
    for index, label in enumerate(labels):
        start = index * frame_seconds
        if start >= duration:
            break
        if segments and segments[-1].label == label:
            continue
        if segments:
            segments[-1] = segments[-1].model_copy(update={"end": start})
        segments.append(ChordSegment(start=start, end=duration, label=label))
    if not segments and duration > 0:
        segments.append(ChordSegment(start=0.0, end=duration, label=NO_CHORD))
    return segments
