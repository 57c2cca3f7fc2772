"""`.lab` chord files (one `start end label` line per segment, as mir_eval and MIREX read them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from v2m_core.atomic import atomic_write_text
from v2m_core.chords.labels import ChordLabelError, parse
from v2m_core.errors import MediaError
from v2m_core.schemas.chords import MAX_SECONDS, ChordSegment


def read_text(path: Path) -> str:
    """The file's text, or a MediaError naming it (missing, a folder, not UTF-8)."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MediaError(path, "file not found") from None
    except IsADirectoryError:
        raise MediaError(path, "is a directory, not a chord file") from None
    except UnicodeDecodeError:
        raise MediaError(path, "not a text file (not UTF-8)") from None
    except OSError as error:
        raise MediaError(path, f"cannot read ({error.strerror})") from None


def append_segment(segments: list[ChordSegment], path: Path, line: int, start: str, end: str, label: str) -> None:
    """Validate one segment and append it; any problem, overlap included, is a MediaError naming `path:line`."""
    where = f"{path}:{line}"
    try:
        begin, finish = float(start), float(end)
    except ValueError:
        raise MediaError(where, f"times must be numbers, got {start[:30]!r} and {end[:30]!r}") from None
    if not (0 <= begin <= finish <= MAX_SECONDS):  # also false for nan and inf
        raise MediaError(where, f"segment times must satisfy 0 <= start <= end <= {MAX_SECONDS:.0e} s, "
                                f"got {begin} and {finish}")
    try:
        parse(label)
    except ChordLabelError as error:
        raise MediaError(where, str(error)) from None
    if segments and begin < segments[-1].end - 1e-6:
        raise MediaError(where, f"segment starts at {begin} before the previous one ends")
    segments.append(ChordSegment(start=begin, end=finish, label=label))


def parse_lab(text: str, path: Path) -> list[ChordSegment]:
    """Blank lines and `#` comments are skipped; segments must not overlap."""
    segments: list[ChordSegment] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if len(fields) != 3:
            raise MediaError(f"{path}:{number}", f"expected 'start end label', got {line.strip()[:60]!r}")
        append_segment(segments, path, number, *fields)
    return segments


def read_lab(path: Path) -> list[ChordSegment]:
    return parse_lab(read_text(path), Path(path))


def format_lab(segments: Iterable[ChordSegment]) -> str:
    return "".join(f"{s.start:.3f}\t{s.end:.3f}\t{s.label}\n" for s in segments)


def write_lab(path: Path, segments: Sequence[ChordSegment]) -> None:
    atomic_write_text(Path(path), format_lab(segments))
