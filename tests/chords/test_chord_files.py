"""`.lab` and Omnizart CSV files round-trip, and malformed ones name the file and line."""

from pathlib import Path

import pytest

from v2m_core.chords.files import read_chord_file
from v2m_core.chords.lab import read_lab, write_lab
from v2m_core.chords.omnizart_csv import read_omnizart_csv
from v2m_core.errors import MediaError
from v2m_core.schemas.chords import ChordSegment


def test_lab_round_trip(tmp_path: Path) -> None:
    segments = [ChordSegment(start=0, end=1.5, label="N"), ChordSegment(start=1.5, end=3.25, label="C:maj7/3")]
    write_lab(tmp_path / "a.lab", segments)
    assert read_lab(tmp_path / "a.lab") == segments
    assert list(tmp_path.iterdir()) == [tmp_path / "a.lab"]  # written atomically: no temporary left


def test_lab_accepts_spaces_comments_and_blank_lines(tmp_path: Path) -> None:
    (tmp_path / "b.lab").write_text("# song\n0.0 1.0 C\n\n1.0  2.0\tA:min\n")
    assert [s.label for s in read_lab(tmp_path / "b.lab")] == ["C", "A:min"]


@pytest.mark.parametrize(("text", "problem"), [
    ("0 1 C\n1 2\n", r"b.lab:2: expected 'start end label'"),
    ("0 1 C\n1 x C\n", r"b.lab:2: times must be numbers"),
    ("0 1 C\n2 1 C\n", r"b.lab:2: segment times must satisfy"),
    ("0 1 C\n1 2 C:nonsense\n", r"b.lab:2: invalid Harte chord label 'C:nonsense'"),
    ("0 2 C\n1 3 G\n", r"b.lab:2: segment starts at 1.0 before the previous one ends"),
])
def test_malformed_lab_names_file_and_line(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "b.lab").write_text(text)
    with pytest.raises(MediaError, match=problem):
        read_lab(tmp_path / "b.lab")


def test_unreadable_files_are_clear(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="absent.lab: file not found"):
        read_lab(tmp_path / "absent.lab")
    (tmp_path / "bin.lab").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(MediaError, match="not a text file"):
        read_lab(tmp_path / "bin.lab")


def test_omnizart_csv(tmp_path: Path) -> None:
    (tmp_path / "song.csv").write_text("Chord,Start,End\nC:maj,0.5,2.0\nA#:min,2.0,4.0\n")
    segments = read_chord_file(tmp_path / "song.csv")
    assert [(s.start, s.end, s.label) for s in segments] == [(0.5, 2.0, "C:maj"), (2.0, 4.0, "A#:min")]
    (tmp_path / "lower.csv").write_text("start,end,chord\n0,1,G:maj\n")
    assert read_omnizart_csv(tmp_path / "lower.csv")[0].label == "G:maj"


@pytest.mark.parametrize(("text", "problem"), [
    ("Name,Start,End\nC,0,1\n", r"bad.csv:1: expected a header with Chord, Start and End"),
    ("Chord,Start,End\nC,0,1\nG,1\n", r"bad.csv:3: expected 3 columns"),
    ("Chord,Start,End\nC,0,1\nQ:maj,1,2\n", r"bad.csv:3: invalid Harte chord label"),
])
def test_malformed_omnizart_csv_names_file_and_line(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "bad.csv").write_text(text)
    with pytest.raises(MediaError, match=problem):
        read_omnizart_csv(tmp_path / "bad.csv")
