"""`v2m compose --drum-model/--melody-model` and `v2m train melody`: the learned renderers from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.compose.conftest import Composed
from v2m_core.evaluation.music import evaluate_music
from v2m_core.melody.synthetic import write_melody_collection


def test_model_flags_swap_the_learned_renderers_in_for_their_rule_twins(cli, kept: Composed, drum_model: Path,
                                                                        melody_model: Path, tmp_path: Path) -> None:
    result = cli("compose", str(kept.video), "-o", str(tmp_path / "out.mp4"), "--seed", "3", "--keep", str(tmp_path / "work"),
                 "--drum-model", str(drum_model), "--melody-model", str(melody_model))
    assert result.code == 0, result.err
    composition = json.loads((tmp_path / "work" / "composition.json").read_text())
    assert composition["renderers"] == ["chords", "bass", "melody-learned", "drums-learned"]
    metrics = evaluate_music(tmp_path / "work").metrics
    assert metrics["cut_downbeat_chord"] == 1.0 and metrics["key_consistency"] >= 0.8


def test_a_model_flag_for_a_missing_file_fails_before_anything_is_written(cli, kept: Composed, tmp_path: Path) -> None:
    result = cli("compose", str(kept.video), "-o", str(tmp_path / "out.mp4"), "--drum-model", str(tmp_path / "none.pt"))
    assert result.code == 2 and "none.pt" in result.err and not (tmp_path / "out.mp4").exists()


def test_train_melody_cli_writes_a_checkpoint_or_names_the_folder(cli, tmp_path: Path) -> None:
    write_melody_collection(tmp_path / "midi", files=2, sections=3, seed=2)
    result = cli("train", "melody", str(tmp_path / "midi"), "-o", str(tmp_path / "m.pt"), "--iterations", "3", "-f", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["files"] == 2 and (tmp_path / "m.pt").is_file()
    empty = cli("train", "melody", str(tmp_path / "nothing"), "-o", str(tmp_path / "e.pt"))
    assert empty.code == 2 and "nothing: no .mid" in empty.err
