"""Omnizart through the isolated runner, against a fake `omnizart` package in a second Python process.

The fake interpreter is a shell script that runs this Python with a fake omnizart on its path; the
plugin's real worker script runs inside it, so everything but TensorFlow is exercised.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

from v2m_core.errors import UsageError
from v2m_core.isolated import WorkerSetupError
from v2m_core.testing import RecognizerContract, chord_tones
from v2m_omnizart.plugin import OmnizartChordRecognizer, OmnizartConfig

FAKE_CHORD_APP = '''
import csv, os, wave

class ChordTranscription:
    def transcribe(self, input_audio, model_path=None, output="./"):
        if os.environ.get("FAKE_OMNIZART_NO_CHECKPOINT"):
            raise FileNotFoundError("checkpoints/chord/chord_v1")
        with wave.open(input_audio) as audio:
            duration = audio.getnframes() / audio.getframerate()
        print("omnizart says hello on stdout")
        base = os.path.splitext(os.path.basename(input_audio))[0]
        with open(os.path.join(output, base + ".csv"), "w", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=["chord", "start", "end"])
            writer.writeheader()
            writer.writerow({"chord": "C:maj", "start": 0.1, "end": duration * 0.6})
            writer.writerow({"chord": "A#:min", "start": duration * 0.6, "end": duration - 0.1})

app = ChordTranscription()
'''


def fake_environment(folder: Path, with_omnizart: bool = True) -> Path:
    """An executable 'python' for an environment that has (or lacks) omnizart."""
    packages = folder / "site-packages"
    if with_omnizart:
        (packages / "omnizart" / "chord").mkdir(parents=True)
        (packages / "omnizart" / "__init__.py").write_text("")
        (packages / "omnizart" / "chord" / "__init__.py").write_text(FAKE_CHORD_APP)
    interpreter = folder / "python"
    interpreter.write_text(f'#!/bin/sh\nPYTHONPATH="{packages}:$PYTHONPATH" exec "{sys.executable}" "$@"\n')
    interpreter.chmod(0o755)
    return interpreter


class TestOmnizartWithFakeEnvironment(RecognizerContract):
    plugin_class = OmnizartChordRecognizer
    recognizes_triads = False

    @pytest.fixture(autouse=True)
    def _environment(self, tmp_path: Path) -> None:
        self.interpreter = fake_environment(tmp_path)

    def make_plugin(self) -> OmnizartChordRecognizer:
        return OmnizartChordRecognizer(OmnizartConfig(python=str(self.interpreter)))


def test_omnizart_csv_becomes_normalised_segments_with_gaps_as_n(tmp_path: Path) -> None:
    recognizer = OmnizartChordRecognizer(OmnizartConfig(python=str(fake_environment(tmp_path))))
    timeline = recognizer.recognize(chord_tones([48, 60, 64, 67], 2.0), 22050)
    assert [s.label for s in timeline.segments] == ["N", "C:maj", "Bb:min", "N"]
    assert timeline.segments[0].end == pytest.approx(0.1) and timeline.segments[-1].end == pytest.approx(2.0)


def test_setup_problems_say_how_to_set_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tone = chord_tones([60, 64, 67], 1.0)
    with pytest.raises(UsageError, match="needs plugins.settings.omnizart.python.*omnizart-env"):
        OmnizartChordRecognizer().recognize(tone, 22050)
    with pytest.raises(WorkerSetupError, match="interpreter .*nowhere/python not found.*download-checkpoints"):
        OmnizartChordRecognizer(OmnizartConfig(python=str(tmp_path / "nowhere" / "python"))).recognize(tone, 22050)
    (tmp_path / "bare").mkdir()
    bare = fake_environment(tmp_path / "bare", with_omnizart=False)
    with pytest.raises(WorkerSetupError, match="omnizart is not installed"):
        OmnizartChordRecognizer(OmnizartConfig(python=str(bare))).recognize(tone, 22050)
    with pytest.raises(WorkerSetupError, match="checkpoint .*absent not found"):
        OmnizartChordRecognizer(OmnizartConfig(python=str(fake_environment(tmp_path)),
                                               checkpoint=str(tmp_path / "absent"))).recognize(tone, 22050)
    monkeypatch.setenv("FAKE_OMNIZART_NO_CHECKPOINT", "1")
    (tmp_path / "full").mkdir()
    with pytest.raises(WorkerSetupError, match="omnizart download-checkpoints"):
        OmnizartChordRecognizer(OmnizartConfig(python=str(fake_environment(tmp_path / "full")))).recognize(tone, 22050)


def test_silence_needs_no_environment() -> None:
    timeline = OmnizartChordRecognizer().recognize(np.zeros(44100, dtype=np.float32), 44100)
    assert [s.label for s in timeline.segments] == ["N"]
