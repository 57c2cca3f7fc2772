"""Omnizart's chord transcription (Harmony Transformer, McGill Billboard) through an isolated process.

Omnizart needs TensorFlow and numpy<2, so it cannot live in v2m's environment: `python` names the
interpreter of an environment where it is installed (see the README), and each call runs
`omnizart_worker.py` there with the audio as a temporary WAV file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile
from pydantic import Field

from v2m_core.audio_input import prepare
from v2m_core.chords.labels import NO_CHORD, normalize
from v2m_core.chords.omnizart_csv import read_omnizart_csv
from v2m_core.errors import UsageError
from v2m_core.interfaces import ChordRecognizer, PluginConfig
from v2m_core.isolated import IsolatedRunner
from v2m_core.plugins import hookimpl
from v2m_core.plugins.hookspecs import Register
from v2m_core.schemas.chords import ChordSegment, ChordTimeline
from v2m_core.scratch import scratch_folder

SAMPLE_RATE = 44100
WORKER = Path(__file__).resolve().parent / "omnizart_worker.py"
SETUP = ("set up Omnizart's environment: python3.8 -m venv ~/omnizart-env && ~/omnizart-env/bin/pip install omnizart "
         "&& ~/omnizart-env/bin/omnizart download-checkpoints, then set plugins.settings.omnizart.python = "
         "\"~/omnizart-env/bin/python\" (see plugins/v2m-omnizart/README.md)")


class OmnizartConfig(PluginConfig):
    python: str | None = Field(default=None, description="Python interpreter of the environment Omnizart is installed in.")
    checkpoint: str | None = Field(default=None, description="Chord model folder; default: Omnizart's downloaded checkpoint.")
    timeout_seconds: float = Field(default=1800.0, gt=0, description="Longest one transcription may take.")
    silence_db: float = Field(default=-60.0, description="Audio whose peak is quieter than this (dBFS) is N without running Omnizart.")


def fill_gaps(segments: list[ChordSegment], duration: float) -> list[ChordSegment]:
    """Clip to [0, duration] and fill uncovered time with N, so segments cover the audio."""
    filled: list[ChordSegment] = []
    cursor = 0.0
    for segment in segments:
        start, end = max(segment.start, cursor), min(segment.end, duration)
        if end <= start:
            continue
        if start > cursor + 1e-6:
            filled.append(ChordSegment(start=cursor, end=start, label=NO_CHORD))
        filled.append(ChordSegment(start=start, end=end, label=normalize(segment.label)))
        cursor = end
    if duration > cursor + 1e-6:
        filled.append(ChordSegment(start=cursor, end=duration, label=NO_CHORD))
    return filled


class OmnizartChordRecognizer(ChordRecognizer[OmnizartConfig]):
    name = "omnizart"
    version = "0.1.0"
    vocabulary = "majmin"
    description = "Omnizart chord transcription (Harmony Transformer), run in Omnizart's own Python environment."
    licence_note = "Omnizart is MIT; it runs in a separate environment you install (TensorFlow, numpy<2)."

    def recognize(self, audio: np.ndarray, sample_rate: int) -> ChordTimeline:
        samples = prepare(audio, sample_rate, SAMPLE_RATE)
        duration = len(samples) / SAMPLE_RATE
        peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
        if peak <= 10 ** (self.config.silence_db / 20):
            return ChordTimeline(segments=fill_gaps([], duration), vocabulary=self.vocabulary, source=self.name)
        if self.config.python is None:
            raise UsageError(f"recognizer 'omnizart' needs plugins.settings.omnizart.python; {SETUP}")
        runner = IsolatedRunner("omnizart", self.config.python, WORKER, SETUP, self.config.timeout_seconds)
        with scratch_folder("omnizart") as folder:
            wav = Path(folder) / "audio.wav"
            soundfile.write(wav, samples, SAMPLE_RATE, subtype="PCM_16")  # readable by any WAV loader
            output = Path(folder) / "out"
            output.mkdir()
            checkpoint = str(Path(self.config.checkpoint).expanduser()) if self.config.checkpoint else None
            result = runner.call("transcribe_chords", audio=str(wav), output_dir=str(output), model_path=checkpoint)
            segments = read_omnizart_csv(Path(result["csv"]))
        return ChordTimeline(segments=fill_gaps(segments, duration), vocabulary=self.vocabulary, source=self.name)


@hookimpl
def register_chord_recognizers(register: Register) -> None:
    register(OmnizartChordRecognizer)
