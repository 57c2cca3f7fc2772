"""Reading per-second series over a stretch of time."""

from __future__ import annotations

from v2m_core.music.seconds import mean_over, seconds_covering


def test_a_stretch_covers_the_seconds_it_touches_and_never_none() -> None:
    assert seconds_covering(10, 2.5, 4.2) == slice(2, 5)
    assert seconds_covering(10, 3.0, 3.0) == slice(3, 4)
    assert seconds_covering(10, 12.0, 15.0) == slice(9, 10)  # past the end: the last second
    assert mean_over([0.0, 1.0, 0.5, 1.0], 1.2, 2.9) == 0.75
    assert mean_over([], 0.0, 3.0) == 0.5
