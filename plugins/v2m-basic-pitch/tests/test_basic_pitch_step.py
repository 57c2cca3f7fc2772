"""basic-pitch transcribes a known chord; note density counts its notes per second."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pretty_midi
import soundfile

from v2m_core.interfaces.base import PluginKind
from v2m_core.interfaces.step import StepContext
from v2m_core.plugins import PluginManager
from v2m_core.schemas.analysis import VideoProbe
from v2m_core.steps.files import write_probe
from v2m_core.steps.note_density import NoteDensityStep
from v2m_core.testing import chord_tones
from v2m_basic_pitch.step import BasicPitchStep


def test_found_through_the_entry_point() -> None:
    assert "transcription" in PluginManager(environ={}).names(PluginKind.STEP)


def test_transcribes_a_c_major_chord_then_counts_notes(tmp_path: Path) -> None:
    audio = np.concatenate([chord_tones([60, 64, 67], 2.0), np.zeros(22050, dtype=np.float32)])
    soundfile.write(tmp_path / "audio.wav", audio, 22050, subtype="PCM_16")
    write_probe(tmp_path / "probe.json", VideoProbe(path="clip.mp4", duration=3.0, fps=10, width=160, height=90))
    context = StepContext(video=tmp_path / "clip.mp4", workdir=tmp_path)
    BasicPitchStep().run(context)
    notes = [note for instrument in pretty_midi.PrettyMIDI(str(tmp_path / "transcription.mid")).instruments
             for note in instrument.notes]
    assert {0, 4, 7} <= {note.pitch % 12 for note in notes}
    NoteDensityStep().run(context)
    density = np.load(tmp_path / "note_density.npy")[:, 0]
    assert density.shape == (3,) and density[0] >= 3 and density[2] < density[0]
