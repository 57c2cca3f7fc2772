"""validate, stats, MuVi-Sync import/export, and the `v2m dataset` commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.dataset.music_videos import MusicVideo, copy_videos, core_config, dataset_manager
from v2m_cli.dataset_cmd import app
from v2m_cli.state import CliState
from v2m_core.dataset.build import build_dataset
from v2m_core.dataset.muvi import export_muvi, import_muvi, standard_chord_table
from v2m_core.dataset.stats import dataset_stats, plot_stats
from v2m_core.dataset.validate import validate_dataset

MUVI_CHORDS = {"001": ["C", "C", "F", "G", "A:min", "A:min"], "002": ["A:min", "A#", "G:7", "C", "N"]}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory, music_videos: dict[str, MusicVideo]) -> Path:
    folder = tmp_path_factory.mktemp("interop")
    videos = copy_videos([v.path for v in music_videos.values()], folder / "videos")
    build_dataset(videos, folder / "dataset", core_config(), dataset_manager())
    return folder / "dataset"


def write_muvi_tree(root: Path) -> None:
    """A two-video tree in the released Video2Music layout (note density one line short, as its script writes)."""
    for identifier, chords in MUVI_CHORDS.items():
        seconds = len(chords)
        files = {
            ("vevo_chord", "lab_v2_norm", "all"): ["key C major", *(f"{i} {c}" for i, c in enumerate(chords))],
            ("vevo_emotion", "6c_l14p", "all"): ["time exciting_prob fearful_prob tense_prob sad_prob relaxing_prob "
                                                 "neutral_prob", *(f"{i} 0.5000 0.1000 0.1000 0.1000 0.1000 0.1000"
                                                                   for i in range(seconds))],
            ("vevo_motion", "all"): [f"{i} {0.01 * i:.4f}" for i in range(seconds)],
            ("vevo_scene_offset", "all"): [f"{i} {i % 3}" for i in range(seconds)],
            ("vevo_loudness", "all"): [f"{i} 0.2500" for i in range(seconds)],
            ("vevo_note_density", "all"): [f"{i} {float(i)}" for i in range(seconds - 1)],
        }
        for parts, lines in files.items():
            path = root.joinpath(*parts, f"{identifier}.lab")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(line + "\n" for line in lines))
        semantic = root / "vevo_semantic" / "all" / "2d" / "clip_l14p" / f"{identifier}.npy"
        semantic.parent.mkdir(parents=True, exist_ok=True)
        np.save(semantic, np.random.default_rng(int(identifier)).normal(size=(seconds, 768)).astype(np.float32))
    split = root / "vevo_meta" / "split" / "v1"
    split.mkdir(parents=True)
    (split / "train.txt").write_text("001\n")
    (split / "val.txt").write_text("")
    (split / "test.txt").write_text("002\n")
    (root / "vevo_meta" / "chord.json").write_text(json.dumps(standard_chord_table()))


def test_a_built_dataset_validates_and_damage_is_reported(dataset: Path, tmp_path: Path) -> None:
    assert validate_dataset(dataset) == []
    damaged = tmp_path / "damaged"
    shutil.copytree(dataset, damaged)
    alpha, beta, gamma = (damaged / "videos" / name for name in ("alpha", "beta", "gamma"))
    np.save(alpha / "loudness.npy", np.zeros((5, 1), dtype=np.float32))
    lines = (beta / "chords.lab").read_text().splitlines()
    (beta / "chords.lab").write_text("\n".join([*lines[:2], "3 4 Db:maj", *lines[4:]]) + "\n")
    (gamma / "chords.lab").write_text("0 1 H:maj\n")
    checks = {(p.video, p.check) for p in validate_dataset(damaged)}
    assert {("alpha", "hash"), ("alpha", "alignment"), ("beta", "alignment"), ("beta", "continuity"),
            ("beta", "chord-name"), ("gamma", "chord-file")} <= checks


def test_muvi_import_keeps_ids_and_splits_and_export_round_trips(tmp_path: Path) -> None:
    write_muvi_tree(tmp_path / "muvi")
    manifest = import_muvi(tmp_path / "muvi", tmp_path / "dataset")
    assert len(manifest.chord_vocabulary) == 157 and manifest.chord_vocabulary[:3] == ["N", "C:maj", "C:dim"]
    assert {v.id: v.split for v in manifest.videos} == {"001": "train", "002": "test"}
    assert {f.name: f.dim for f in manifest.features} == {"semantic": 768, "motion": 1, "scene_offset": 1,
                                                          "emotion": 6, "loudness": 1, "note_density": 1}
    assert validate_dataset(tmp_path / "dataset") == []
    labels = [line.split()[2] for line in (tmp_path / "dataset" / "videos" / "002" / "chords.lab").read_text().splitlines()]
    assert labels == ["A:min", "Bb:maj", "G:7", "C:maj", "N"]
    export_muvi(tmp_path / "dataset", tmp_path / "exported")
    for identifier, chords in MUVI_CHORDS.items():
        lines = (tmp_path / "exported" / "vevo_chord" / "lab_v2_norm" / "all" / f"{identifier}.lab").read_text().splitlines()
        assert lines[0].startswith("key ") and [line.split()[1] for line in lines[1:]] == chords
    semantic = np.load(tmp_path / "exported" / "vevo_semantic" / "all" / "2d" / "clip_l14p" / "002.npy")
    assert semantic.shape == (5, 768)
    assert (tmp_path / "exported" / "vevo_meta" / "split" / "v1" / "test.txt").read_text() == "002\n"


def test_export_of_a_built_dataset(dataset: Path, tmp_path: Path) -> None:
    assert export_muvi(dataset, tmp_path / "muvi") == 3
    loudness = (tmp_path / "muvi" / "vevo_loudness" / "all" / "alpha.lab").read_text().splitlines()
    assert len(loudness) == 8 and loudness[0].startswith("0 0.")
    reimported = import_muvi(tmp_path / "muvi", tmp_path / "again")
    assert [v.id for v in reimported.videos] == ["alpha", "beta", "gamma"]


def test_stats_and_plots(dataset: Path, tmp_path: Path) -> None:
    stats = dataset_stats(dataset)
    assert stats.videos == 3 and stats.seconds == [8, 8, 8] and sum(stats.chords.values()) == 24
    assert abs(sum(stats.emotion_mean.values()) - 1.0) < 1e-4
    assert [p.name for p in plot_stats(stats, tmp_path)] == ["chords.png", "emotions.png", "durations.png"]


def test_cli_build_reports_failures_and_how_to_resume(tmp_path: Path, music_videos: dict[str, MusicVideo],
                                                      bad_videos: dict[str, Path]) -> None:
    videos = copy_videos([music_videos["alpha"].path, bad_videos["silent"]], tmp_path / "videos")
    state = CliState()
    state.__dict__["plugins"] = dataset_manager()
    runner = CliRunner()
    arguments = ["build", str(videos), "-o", str(tmp_path / "ds"), "--semantic", "", "--emotion", "emotion-affect",
                 "--steps", "frames,scenes,affect,audio,loudness", "--steps", "chords"]
    result = runner.invoke(app, arguments, obj=state, env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "silent" in result.output and "no audio" in result.output and "run the same command again" in result.output
    assert runner.invoke(app, ["validate", str(tmp_path / "ds")], obj=state).exit_code == 0
    stats = runner.invoke(app, ["stats", str(tmp_path / "ds"), "--format", "json"], obj=state)
    assert stats.exit_code == 0 and json.loads(stats.stdout)["videos"] == 1
    exported = runner.invoke(app, ["export-muvi", str(tmp_path / "ds"), "-o", str(tmp_path / "muvi")], obj=state)
    assert exported.exit_code == 0 and "exported 1 videos" in exported.output
    imported = runner.invoke(app, ["import-muvi", str(tmp_path / "muvi"), "-o", str(tmp_path / "back")], obj=state)
    assert imported.exit_code == 0 and "imported 1 videos" in imported.output
