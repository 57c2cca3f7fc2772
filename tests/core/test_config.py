"""Configuration: TOML file, --set overrides, provenance, and one-line errors naming file and key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from v2m_core.config import load_config, parse_override
from v2m_core.errors import UsageError


def test_defaults_file_and_overrides_with_sources(tmp_path: Path) -> None:
    file = tmp_path / "v2m.toml"
    file.write_text('[compose]\nseed = 5\nstyle = "ambient"\n[compose.instruments]\nmelody = 73\n')
    loaded = load_config(file, ["compose.seed=9", "compose.renderers=['chords','bass']"], environ={})
    assert loaded.config.compose.seed == 9 and loaded.config.compose.style == "ambient"
    assert loaded.config.compose.renderers == ["chords", "bass"]
    assert loaded.sources["compose.seed"] == "cli"
    assert loaded.sources["compose.style"] == f"file {file}"
    assert loaded.sources["compose.instruments.melody"] == f"file {file}"
    assert loaded.sources["compose.planner"] == "default"


def test_environment_variable_names_the_file(tmp_path: Path) -> None:
    file = tmp_path / "other.toml"
    file.write_text("[compose]\ntarget_lufs = -16.0\n")
    assert load_config(None, [], environ={"V2M_CONFIG": str(file)}).config.compose.target_lufs == -16.0


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    file = tmp_path / "v2m.toml"
    file.write_text("[compose]\nsead = 5\n")
    with pytest.raises(UsageError, match=r"v2m.toml: key 'compose.sead'"):
        load_config(file, environ={})


def test_bad_value_names_file_and_key(tmp_path: Path) -> None:
    file = tmp_path / "v2m.toml"
    file.write_text('[compose]\noriginal_audio = "louder"\n')
    with pytest.raises(UsageError, match=r"key 'compose.original_audio'"):
        load_config(file, environ={})


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    file = tmp_path / "v2m.toml"
    file.write_text("[compose\nseed = 1\n")
    with pytest.raises(UsageError, match=r"v2m.toml: invalid TOML.*line 1"):
        load_config(file, environ={})


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        load_config(tmp_path / "absent.toml", environ={})


def test_override_parsing() -> None:
    assert parse_override("compose.tempo=96.5") == {"compose": {"tempo": 96.5}}
    assert parse_override("compose.key=D minor") == {"compose": {"key": "D minor"}}
    with pytest.raises(UsageError):
        parse_override("novalue")


def test_config_show_cli(cli, tmp_path: Path) -> None:
    file = tmp_path / "v2m.toml"
    file.write_text("[compose]\nseed = 5\n")
    result = cli("--config", str(file), "config", "show", "--format", "json", "--set", "compose.style=pop")
    rows = {row["key"]: row for row in json.loads(result.out)}
    assert result.code == 0
    assert (rows["compose.seed"]["value"], rows["compose.seed"]["source"]) == (5, f"file {file}")
    assert rows["compose.style"]["source"] == "cli"
    file.write_text("[compose]\nseed = 'x'\n")
    bad = cli("--config", str(file), "config", "show")
    assert bad.code == 2 and "compose.seed" in bad.err and str(file) in bad.err


def test_dataset_build_reads_the_dataset_table_under_its_flags(cli, tmp_path: Path) -> None:
    file = tmp_path / "v2m.toml"
    file.write_text("[dataset]\nsplit_seed = -1\nworkers = 2\n")
    (tmp_path / "videos").mkdir()
    result = cli("--config", str(file), "dataset", "build", str(tmp_path / "videos"), "-o", str(tmp_path / "data"))
    assert result.code == 2 and "dataset build" in result.err and "dataset.split_seed" in result.err
    assert str(file) in result.err
    fixed = cli("--config", str(file), "dataset", "build", str(tmp_path / "videos"), "-o", str(tmp_path / "data"),
                "--seed", "4")
    assert fixed.code == 2 and "no video files found" in fixed.err  # the flag won over the file's bad seed
    shown = cli("--config", str(file), "config", "show", "-f", "json", "-s", "dataset.split_seed=4")
    rows = {row["key"]: row for row in json.loads(shown.out)}
    assert rows["dataset.split_seed"]["value"] == 4 and rows["dataset.split_seed"]["source"] == "cli"
    assert rows["dataset.workers"]["value"] == 2 and rows["dataset.workers"]["source"].startswith("file")
