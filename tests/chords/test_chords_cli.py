"""`v2m chords` and `v2m eval chords` through Typer, as app.py wires them."""

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile
import typer
from typer.testing import CliRunner

from v2m_cli.chords_cmd import chords_command
from v2m_cli.eval_cmd import app as eval_app
from v2m_core.chords.lab import read_lab, write_lab
from v2m_core.schemas.chords import ChordSegment
from v2m_core.testing import chord_tones


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("chords")(chords_command)
    app.add_typer(eval_app, name="eval")
    return app


@pytest.fixture
def song(tmp_path: Path) -> Path:
    audio = np.concatenate([chord_tones([48, 60, 64, 67], 2.0), chord_tones([45, 57, 60, 64], 2.0)])
    soundfile.write(tmp_path / "song.wav", audio, 22050)
    return tmp_path / "song.wav"


def test_chords_writes_a_lab_file(cli: typer.Typer, song: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["chords", str(song), "--recognizer", "chroma-template", "-o", str(tmp_path / "o.lab")])
    assert result.exit_code == 0, result.output
    labels = [s.label for s in read_lab(tmp_path / "o.lab") if s.end - s.start > 0.5]
    assert labels == ["C:maj", "A:min"]


def test_chords_per_second_to_stdout(cli: typer.Typer, song: Path) -> None:
    result = CliRunner().invoke(cli, ["chords", str(song), "-r", "chroma-template", "--per-second",
                                      "--set", "switch_penalty=6"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["0 C:maj", "1 C:maj", "2 A:min", "3 A:min"]


def test_chords_errors(cli: typer.Typer, song: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["chords", str(song), "-r", "chroma-template", "--checkpoint", "x.pt"])
    assert "takes no checkpoint" in str(result.exception)
    result = CliRunner().invoke(cli, ["chords", str(tmp_path / "missing.mp4"), "-r", "chroma-template"])
    assert "missing.mp4: file not found" in str(result.exception)


def test_eval_chords_table_and_json(cli: typer.Typer, tmp_path: Path) -> None:
    for folder, label in (("ref", "C:maj7"), ("est", "C:maj")):
        (tmp_path / folder).mkdir()
        write_lab(tmp_path / folder / "a.lab", [ChordSegment(start=0, end=4, label=label)])
    table = CliRunner().invoke(cli, ["eval", "chords", "--ref", str(tmp_path / "ref"), "--est", str(tmp_path / "est")])
    assert table.exit_code == 0 and "ALL" in table.stdout and "majmin" in table.stdout
    raw = CliRunner().invoke(cli, ["eval", "chords", "--ref", str(tmp_path / "ref"), "--est", str(tmp_path / "est"),
                                   "--format", "json"])
    data = json.loads(raw.stdout)
    assert data["total"]["majmin"] == 1.0 and data["total"]["sevenths"] == 0.0 and data["files"][0]["name"] == "a"
