"""Running a chord recognizer over a file in bounded memory: blocks in, one stitched timeline out."""

from __future__ import annotations

from pathlib import Path

from v2m_core.audio_input import iter_audio
from v2m_core.interfaces.recognizer import ChordRecognizer
from v2m_core.schemas.chords import ChordSegment, ChordTimeline

BLOCK_SECONDS = 180.0
"""Three minutes per block: a 30-minute file peaks near 650 MB with madmom, and block edges stay rare."""


def recognize_file(recognizer: ChordRecognizer, path: Path, sample_rate: int = 44100,
                   block_seconds: float = BLOCK_SECONDS) -> ChordTimeline:
    """Recognize each block, shift its segments to file time and merge equal labels across block edges."""
    segments: list[ChordSegment] = []
    offset = 0.0
    for block in iter_audio(path, sample_rate, block_seconds):
        length = len(block) / sample_rate
        for segment in recognizer.recognize(block, sample_rate).segments:
            start = max(offset + segment.start, segments[-1].end if segments else 0.0)
            end = min(offset + segment.end, offset + length)
            if end <= start:
                continue
            if segments and segments[-1].label == segment.label and start - segments[-1].end < 1e-6:
                segments[-1] = segments[-1].model_copy(update={"end": end})
            else:
                segments.append(ChordSegment(start=start, end=end, label=segment.label))
        offset += length
    return ChordTimeline(segments=segments, vocabulary=recognizer.vocabulary, source=recognizer.name)


DEFAULT_PREFERENCE = ("madmom", "chroma-template")
"""The recognizer `v2m chords` uses when none is named: the first of these that is installed."""


def default_recognizer(available: list[str]) -> str:
    return next((name for name in DEFAULT_PREFERENCE if name in available), available[0] if available else DEFAULT_PREFERENCE[-1])
