"""Reading any chord file v2m knows by its suffix: `.lab` or Omnizart's `.csv`."""

from __future__ import annotations

from pathlib import Path

from v2m_core.chords.lab import read_lab
from v2m_core.chords.omnizart_csv import read_omnizart_csv
from v2m_core.schemas.chords import ChordSegment

CHORD_SUFFIXES = (".lab", ".csv")


def read_chord_file(path: Path) -> list[ChordSegment]:
    path = Path(path)
    return read_omnizart_csv(path) if path.suffix.lower() == ".csv" else read_lab(path)
