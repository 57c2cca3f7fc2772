"""Segments <-> per-second labels: majority by duration, N where nothing sounds."""

from v2m_core.chords.per_second import format_per_second, from_per_second, to_per_second
from v2m_core.schemas.chords import ChordSegment


def seg(start: float, end: float, label: str) -> ChordSegment:
    return ChordSegment(start=start, end=end, label=label)


def test_majority_by_duration_within_each_second() -> None:
    segments = [seg(0, 1.4, "C:maj"), seg(1.4, 2.2, "G:maj"), seg(2.2, 3.5, "A:min")]
    assert to_per_second(segments) == ["C:maj", "G:maj", "A:min", "A:min"]


def test_gaps_and_silence_are_n() -> None:
    assert to_per_second([seg(0.0, 0.3, "C:maj"), seg(2.8, 3.0, "F:maj")]) == ["N", "N", "N"]
    assert to_per_second([], duration=2.0) == ["N", "N"]
    assert to_per_second([seg(0, 1, "C:maj")], duration=3.0) == ["C:maj", "N", "N"]


def test_ties_go_to_the_earlier_label() -> None:
    assert to_per_second([seg(0, 0.5, "C:maj"), seg(0.5, 1.0, "G:maj")]) == ["C:maj"]


def test_back_to_segments_merges_runs() -> None:
    segments = from_per_second(["N", "C:maj", "C:maj", "G:maj"], duration=3.6)
    assert [(s.start, s.end, s.label) for s in segments] == [(0, 1, "N"), (1, 3, "C:maj"), (3, 3.6, "G:maj")]
    assert format_per_second(["N", "C:maj"]) == "0 N\n1 C:maj\n"


def test_long_timelines_are_linear() -> None:
    segments = [seg(i * 0.5, (i + 1) * 0.5, "C:maj" if i % 4 < 2 else "G:maj") for i in range(20000)]
    labels = to_per_second(segments)
    assert len(labels) == 10000 and labels[:2] == ["C:maj", "G:maj"]
