"""frames_to_segments: the one way frame-wise recognizers turn labels into a timeline."""

from __future__ import annotations

import pytest

from v2m_core.chords.frames import frames_to_segments


def _spans(labels: list[str], frame_seconds: float, duration: float) -> list[tuple[float, float, str]]:
    return [(s.start, s.end, s.label) for s in frames_to_segments(labels, frame_seconds, duration)]


def test_runs_of_equal_labels_become_one_segment_ending_at_the_audio() -> None:
    spans = _spans(["C:maj", "C:maj", "G:maj", "G:maj", "N"], 0.5, 2.3)
    assert spans == [(0.0, 1.0, "C:maj"), (1.0, 2.0, "G:maj"), (2.0, 2.3, "N")]


def test_frames_past_the_end_of_the_audio_are_dropped() -> None:
    assert _spans(["A:min", "A:min", "F:maj"], 1.0, 1.5) == [(0.0, 1.5, "A:min")]


@pytest.mark.parametrize(("duration", "expected"), [(3.0, [(0.0, 3.0, "N")]), (0.0, [])])
def test_audio_without_frames_is_no_chord(duration: float, expected: list[tuple[float, float, str]]) -> None:
    assert _spans([], 0.1, duration) == expected
