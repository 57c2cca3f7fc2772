"""A dependency-free major/minor chord recognizer: STFT chroma, triad templates, Viterbi smoothing.

It exists so the core can label chords with nothing but numpy; the recognizer plugins under
`plugins/` are more accurate. Frames are processed in blocks, so memory does not grow with length.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from v2m_core.audio_input import as_mono
from v2m_core.chords.frames import frames_to_segments
from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.recognizer import ChordRecognizer
from v2m_core.schemas.chords import ChordTimeline

PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
LABELS = ("N", *(f"{p}:maj" for p in PITCH_NAMES), *(f"{p}:min" for p in PITCH_NAMES))


class ChromaTemplateConfig(PluginConfig):
    frame_seconds: float = Field(default=0.186, gt=0.01, description="STFT window length.")
    hop_seconds: float = Field(default=0.093, gt=0.005)
    switch_penalty: float = Field(default=4.0, ge=0, description="Viterbi cost of changing chord; higher is smoother.")
    silence_db: float = Field(default=-50.0, description="Frames quieter than this (dBFS RMS) are N.")


def _templates() -> np.ndarray:
    """Rows: N then 12 major then 12 minor triads, as unit-norm pitch-class profiles."""
    rows = [np.full(12, 1 / np.sqrt(12))]
    for third in (4, 3):
        for root in range(12):
            row = np.zeros(12)
            row[[root, (root + third) % 12, (root + 7) % 12]] = (1.0, 0.8, 0.9)
            rows.append(row / np.linalg.norm(row))
    return np.array(rows)


def _pitch_class_map(sample_rate: int, window: int) -> np.ndarray:
    """(bins, 12) weights folding FFT bins between 60 Hz and 2.1 kHz onto pitch classes."""
    freqs = np.fft.rfftfreq(window, 1 / sample_rate)
    weights = np.zeros((len(freqs), 12))
    valid = (freqs > 60) & (freqs < 2100)
    midi = 69 + 12 * np.log2(freqs[valid] / 440.0)
    nearest = np.round(midi)
    closeness = np.clip(1 - 2 * np.abs(midi - nearest), 0, 1)
    weights[np.flatnonzero(valid), nearest.astype(int) % 12] = closeness
    return weights


class ChromaTemplateRecognizer(ChordRecognizer[ChromaTemplateConfig]):
    name = "chroma-template"
    version = "1.0.0"
    vocabulary = "majmin"
    description = "Major/minor triads from STFT chroma and templates with Viterbi smoothing (numpy only)."

    def recognize(self, audio: np.ndarray, sample_rate: int) -> ChordTimeline:
        audio = as_mono(audio)
        window = int(2 ** np.ceil(np.log2(self.config.frame_seconds * sample_rate)))
        hop = max(1, int(self.config.hop_seconds * sample_rate))
        scores = self._frame_scores(audio, sample_rate, window, hop)
        states = self._viterbi(scores)
        segments = frames_to_segments((LABELS[state] for state in states), hop / sample_rate, len(audio) / sample_rate)
        return ChordTimeline(segments=segments, vocabulary=self.vocabulary, source=self.name)

    def _frame_scores(self, audio: np.ndarray, sample_rate: int, window: int, hop: int) -> np.ndarray:
        folding = _pitch_class_map(sample_rate, window)
        templates = _templates()
        taper = np.hanning(window).astype(np.float32)
        frame_count = max(0, 1 + (len(audio) - window) // hop) if len(audio) >= window else (1 if len(audio) else 0)
        padded = np.pad(audio, (0, max(0, window - len(audio))))
        scores = np.empty((frame_count, len(LABELS)))
        block = 256
        for first in range(0, frame_count, block):
            starts = np.arange(first, min(frame_count, first + block)) * hop
            frames = padded[starts[:, None] + np.arange(window)] * taper
            spectrum = np.abs(np.fft.rfft(frames, axis=1))
            chroma = np.log1p(100 * spectrum) @ folding
            chroma /= np.linalg.norm(chroma, axis=1, keepdims=True) + 1e-9
            similarity = chroma @ templates.T
            similarity[:, 0] = 0.55  # N wins only when no triad fits
            rms_db = 20 * np.log10(np.sqrt(np.mean(frames ** 2, axis=1)) + 1e-12) + 4.26  # undo Hann's power loss
            similarity[rms_db < self.config.silence_db] = [1.0] + [0.0] * (len(LABELS) - 1)
            scores[first:first + len(starts)] = similarity
        return scores

    def _viterbi(self, scores: np.ndarray) -> list[int]:
        if len(scores) == 0:
            return []
        emissions = 20 * scores
        penalty = self.config.switch_penalty
        best = emissions[0].copy()
        back = np.zeros(scores.shape, dtype=np.int32)
        for t in range(1, len(scores)):
            leader = int(np.argmax(best))
            stay = best
            switch = best[leader] - penalty
            back[t] = np.where(stay >= switch, np.arange(len(best)), leader)
            best = np.maximum(stay, switch) + emissions[t]
        path = [int(np.argmax(best))]
        for t in range(len(scores) - 1, 0, -1):
            path.append(int(back[t, path[-1]]))
        return path[::-1]
