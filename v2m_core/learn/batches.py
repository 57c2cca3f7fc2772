"""Windows and batches: random time crops with augmentation for training, tiled windows for evaluation.

Training never sees a whole video, only windows of at most `window` seconds, so no length cap
exists anywhere: a video of any length contributes windows in proportion to its length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from v2m_core.errors import UsageError
from v2m_core.learn.data import VideoRecord
from v2m_core.learn.features import EMOTION_STREAM, Normaliser
from v2m_core.learn.tokens import ChordTokens
from v2m_core.schemas.analysis import EMOTIONS


@dataclass(frozen=True)
class Prepared:
    """A video as model inputs: normalised streams, chord token IDs, raw emotion, normalised targets."""

    id: str
    features: dict[str, np.ndarray]
    chords: np.ndarray
    emotion: np.ndarray
    targets: np.ndarray | None


@dataclass(frozen=True)
class Window:
    video: int
    start: int
    length: int
    shift: int = 0
    """Semitones every chord of the window is transposed by."""


@dataclass(frozen=True)
class Batch:
    features: dict[str, torch.Tensor]
    padding: torch.Tensor
    inputs: torch.Tensor
    targets: torch.Tensor
    emotion: torch.Tensor
    dynamics: torch.Tensor | None

    @property
    def chord_positions(self) -> torch.Tensor:
        """True where the target is a chord (not END, not PAD)."""
        return ~self.padding


def prepare(records: list[VideoRecord], tokens: ChordTokens, normaliser: Normaliser,
            dynamics: tuple[np.ndarray, np.ndarray] | None) -> list[Prepared]:
    """Token IDs, normalised features and, given (mean, scale), normalised dynamics targets."""
    prepared = []
    for record in records:
        emotion = record.streams.get(EMOTION_STREAM)
        if emotion is None or emotion.shape[1] != len(EMOTIONS):
            emotion = np.zeros((record.seconds, len(EMOTIONS)), dtype=np.float32)
        targets = None
        if dynamics is not None and record.targets is not None:
            targets = ((record.targets - dynamics[0]) / dynamics[1]).astype(np.float32)
        unknown = sorted(set(record.chords) - tokens.index.keys())
        if unknown:
            raise UsageError(f"video {record.id}: chord(s) {', '.join(unknown)} are not in the model's vocabulary "
                             "(was the dataset relabelled after training?)")
        chords = np.asarray([tokens.index[label] for label in record.chords], dtype=np.int64)
        prepared.append(Prepared(record.id, normaliser(record.streams), chords, emotion, targets))
    return prepared


def random_windows(videos: list[Prepared], window: int, min_window: int, transpose: bool,
                   rng: np.random.Generator) -> list[Window]:
    """About seconds/window random crops per video, each of a random length in [min_window, window]."""
    windows = []
    for index, video in enumerate(videos):
        seconds = len(video.chords)
        for _ in range(max(1, round(seconds / window))):
            length = int(rng.integers(min(min_window, seconds), min(window, seconds) + 1))
            start = int(rng.integers(0, seconds - length + 1))
            windows.append(Window(index, start, length, int(rng.integers(12)) if transpose else 0))
    order = rng.permutation(len(windows))
    return [windows[i] for i in order]


def tiled_windows(videos: list[Prepared], window: int) -> list[Window]:
    """Consecutive windows covering every second of every video once."""
    return [Window(index, start, min(window, len(video.chords) - start))
            for index, video in enumerate(videos) for start in range(0, len(video.chords), window)]


def collate(videos: list[Prepared], windows: list[Window], tokens: ChordTokens, noise: float,
            rng: np.random.Generator | None, device: torch.device) -> Batch:
    """Pad windows to the longest; decoder inputs are the previous second's chord (START at a video's
    start) and the target after a video's last second is END. `noise` adds Gaussian feature noise."""
    width = max(w.length for w in windows) + 1
    first = videos[0]
    features = {name: np.zeros((len(windows), width, array.shape[1]), dtype=np.float32)
                for name, array in first.features.items()}
    padding = np.ones((len(windows), width), dtype=bool)
    inputs = np.full((len(windows), width), tokens.pad, dtype=np.int64)
    targets = np.full((len(windows), width), tokens.pad, dtype=np.int64)
    emotion = np.zeros((len(windows), width, len(EMOTIONS)), dtype=np.float32)
    has_dynamics = all(v.targets is not None for v in videos)
    dynamics = np.zeros((len(windows), width, 2), dtype=np.float32) if has_dynamics else None
    for row, w in enumerate(windows):
        video, span = videos[w.video], slice(w.start, w.start + w.length)
        shift = np.asarray(tokens.transposition(w.shift)) if w.shift else None
        chords = shift[video.chords[span]] if shift is not None else video.chords[span]
        previous = tokens.start if w.start == 0 else int(video.chords[w.start - 1])
        previous = int(shift[previous]) if shift is not None else previous
        for name, array in video.features.items():
            features[name][row, : w.length] = array[span]
        padding[row, : w.length] = False
        inputs[row, 0] = previous
        inputs[row, 1: w.length + 1] = chords
        targets[row, : w.length] = chords
        if w.start + w.length == len(video.chords):
            targets[row, w.length] = tokens.end
        emotion[row, : w.length] = video.emotion[span]
        if dynamics is not None and video.targets is not None:
            dynamics[row, : w.length] = video.targets[span]
    if noise > 0 and rng is not None:
        for name in features:
            features[name] += (rng.standard_normal(features[name].shape) * noise).astype(np.float32) * ~padding[..., None]
    return Batch(
        features={name: torch.from_numpy(array).to(device) for name, array in features.items()},
        padding=torch.from_numpy(padding).to(device),
        inputs=torch.from_numpy(inputs).to(device),
        targets=torch.from_numpy(targets).to(device),
        emotion=torch.from_numpy(emotion).to(device),
        dynamics=torch.from_numpy(dynamics).to(device) if dynamics is not None else None,
    )
