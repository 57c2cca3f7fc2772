"""Cases of the hostile campaign that printed `internal error: ...` or silently did the wrong thing: each is now
one clear line (or the right result), and an output location is checked before the work it would hold."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from v2m_core.music.midi_file import write_midi
from v2m_core.errors import MediaError
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.synthesizers.fluidsynth import FluidSynthSynthesizer
from v2m_core.synthesizers.soundfonts import SYSTEM_SOUNDFONTS, check_soundfont, find_soundfont


def _one_clear_line(err: str, *mentions: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "internal error" not in err, err
    for mention in mentions:
        assert mention in err, (mention, err)


@pytest.fixture
def song(tmp_path: Path) -> Path:
    """Two seconds of an A major triad."""
    path = tmp_path / "song.wav"
    t = np.arange(2 * 22050) / 22050
    soundfile.write(path, 0.2 * sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6)), 22050)
    return path


def _without_file_permission_override() -> list[str]:
    """A command prefix under which file permissions hold: root ignores them unless it drops CAP_DAC_OVERRIDE."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("as root a read-only folder is writable, and setpriv is not installed to drop that right")
    return [setpriv, "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


def _v2m_without_override(*args: str) -> subprocess.CompletedProcess[str]:
    """`v2m ARGS` in a process that file permissions bind, with the built-in plugins only (it starts faster)."""
    return subprocess.run([*_without_file_permission_override(), sys.executable, "-m", "v2m_cli", *args],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "COLUMNS": "200", "V2M_LOAD_PLUGINS": ""})


@pytest.fixture
def read_only(tmp_path: Path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def test_chords_output_into_a_read_only_folder_fails_before_the_recognition(song: Path, read_only: Path) -> None:
    result = _v2m_without_override("chords", str(song), "-r", "chroma-template", "-o", str(read_only / "song.lab"))
    assert result.returncode == 1 and "segments" not in result.stderr and not list(read_only.iterdir())
    _one_clear_line(result.stderr, "song.lab", "Permission denied")


def test_chords_output_into_a_missing_folder_creates_it(cli, song: Path, tmp_path: Path) -> None:
    output = tmp_path / "new" / "labels" / "song.lab"
    result = cli("chords", str(song), "-r", "chroma-template", "-o", str(output))
    assert result.code == 0 and "A:maj" in output.read_text()


def test_chords_output_below_a_file_is_one_clear_error(cli, song: Path, tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("a file, not a folder")
    result = cli("chords", str(song), "-r", "chroma-template", "-o", str(tmp_path / "notes" / "song.lab"))
    assert result.code == 1 and "segments" not in result.err
    _one_clear_line(result.err, "song.lab")


def test_dataset_build_into_a_read_only_folder_fails_before_any_video(tmp_path: Path, read_only: Path) -> None:
    videos = tmp_path / "videos"
    videos.mkdir()
    (videos / "clip.mp4").write_bytes(b"never decoded")
    result = _v2m_without_override("dataset", "build", str(videos), "-o", str(read_only))
    assert result.returncode == 1 and not list(read_only.iterdir())
    assert result.stderr.strip().endswith(f"error: {read_only}: cannot write the dataset here (Permission denied)")


@pytest.fixture
def pickled_dataset(tmp_path: Path) -> Path:
    """A dataset whose motion and emotion streams are object arrays (pickles), as a file from elsewhere may be."""
    folder = tmp_path / "videos" / "a"
    folder.mkdir(parents=True)
    for name in ("motion.npy", "emotion.npy"):
        np.save(folder / name, np.array([{"x": 1}, None, 3], dtype=object), allow_pickle=True)
    features = [{"name": "motion", "dim": 1, "file": "motion.npy"},
                {"name": "emotion", "dim": 6, "file": "emotion.npy"}]
    (tmp_path / "dataset.json").write_text(json.dumps({"videos": [{"id": "a", "seconds": 3, "split": "train"}],
                                                       "features": features}))
    return tmp_path


def test_validate_reports_an_object_array_as_a_problem(cli, pickled_dataset: Path) -> None:
    result = cli("dataset", "validate", str(pickled_dataset), "--format", "json")
    rows = json.loads(result.out)
    assert result.code == 1 and "internal error" not in result.err
    assert sorted(Path(row["problem"].split(":")[0]).name for row in rows) == ["emotion.npy", "motion.npy"]
    assert all(row["check"] == "values" and "Python objects" in row["problem"] for row in rows)


def test_stats_on_an_object_array_is_one_clear_error(cli, pickled_dataset: Path) -> None:
    result = cli("dataset", "stats", str(pickled_dataset))
    assert result.code == 1
    _one_clear_line(result.err, "emotion.npy")


def test_a_soundfont_that_is_not_sf2_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "piano.sf2"
    fake.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt ")
    with pytest.raises(MediaError, match="not an SF2 soundfont"):
        find_soundfont(fake, environ={})
    with pytest.raises(MediaError, match="is a folder"):
        check_soundfont(tmp_path)
    midi, wav = tmp_path / "music.mid", tmp_path / "music.wav"
    write_midi([MidiTrack(name="piano", role="chords", notes=[Note(pitch=60, start=0, end=0.5, velocity=90)])], midi)
    with pytest.raises(MediaError, match="piano.sf2: not an SF2"):  # FluidSynth itself would play its default font
        FluidSynthSynthesizer().synthesize(midi, wav, 22050, fake)
    assert not wav.exists()


@pytest.mark.skipif(not any(p.is_file() for p in SYSTEM_SOUNDFONTS), reason="no system soundfont installed")
def test_the_system_soundfonts_pass_the_check() -> None:
    for path in (p for p in SYSTEM_SOUNDFONTS if p.is_file()):
        check_soundfont(path)


def test_eval_chords_refuses_an_infinite_time_and_prints_strict_json(cli, tmp_path: Path) -> None:
    reference, estimate = tmp_path / "ref", tmp_path / "est"
    reference.mkdir()
    estimate.mkdir()
    (estimate / "a.lab").write_text("0 1 C\n1 2 G\n")
    for time in ("inf", "nan", "1e999", "1e400"):
        (reference / "a.lab").write_text(f"0 1 C\n1 {time} G\n")
        result = cli("eval", "chords", "--ref", str(reference), "--est", str(estimate), "--format", "json")
        assert result.code == 1 and result.out == ""
        _one_clear_line(result.err, f"{reference / 'a.lab'}:2")
    (reference / "a.lab").write_text("0 1 C\n1 2 G\n")
    result = cli("eval", "chords", "--ref", str(reference), "--est", str(estimate), "--format", "json")
    scores = json.loads(result.out, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))
    assert result.code == 0 and scores["total"]["majmin"] == 1.0


def test_compose_refuses_a_bad_soundfont_before_reading_the_video(cli, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    video, fake = tmp_path / "clip.mp4", tmp_path / "piano.sf2"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=64x36:rate=10:duration=1",
                    "-pix_fmt", "yuv420p", str(video)], check=True)
    fake.write_bytes(b"not a soundfont")

    def analysed(*args: object, **kwargs: object) -> None:
        raise AssertionError("the video was analysed before the soundfont was checked")

    monkeypatch.setattr(importlib.import_module("v2m_core.compose.pipeline"), "analyse_video", analysed)
    result = cli("compose", str(video), "-o", str(tmp_path / "out.mp4"), "--soundfont", str(fake))
    assert result.code == 1
    _one_clear_line(result.err, "piano.sf2: not an SF2")
    assert not (tmp_path / "out.mp4").exists()
