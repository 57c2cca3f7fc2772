"""`v2m eval music`: measures on a kept composition, on a bare video, and on hand-made notes."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from tests.compose.conftest import Composed
from v2m_core.evaluation.audio import silent_stretches
from v2m_core.evaluation.music import AUDIO_METRICS, NOTE_METRICS, evaluate_music
from v2m_core.evaluation.notes import (
    beat_hit_rate,
    groove_consistency,
    key_consistency,
    pitch_class_entropy,
)
from v2m_core.schemas.midi import Note
from v2m_core.testing.fixtures import sample_plan


def _notes(pitches: list[int], starts: list[float]) -> list[Note]:
    return [Note(pitch=p, start=s, end=s + 0.1, velocity=80) for p, s in zip(pitches, starts)]


def test_kept_folder_gets_every_measure(kept: Composed) -> None:
    result = evaluate_music(kept.work)
    metrics = result.metrics
    assert result.missing == ["melody_over_chords_db needs the stems: compose with --keep DIR --stems"]
    assert all(metrics[name] is not None for name in (*NOTE_METRICS, *AUDIO_METRICS))
    assert metrics["cut_downbeat_chord"] == 1.0 and metrics["cut_onset"] >= 0.6
    assert metrics["beat_hit_rate"] >= 0.95 and metrics["key_consistency"] >= 0.9
    assert 0 < metrics["pitch_class_entropy"] <= math.log2(12)
    assert 0 <= metrics["groove_consistency"] <= 1
    assert abs(metrics["integrated_lufs"] - -14) <= 1 and metrics["true_peak_dbtp"] <= -0.9
    assert metrics["silent_stretches"] == 0


def test_bare_video_gets_audio_measures_and_says_why_not_notes(kept: Composed) -> None:
    result = evaluate_music(kept.output)
    assert all(result.metrics[name] is None for name in NOTE_METRICS)
    assert result.metrics["integrated_lufs"] is not None and result.metrics["true_peak_dbtp"] is not None
    assert any("plan.json and music.mid" in line for line in result.missing)


def test_cli_json_and_table(cli, kept: Composed) -> None:
    as_json = cli("eval", "music", str(kept.work), "--format", "json")
    assert as_json.code == 0, as_json.err
    assert json.loads(as_json.out)["metrics"]["cut_downbeat_chord"] == 1.0
    table = cli("eval", "music", str(kept.output))
    assert table.code == 0 and "integrated_lufs" in table.out and "music.mid" in table.err


def test_missing_target_is_one_line(cli, tmp_path: Path) -> None:
    result = cli("eval", "music", str(tmp_path / "nothing"))
    assert result.code == 1 and "no such file" in result.err


def test_empty_folder_says_what_it_needs(cli, tmp_path: Path) -> None:
    result = cli("eval", "music", str(tmp_path))
    assert result.code == 2 and "--keep" in result.err


def test_beat_hit_rate_counts_sixteenths_within_30_ms() -> None:
    plan = sample_plan()  # 120 bpm: sixteenths every 0.125 s
    onsets = np.array([0.0, 0.125, 0.26, 0.0625 + 0.125])
    assert beat_hit_rate(plan, onsets) == 0.75


def test_groove_consistency_is_one_for_repeated_bars_and_lower_for_varied_ones() -> None:
    plan = sample_plan()  # 2 s bars
    steady = _notes([36] * 32, [bar * 2.0 + beat * 0.5 for bar in range(8) for beat in range(4)])
    varied = _notes([36] * 16, [bar * 2.0 + (0.5 if bar % 2 else 0.25) * beat for bar in range(8) for beat in range(2)])
    assert groove_consistency(plan, steady) == 1.0
    assert groove_consistency(plan, varied) == pytest.approx(1 - 2 / 16)


def test_key_consistency_and_entropy() -> None:
    plan = sample_plan()  # C major, C chord in the first bar
    assert key_consistency(plan, _notes([60, 62, 61, 66], [0, 0.5, 1, 1.5])) == 0.5
    assert pitch_class_entropy(_notes(list(range(60, 72)), [0.1 * i for i in range(12)])) == pytest.approx(math.log2(12))
    assert pitch_class_entropy(_notes([60, 72], [0, 1])) == 0.0


def test_silent_stretches_need_a_second() -> None:
    rate = 8000
    tone = 0.3 * np.sin(np.arange(rate) * 0.3)
    audio = np.concatenate([tone, np.zeros(rate // 2), tone, np.zeros(2 * rate), tone])[:, None]
    assert silent_stretches(audio, rate) == [(2.5, 4.5)]


def test_malformed_plan_is_one_line(cli, tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text('{"duration": -1}')
    result = cli("eval", "music", str(tmp_path))
    assert result.code == 2 and "plan.json: not a v2m CompositionPlan" in result.err and "\n" not in result.err.strip()
