"""Loudness per second as Video2Music measures it: RMS amplitude of each one-second chunk, 0..1.

(Video2Music converts RMS to dB and straight back, 10 ** (dB / 20), which is the RMS amplitude.)
Rows follow the video's duration: soundtrack beyond it is ignored, missing soundtrack is silence.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from v2m_core.audio_input import as_mono
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.media.audio import read_wav
from v2m_core.steps.files import read_probe, second_count, write_array


def rms_per_second(samples: np.ndarray, sample_rate: int, seconds: int) -> np.ndarray:
    mono = as_mono(samples)
    padded = np.zeros(seconds * sample_rate, dtype=np.float64)
    length = min(len(mono), len(padded))
    padded[:length] = mono[:length]
    return np.sqrt(np.mean(padded.reshape(seconds, sample_rate) ** 2, axis=1))


class LoudnessStep(ExtractorStep[PluginConfig]):
    name: ClassVar[str] = "loudness"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "RMS amplitude (0..1) of the soundtrack per second."
    inputs: ClassVar[tuple[str, ...]] = ("audio.wav", "probe.json")
    outputs: ClassVar[tuple[str, ...]] = ("loudness.npy",)

    def run(self, context: StepContext) -> None:
        seconds = second_count(read_probe(context.path("probe.json")).duration)
        samples, rate = read_wav(context.path("audio.wav"))
        write_array(context.path("loudness.npy"), rms_per_second(samples, rate, seconds)[:, None])
        context.progress(1.0)
