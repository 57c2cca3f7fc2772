"""Paths no tool may misread (a leading '-', a ':'), and files written with the user's umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from v2m_core.atomic import atomic_write_text
from v2m_core.media.audio import extract_audio
from v2m_core.media.decode import iter_frames
from v2m_core.media.mux import mux
from v2m_core.media.probe import probe
from v2m_core.media.synthetic import SceneSpec, make_video


@pytest.mark.parametrize("name", ["-report.mp4", "a:b.mp4", "späť 100%.mp4"])
def test_odd_names_are_files_never_options_or_protocols(name: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    make_video(tmp_path / name, [SceneSpec(1.0)], size=(160, 90), audio=True)
    monkeypatch.chdir(tmp_path)
    info = probe(Path(name))
    assert info.has_audio and info.duration == pytest.approx(1.0, abs=0.1)
    assert sum(1 for _ in iter_frames(Path(name), 80)) >= 20
    assert extract_audio(Path(name), Path("-out.wav"))
    assert (tmp_path / "-out.wav").stat().st_size > 1000
    assert not list(tmp_path.glob("ffprobe-*.log")) and not list(tmp_path.glob("ffmpeg-*.log"))


@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_new_files_follow_the_umask_and_replaced_ones_keep_their_mode(umask: int, mode: int, tmp_path: Path) -> None:
    previous = os.umask(umask)
    try:
        atomic_write_text(tmp_path / "new.json", "{}")
        kept = tmp_path / "kept.json"
        kept.write_text("old")
        kept.chmod(0o640)
        atomic_write_text(kept, "new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == mode
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "new"


def test_mux_reads_and_writes_odd_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_video(tmp_path / "-in.mp4", [SceneSpec(1.0)], size=(160, 90), audio=True)
    monkeypatch.chdir(tmp_path)
    assert extract_audio(Path("-in.mp4"), Path("-music:1.wav"))
    mux(Path("-in.mp4"), Path("-music:1.wav"), Path("-out.mp4"), "replace", -12.0)
    assert probe(Path("-out.mp4")).has_audio and probe(Path("-out.mp4")).duration == pytest.approx(1.0, abs=0.1)
