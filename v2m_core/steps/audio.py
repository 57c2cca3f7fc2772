"""The soundtrack as mono WAV at one sample rate, so every audio step reads the same samples."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from v2m_core.atomic import atomic_path
from v2m_core.errors import MediaError
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.media.audio import extract_audio


class AudioConfig(PluginConfig):
    sample_rate: int = Field(default=22050, ge=8000, le=96000, description="Rate of audio.wav (22,050 Hz: what "
                                                                           "chord and transcription models use).")


class AudioStep(ExtractorStep[AudioConfig]):
    name: ClassVar[str] = "audio"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Extracts the video's soundtrack as mono 16-bit WAV."
    outputs: ClassVar[tuple[str, ...]] = ("audio.wav",)

    def run(self, context: StepContext) -> None:
        with atomic_path(context.path("audio.wav")) as temporary:
            if not extract_audio(context.video, temporary, sample_rate=self.config.sample_rate, mono=True):
                raise MediaError(context.video, "no audio stream: a dataset video needs its soundtrack")
        context.progress(1.0)
