"""The one table of measure targets and explanations that bench/montage.py and `v2m report` share."""

from __future__ import annotations

from v2m_core.evaluation.measure_targets import EXPLANATIONS, TARGETS, Target
from v2m_core.evaluation.music import AUDIO_METRICS, MUSICIANSHIP_METRICS, NOTE_METRICS, PULSE_METRICS


def test_every_measure_is_explained_and_every_target_is_a_measure() -> None:
    measures = {*NOTE_METRICS, *PULSE_METRICS, *MUSICIANSHIP_METRICS, *AUDIO_METRICS}
    assert set(EXPLANATIONS) == measures
    assert set(TARGETS) <= measures
    assert all(len(line) <= 120 and line.endswith(".") for line in EXPLANATIONS.values())


def test_a_target_follows_the_pacing_of_the_cuts() -> None:
    cuts_on_beat = TARGETS["cuts_on_beat"]
    assert cuts_on_beat.passes(0.55, 1.2) and cuts_on_beat.passes(0.55, 0.9)
    assert cuts_on_beat.passes(0.55, 2.0) is False and cuts_on_beat.passes(0.55, None) is False
    crashes = TARGETS["crashes_per_min"]
    assert crashes.passes(5.0, 2.0) and crashes.passes(7.0, 2.3) is False
    assert crashes.passes(7.0, 5.0) is None and crashes.passes(7.0, None) is None
    assert Target(True, 3.0, upper=6.0).passes(6.5, None) is False and TARGETS["largest_jolt"].passes(None, 2.0) is None
    assert str(cuts_on_beat) == "≥0.6 (0.5 at 1.2 s)" and str(crashes) == "≤6 at 2 s"
