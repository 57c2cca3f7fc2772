"""Omnizart's chord output: a CSV with a `Chord,Start,End` header, one row per segment."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from v2m_core.chords.lab import append_segment, read_text
from v2m_core.errors import MediaError
from v2m_core.schemas.chords import ChordSegment

COLUMNS = ("chord", "start", "end")


def parse_omnizart_csv(text: str, path: Path) -> list[ChordSegment]:
    """Columns are found by header name in any order and case; later segments are clipped to start after earlier ones."""
    rows = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(rows, [])]
    if not all(column in header for column in COLUMNS):
        raise MediaError(f"{path}:1", f"expected a header with Chord, Start and End columns, got {','.join(header)[:60]!r}")
    position = [header.index(column) for column in COLUMNS]
    segments: list[ChordSegment] = []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise MediaError(f"{path}:{number}", f"expected {len(header)} columns, got {len(row)}")
        label, start, end = (row[i].strip() for i in position)
        append_segment(segments, path, number, start, end, label)
    return segments


def read_omnizart_csv(path: Path) -> list[ChordSegment]:
    return parse_omnizart_csv(read_text(path), Path(path))
