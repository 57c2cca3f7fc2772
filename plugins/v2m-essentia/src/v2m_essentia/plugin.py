"""essentia's HPCP + ChordsDetection: template matching on harmonic pitch-class profiles.

The fastest of the recognizers (tens of milliseconds per minute of audio) and the least accurate:
it always names a major or minor triad, so frames below `min_strength` become N.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from v2m_core.audio_input import prepare
from v2m_core.chords.frames import frames_to_segments
from v2m_core.chords.labels import NO_CHORD, normalize
from v2m_core.interfaces import ChordRecognizer, PluginConfig
from v2m_core.plugins import hookimpl
from v2m_core.plugins.hookspecs import Register
from v2m_core.schemas.chords import ChordTimeline

SAMPLE_RATE = 44100


class EssentiaConfig(PluginConfig):
    hop_size: int = Field(default=2048, ge=256, description="Samples between HPCP frames at 44.1 kHz (frames are twice as long).")
    window_seconds: float = Field(default=1.0, gt=0, description="ChordsDetection's smoothing window.")
    min_strength: float = Field(default=0.3, ge=0, le=1, description="Frames whose best triad fits worse than this are N.")


def harte(name: str) -> str:
    """essentia's 'Am', 'C#', 'Bbm' -> Harte 'A:min', 'C#:maj', 'Bb:min'."""
    return normalize(f"{name[:-1]}:min" if name.endswith("m") else f"{name}:maj")


class EssentiaChordRecognizer(ChordRecognizer[EssentiaConfig]):
    name = "essentia"
    version = "0.1.0"
    vocabulary = "majmin"
    description = "essentia HPCP + ChordsDetection major/minor chords (very fast, less accurate)."
    licence_note = "essentia is AGPL-3.0: distributing software that uses this plugin brings AGPL obligations."
    restrictive_licence = True

    def recognize(self, audio: np.ndarray, sample_rate: int) -> ChordTimeline:
        import essentia

        essentia.log.infoActive = False  # before essentia.standard, which logs while importing
        import essentia.standard as es

        samples = prepare(audio, sample_rate, SAMPLE_RATE)
        duration = len(samples) / SAMPLE_RATE
        hop = self.config.hop_size
        window, spectrum = es.Windowing(type="blackmanharris62"), es.Spectrum()
        peaks = es.SpectralPeaks(orderBy="magnitude", magnitudeThreshold=1e-5, minFrequency=40, maxFrequency=3500,
                                 maxPeaks=60, sampleRate=SAMPLE_RATE)
        hpcp = es.HPCP(size=12, referenceFrequency=440, harmonics=8, bandPreset=True, minFrequency=40,
                       maxFrequency=3500, weightType="cosine", nonLinear=False, windowSize=1.0, sampleRate=SAMPLE_RATE)
        padded = np.pad(samples, (0, 2 * hop))
        profiles = [hpcp(*peaks(spectrum(window(frame))))
                    for frame in es.FrameGenerator(padded, frameSize=2 * hop, hopSize=hop, startFromZero=True)]
        frame_count = int(np.ceil(len(samples) / hop))
        names, strengths = (es.ChordsDetection(hopSize=hop, sampleRate=SAMPLE_RATE, windowSize=self.config.window_seconds)(
            np.array(profiles[:frame_count], dtype=np.float32)) if frame_count else ([], []))
        labels = (harte(name) if strength >= self.config.min_strength else NO_CHORD
                  for name, strength in zip(names, strengths))
        segments = frames_to_segments(labels, hop / SAMPLE_RATE, duration)
        return ChordTimeline(segments=segments, vocabulary=self.vocabulary, source=self.name)


@hookimpl
def register_chord_recognizers(register: Register) -> None:
    register(EssentiaChordRecognizer)
