"""Note density per second from the transcription, as Video2Music counts it: notes sounding in [i, i+1)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pretty_midi

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.steps.files import read_probe, second_count, write_array


def notes_per_second(midi: pretty_midi.PrettyMIDI, seconds: int) -> np.ndarray:
    counts = np.zeros(seconds, dtype=np.float64)
    for instrument in midi.instruments:
        for note in instrument.notes:
            first, last = max(0, int(np.floor(note.start))), min(seconds - 1, int(np.ceil(note.end)) - 1)
            if last >= first:
                counts[first:last + 1] += 1
    return counts


class NoteDensityStep(ExtractorStep[PluginConfig]):
    name: ClassVar[str] = "note-density"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Number of transcribed notes sounding in each second."
    inputs: ClassVar[tuple[str, ...]] = ("transcription.mid", "probe.json")
    outputs: ClassVar[tuple[str, ...]] = ("note_density.npy",)

    def run(self, context: StepContext) -> None:
        seconds = second_count(read_probe(context.path("probe.json")).duration)
        midi = pretty_midi.PrettyMIDI(str(context.path("transcription.mid")))
        write_array(context.path("note_density.npy"), notes_per_second(midi, seconds)[:, None])
        context.progress(1.0)
