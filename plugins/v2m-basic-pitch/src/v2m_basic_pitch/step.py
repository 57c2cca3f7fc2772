"""Step 9, transcription: the soundtrack to `transcription.mid` with basic-pitch's ICASSP 2022 model.

basic-pitch ships the model in several formats and loads the first its installed runtime can
read; installed `--no-deps` with onnxruntime (no TensorFlow), that is `nmp.onnx`.
"""

from __future__ import annotations

import importlib.metadata as metadata
import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import Field

from v2m_core.atomic import atomic_path
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import ExtractorStep, StepContext


@contextmanager
def _quiet() -> Iterator[None]:
    """basic-pitch logs a warning per missing runtime at import and prints a line per file: hide them."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


@lru_cache(maxsize=1)
def load_model() -> Any:
    """basic-pitch's model, loaded once per process."""
    with _quiet():
        from basic_pitch import ICASSP_2022_MODEL_PATH
        from basic_pitch.inference import Model

        return Model(ICASSP_2022_MODEL_PATH)


class BasicPitchConfig(PluginConfig):
    onset_threshold: float = Field(default=0.5, gt=0, lt=1, description="Onset probability for a note to start.")
    frame_threshold: float = Field(default=0.3, gt=0, lt=1, description="Frame probability for a note to continue.")
    minimum_note_ms: float = Field(default=127.7, gt=0, description="Shortest note kept, in milliseconds.")


class BasicPitchStep(ExtractorStep[BasicPitchConfig]):
    name: ClassVar[str] = "transcription"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Polyphonic MIDI transcription of the soundtrack with basic-pitch (ONNX model)."
    licence_note: ClassVar[str | None] = "basic-pitch and its model: Apache-2.0 (Spotify)."
    inputs: ClassVar[tuple[str, ...]] = ("audio.wav",)
    outputs: ClassVar[tuple[str, ...]] = ("transcription.mid",)

    def dependencies(self) -> dict[str, str]:
        return {package: metadata.version(package) for package in ("basic-pitch", "onnxruntime")}

    def run(self, context: StepContext) -> None:
        model = load_model()
        with _quiet():
            from basic_pitch.inference import predict

            _, midi, _ = predict(context.path("audio.wav"), model, onset_threshold=self.config.onset_threshold,
                                 frame_threshold=self.config.frame_threshold,
                                 minimum_note_length=self.config.minimum_note_ms)
        with atomic_path(context.path("transcription.mid")) as temporary:
            midi.write(str(temporary))
        context.progress(1.0)
