"""mir_eval scores per file and duration-weighted over folders."""

from pathlib import Path

import pytest

from v2m_core.chords.evaluation import METRICS, evaluate_folders, score
from v2m_core.chords.lab import write_lab
from v2m_core.errors import UsageError
from v2m_core.schemas.chords import ChordSegment


def seg(start: float, end: float, label: str) -> ChordSegment:
    return ChordSegment(start=start, end=end, label=label)


def test_scores_follow_mir_eval_rules() -> None:
    scores = score([seg(0, 2, "C:maj7"), seg(2, 4, "A:min")], [seg(0, 2, "C:maj"), seg(2, 3, "A:min")])
    assert set(scores) == set(METRICS)
    assert scores["majmin"] == pytest.approx(0.75) and scores["sevenths"] == pytest.approx(0.25)
    assert score([seg(0, 1, "C:maj")], [])["root"] == 0.0


def test_folders_are_paired_by_name_and_weighted_by_duration(tmp_path: Path) -> None:
    (tmp_path / "ref").mkdir(), (tmp_path / "est").mkdir()
    write_lab(tmp_path / "ref" / "long.lab", [seg(0, 9, "C:maj")])
    write_lab(tmp_path / "ref" / "short.lab", [seg(0, 1, "G:maj")])
    write_lab(tmp_path / "ref" / "lost.lab", [seg(0, 1, "G:maj")])
    write_lab(tmp_path / "est" / "long.lab", [seg(0, 9, "C:maj")])
    (tmp_path / "est" / "short.csv").write_text("Chord,Start,End\nD:min,0,1\n")
    result = evaluate_folders(tmp_path / "ref", tmp_path / "est")
    assert [f.name for f in result.files] == ["long", "short"] and result.missing == ["lost.lab"]
    assert result.total["majmin"] == pytest.approx(0.9)


def test_folder_problems_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a folder"):
        evaluate_folders(tmp_path / "nope", tmp_path)
    (tmp_path / "ref").mkdir(), (tmp_path / "est").mkdir()
    with pytest.raises(UsageError, match="no .lab or .csv chord files"):
        evaluate_folders(tmp_path / "ref", tmp_path / "est")
    write_lab(tmp_path / "ref" / "a.lab", [seg(0, 1, "C:maj")])
    with pytest.raises(UsageError, match="no estimate matches"):
        evaluate_folders(tmp_path / "ref", tmp_path / "est")
