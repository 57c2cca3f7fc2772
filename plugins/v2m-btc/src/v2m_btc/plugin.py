"""BTC as two v2m recognizers: `btc` (major/minor, btc_model.pt) and `btc-large` (170 chords, btc_model_large_voca.pt)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from pydantic import Field

from v2m_core.audio_input import prepare
from v2m_core.chords.frames import frames_to_segments
from v2m_core.chords.labels import NO_CHORD, normalize
from v2m_core.interfaces import ChordRecognizer, PluginConfig
from v2m_core.learn.threads import torch_threads
from v2m_core.music.theory import NOTE_NAMES
from v2m_core.plugins import hookimpl
from v2m_core.plugins.hookspecs import Register
from v2m_core.schemas.chords import ChordTimeline
from v2m_btc.features import FRAME_SECONDS, HOP, SAMPLE_RATE, log_cqt

if TYPE_CHECKING:  # torch loads when BTC first runs, not when `v2m plugins list` discovers it
    from v2m_btc.checkpoint import LoadedBTC

MAJMIN_OUTPUTS = tuple(label for root in NOTE_NAMES for label in (f"{root}:maj", f"{root}:min")) + (NO_CHORD,)
"""Output index -> chord of btc_model.pt: C, C:min, C#, C#:min, ..., B:min, N."""
LARGE_QUALITIES = ("min", "maj", "dim", "aug", "min6", "maj6", "min7", "minmaj7", "maj7", "7", "dim7", "hdim7", "sus2", "sus4")
LARGE_OUTPUTS = tuple(f"{root}:{quality}" for root in NOTE_NAMES for quality in LARGE_QUALITIES) + ("X", NO_CHORD)
"""Output index -> chord of btc_model_large_voca.pt: root-major order, then X (168) and N (169)."""


class BTCConfig(PluginConfig):
    checkpoint: str | None = Field(default=None, description="Path of the published checkpoint file (required).")
    silence_db: float = Field(default=-60.0, description="Frames quieter than this (dBFS RMS) are N.")
    threads: int = Field(default=1, ge=0, description="torch CPU threads while BTC runs; 0 keeps torch's setting. "
                                                      "One is fastest: the windows are small and extra threads mostly wait.")


class BTCChordRecognizer(ChordRecognizer[BTCConfig]):
    name = "btc"
    version = "0.1.0"
    vocabulary = "majmin"
    description = "BTC bi-directional transformer (ISMIR 2019), major/minor; loads btc_model.pt."
    licence_note = "Code and published BTC checkpoints are MIT; you supply the checkpoint file."
    outputs: ClassVar[tuple[str, ...]] = MAJMIN_OUTPUTS

    @cached_property
    def _loaded(self) -> "LoadedBTC":
        from v2m_btc.checkpoint import load_btc

        return load_btc(self.config.checkpoint, self.name, len(self.outputs))

    def recognize(self, audio: np.ndarray, sample_rate: int) -> ChordTimeline:
        loaded = self._loaded
        samples = prepare(audio, sample_rate, SAMPLE_RATE)
        duration = len(samples) / SAMPLE_RATE
        if duration == 0:
            return ChordTimeline(segments=[], vocabulary=self.vocabulary, source=self.name)
        features = (log_cqt(samples) - loaded.mean) / loaded.std
        labels = [self.outputs[i] for i in self._predict(loaded, features)]
        loud = self._loud_frames(samples, len(labels))
        labels = [normalize(label) if keep else NO_CHORD for label, keep in zip(labels, loud)]
        segments = frames_to_segments(labels, FRAME_SECONDS, duration)
        return ChordTimeline(segments=segments, vocabulary=self.vocabulary, source=self.name)

    def _predict(self, loaded: "LoadedBTC", features: np.ndarray) -> np.ndarray:
        """Zero-pad to whole 108-frame windows and classify them as one batch."""
        import torch

        step = loaded.model.shape.timestep
        frames = len(features)
        padded = np.pad(features, ((0, -frames % step), (0, 0)))
        with torch_threads(self.config.threads), torch.inference_mode():
            logits = loaded.model(torch.from_numpy(padded).reshape(-1, step, padded.shape[1]))
        return logits.argmax(-1).reshape(-1)[:frames].numpy()

    def _loud_frames(self, samples: np.ndarray, frames: int) -> np.ndarray:
        padded = np.pad(samples, (0, max(0, frames * HOP - len(samples))))[:frames * HOP].reshape(frames, HOP)
        rms_db = 10 * np.log10(np.mean(padded.astype(np.float64) ** 2, axis=1) + 1e-20)
        return rms_db >= self.config.silence_db


class BTCLargeChordRecognizer(BTCChordRecognizer):
    name = "btc-large"
    vocabulary = "btc-large"
    description = "BTC bi-directional transformer (ISMIR 2019), 170-chord vocabulary; loads btc_model_large_voca.pt."
    outputs = LARGE_OUTPUTS


@hookimpl
def register_chord_recognizers(register: Register) -> None:
    register(BTCChordRecognizer)
    register(BTCLargeChordRecognizer)
