"""Commands never write over their inputs, and write only files of the kind they produce."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from v2m_core.errors import UsageError
from v2m_core.output_paths import check_output_file, check_output_folder


def test_an_output_that_is_an_input_or_links_to_one_is_refused(tmp_path: Path) -> None:
    song = tmp_path / "song.lab"
    song.write_text("0 1 C:maj\n")
    (tmp_path / "link.lab").symlink_to(song)
    os.link(song, tmp_path / "hard.lab")
    for output in (song, tmp_path / "link.lab", tmp_path / "hard.lab", tmp_path / "." / "song.lab"):
        with pytest.raises(UsageError, match="input"):
            check_output_file(output, [song], (".lab",), "chord labels")
    check_output_file(tmp_path / "other.lab", [song], (".lab",), "chord labels")


def test_an_existing_file_inside_an_input_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "midi").mkdir()
    (tmp_path / "midi" / "s0.mid").write_bytes(b"MThd")
    with pytest.raises(UsageError, match="inside the input folder"):
        check_output_file(tmp_path / "midi" / "s0.mid", [tmp_path / "midi"], (".mid",), "model")
    with pytest.raises(UsageError, match=r"ending in \.pt"):
        check_output_file(tmp_path / "s0.mid", [tmp_path / "midi"], (".pt",), "drum model")
    check_output_file(tmp_path / "midi" / "new.pt", [tmp_path / "midi"], (".pt",), "drum model")  # a new file is fine


def test_wrong_kinds_of_output_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="ending in .html"):
        check_output_file(tmp_path / "report.mp4", [], (".html",), "report")
    with pytest.raises(UsageError, match="folder"):
        check_output_file(tmp_path, [], (), "report")
    with pytest.raises(UsageError, match="not a regular file"):
        check_output_file(Path("/dev/null"), [], (), "labels")
    (tmp_path / "run").write_text("x")
    with pytest.raises(UsageError, match="is a file"):
        check_output_folder(tmp_path / "run", [], "training run")
    with pytest.raises(UsageError, match="input"):
        check_output_folder(tmp_path, [tmp_path], "training run")


def test_the_cli_refuses_before_any_work(cli, tmp_path: Path) -> None:
    song = tmp_path / "song.wav"
    song.write_bytes(b"RIFF....WAVE")
    before = song.read_bytes()
    result = cli("chords", str(song), "-o", str(song))
    assert result.code == 2 and "input" in result.err and song.read_bytes() == before
    (tmp_path / "midi").mkdir()
    (tmp_path / "midi" / "s0.mid").write_bytes(b"MThd")
    result = cli("train", "drums", str(tmp_path / "midi"), "-o", str(tmp_path / "midi" / "s0.mid"))
    assert result.code == 2 and (tmp_path / "midi" / "s0.mid").read_bytes() == b"MThd"
    (tmp_path / "run.txt").write_text("keep me")
    result = cli("train", str(tmp_path / "midi"), "-o", str(tmp_path / "run.txt"))
    assert result.code == 2 and "is a file" in result.err and (tmp_path / "run.txt").read_text() == "keep me"


def test_a_report_never_replaces_the_video_it_reports_on(cli, tmp_path: Path) -> None:
    video = tmp_path / "out.mp4"
    video.write_bytes(b"not really a video")
    result = cli("report", str(video), "-o", str(video))
    assert result.code == 2 and "input" in result.err and video.read_bytes() == b"not really a video"
    result = cli("report", str(video), "-o", str(tmp_path / "report.mp4"))
    assert result.code == 2 and ".html" in result.err and not (tmp_path / "report.mp4").exists()
