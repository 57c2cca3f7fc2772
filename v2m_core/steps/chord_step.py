"""Chords per second from the soundtrack, by whichever recognizer plugin is named.

The recognizer is looked up by name through the plugin manager, so a newly installed recognizer
works without changes here; its name, version and settings are part of the cache key, so
switching recognizers re-runs this step (and what reads chords), nothing else.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, ValidationError

from v2m_core.audio_input import as_mono
from v2m_core.chords.labfiles import per_second_labels, write_chord_lab
from v2m_core.errors import UsageError, V2MError
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.recognizer import ChordRecognizer
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.media.audio import read_wav
from v2m_core.plugins import PluginManager
from v2m_core.steps.files import read_probe, second_count, write_json


class ChordStepConfig(PluginConfig):
    recognizer: str = Field(default="chroma-template", description="Chord recognizer plugin name.")
    recognizer_settings: dict[str, Any] = Field(default_factory=dict, description="Settings of that recognizer.")


class ChordStep(ExtractorStep[ChordStepConfig]):
    name: ClassVar[str] = "chords"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Per-second chord labels (chords.lab) and the recognizer's timeline (chords.json)."
    inputs: ClassVar[tuple[str, ...]] = ("audio.wav", "probe.json")
    outputs: ClassVar[tuple[str, ...]] = ("chords.lab", "chords.json")

    def __init__(self, config: ChordStepConfig | None = None) -> None:
        super().__init__(config)
        self._recognizer_class: type[ChordRecognizer] | None = None

    def use_plugins(self, manager: PluginManager) -> None:
        """Take the recognizer from the build's manager (a bad name fails before any work starts)."""
        self._recognizer_class = manager.get(ChordRecognizer, self.config.recognizer)
        self._recognizer()

    def _recognizer(self) -> ChordRecognizer:
        if self._recognizer_class is None:  # a manager of its own would not see the caller's plugins or settings
            raise V2MError("the chords step has no recognizer: make it with v2m_core.step_engine.create.create_step, "
                           "which hands it the plugin manager")
        try:
            settings = self._recognizer_class.Config.model_validate(self.config.recognizer_settings)
        except ValidationError as error:
            raise UsageError(f"settings of recognizer '{self.config.recognizer}': {error.errors()[0]['msg']}") from None
        return self._recognizer_class(settings)

    def dependencies(self) -> dict[str, str]:
        """The recognizer's version joins the cache key: a new version relabels the chords."""
        recognizer = self._recognizer()
        return {"recognizer": recognizer.name, "recognizer_version": recognizer.version}

    def run(self, context: StepContext) -> None:
        seconds = second_count(read_probe(context.path("probe.json")).duration)
        samples, rate = read_wav(context.path("audio.wav"))
        timeline = self._recognizer().recognize(as_mono(samples), rate)
        context.progress(0.9)
        write_json(context.path("chords.json"), timeline.model_dump(mode="json"))
        write_chord_lab(context.path("chords.lab"), per_second_labels(timeline, seconds))
        context.progress(1.0)
