"""Every output location is checked before any work, missing folders are made, and the outputs appear together
at the end or not at all: a failure leaves no new output (no 3 of 4 stems) and the old ones intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from v2m_core.compose.pipeline import compose
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.output_paths import StagedOutputs
from v2m_core.schemas.config import ComposeConfig


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    make_video(path, [SceneSpec(1.5, "testsrc2", motion="fast"), SceneSpec(1.5, "smptebars", motion="static")],
               size=(160, 90), fps=15)
    return path


def _refused(result, expected: str, code: int = 2) -> None:
    assert result.code == code and len(result.err.strip().splitlines()) == 1, result.err
    assert expected in result.err and "Traceback" not in result.err, result.err


def _names(folder: Path) -> list[str]:
    """Every entry below `folder`, hidden temporaries included."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_wrong_places_are_refused_before_any_work(cli, clip: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.mp4"
    output.write_bytes(b"previous result")
    (tmp_path / "work").write_text("a file, not a folder")
    (tmp_path / "out.stems").write_text("a file, not a folder")
    before = _names(tmp_path)
    _refused(cli("compose", str(clip), "-o", str(output), "--keep", str(tmp_path / "work")),
             "work: is a file; give a folder for the work folder (--keep)")
    _refused(cli("compose", str(clip), "-o", str(output), "--stems"), "out.stems: is a file; give a folder for the stems")
    _refused(cli("compose", str(clip), "-o", str(output), "--plot", str(tmp_path / "plan.jpg")), "ending in .png")
    _refused(cli("compose", str(clip), "-o", str(output), "--midi", str(output)), "ending in .mid or .midi")
    _refused(cli("compose", str(clip), "-o", str(output), "--plot", "/proc/v2m-plan.png"), "/proc/v2m-plan.png", code=1)
    assert _names(tmp_path) == before and output.read_bytes() == b"previous result"


def test_every_output_in_new_folders_then_replaced_and_said_so(cli, clip: Path, tmp_path: Path) -> None:
    paths = {"output": tmp_path / "a" / "out.mp4", "midi": tmp_path / "b" / "c" / "music.mid",
             "plot": tmp_path / "d" / "plan.png"}
    arguments = ("compose", str(clip), "-o", str(paths["output"]), "--midi", str(paths["midi"]), "--plot",
                 str(paths["plot"]), "--stems", "--renderers", "chords,drums", "--format", "json")
    first = cli(*arguments)
    assert first.code == 0, first.err
    summary = json.loads(first.out)
    assert {key: summary[key] for key in paths} == {key: str(path) for key, path in paths.items()}
    stems = tmp_path / "a" / "out.stems"
    assert sorted(Path(path).name for path in summary["stems"].values()) == sorted(p.name for p in stems.iterdir())
    assert len(summary["stems"]) == 2 and summary["replaced"] == []
    assert paths["midi"].read_bytes()[:4] == b"MThd" and paths["plot"].read_bytes()[:4] == b"\x89PNG"
    assert summary["key"].split()[1] in ("major", "minor") and summary["tempo"].split()[1].startswith("bpm")
    assert not [name for name in _names(tmp_path) if "v2m-" in name], "temporaries were left"

    second = cli(*arguments[:-2])
    assert second.code == 0, second.err
    for path in (*paths.values(), stems):
        assert f"{path} (replaced)" in second.out or f"{path}/ (2 WAVs, replaced)" in second.out, second.out


class Stop(Exception):
    """What a failure halfway through the stems looks like to compose (a full disk, a crashed synthesizer)."""


def test_a_failure_during_the_stems_leaves_no_new_output(clip: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.mp4"
    output.write_bytes(b"previous result")
    old_stems = tmp_path / "out.stems"
    old_stems.mkdir()
    (old_stems / "00-old.wav").write_bytes(b"previous stem")
    before = _names(tmp_path)

    def fail_halfway(stage: str, fraction: float) -> None:
        if stage == "stems" and fraction >= 0.5:
            raise Stop

    with pytest.raises(Stop):
        compose(clip, output, ComposeConfig(), stems=True, midi=tmp_path / "new" / "music.mid",
                plot=tmp_path / "new" / "plan.png", progress=fail_halfway)
    assert _names(tmp_path) == before, "a new output, a temporary or a made folder was left"
    assert output.read_bytes() == b"previous result" and (old_stems / "00-old.wav").read_bytes() == b"previous stem"


def test_staged_outputs_appear_together_or_not_at_all(tmp_path: Path) -> None:
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "notes.txt").write_text("the user's")
    (keep / "music.mid").write_text("old")
    (tmp_path / "stems").mkdir()
    (tmp_path / "stems" / "old.wav").write_text("old")
    with StagedOutputs() as staged:
        staged.make_folder_for(tmp_path / "new" / "out.txt")
        staged.file(tmp_path / "new" / "out.txt").write_text("new")
        (staged.folder(keep, merge=True) / "music.mid").write_text("new")
        (staged.folder(tmp_path / "stems") / "new.wav").write_text("new")
        assert not (tmp_path / "new" / "out.txt").exists() and (keep / "music.mid").read_text() == "old"
        staged.commit()
    assert (tmp_path / "new" / "out.txt").read_text() == "new"
    assert {p.name: p.read_text() for p in keep.iterdir()} == {"notes.txt": "the user's", "music.mid": "new"}
    assert [p.name for p in (tmp_path / "stems").iterdir()] == ["new.wav"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep", "new", "stems"]

    with pytest.raises(Stop), StagedOutputs() as staged:
        staged.make_folder_for(tmp_path / "other" / "deeper" / "out.txt")
        staged.file(tmp_path / "other" / "deeper" / "out.txt").write_text("half")
        staged.folder(keep, merge=True)
        raise Stop
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep", "new", "stems"]
    assert sorted(p.name for p in keep.iterdir()) == ["music.mid", "notes.txt"]
