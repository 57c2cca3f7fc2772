"""A small synthetic dataset in the v2m layout whose chords follow the video, and one model trained on it.

Each scene has a motion level and a dominant emotion; the chord of every second is a function of
both (root from motion, quality from emotion), so a model can learn video -> chords, while the
most common chord covers only a small share of the seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from v2m_core.chords.labfiles import write_chord_lab
from v2m_core.dataset.chord_ids import extend_vocabulary
from v2m_core.dataset.layout import DatasetLayout
from v2m_core.dataset.metadata import write_dataset
from v2m_core.schemas.manifest import DatasetManifest, DatasetVideo, FeatureSpec
from v2m_core.steps.files import write_array

if TYPE_CHECKING:  # torch (extra 'learn') is imported only by tests that run
    from v2m_core.learn.training_config import TrainConfig

ROOTS = ("C", "F", "G", "A")
QUALITY_BY_EMOTION = {0: "maj", 3: "min", 4: "maj7", 2: "7"}
"""Emotion index (exciting, sad, relaxing, tense) -> chord quality."""
SPECS = [
    FeatureSpec(name="motion", dim=1, file="visual.npy", columns=[0]),
    FeatureSpec(name="scene_offset", dim=1, file="scenes.npy", columns=[1]),
    FeatureSpec(name="emotion", dim=6, file="emotion.npy"),
    FeatureSpec(name="loudness", dim=1, file="loudness.npy"),
    FeatureSpec(name="note_density", dim=1, file="note_density.npy"),
]


def write_video(folder: Path, seconds: int, rng: np.random.Generator) -> list[str]:
    """One video's files; returns its chord labels."""
    folder.mkdir(parents=True, exist_ok=True)
    visual, scenes = np.zeros((seconds, 4)), np.zeros((seconds, 2))
    emotion, loudness = np.zeros((seconds, 6)), np.zeros((seconds, 1))
    labels: list[str] = []
    start, scene = 0, 0
    while start < seconds:
        length = int(rng.integers(4, 12))
        level, feeling = int(rng.integers(4)), int(rng.choice(list(QUALITY_BY_EMOTION)))
        rows = slice(start, min(seconds, start + length))
        count = rows.stop - rows.start
        visual[rows, 0] = 0.05 + 0.1 * level + rng.normal(0, 0.01, count)
        scenes[rows] = np.column_stack([np.full(count, scene), np.arange(count)])
        probabilities = rng.dirichlet(np.ones(6), count) * 0.12
        probabilities[:, feeling] += 0.88
        emotion[rows] = probabilities
        loudness[rows, 0] = 0.2 * level + rng.normal(0, 0.02, count)
        labels += [f"{ROOTS[level]}:{QUALITY_BY_EMOTION[feeling]}"] * count
        start, scene = start + length, scene + 1
    for name, array in (("visual.npy", visual), ("scenes.npy", scenes), ("emotion.npy", emotion),
                        ("loudness.npy", loudness), ("note_density.npy", 3 * loudness + 1)):
        write_array(folder / name, array)
    write_chord_lab(folder / "chords.lab", labels)
    return labels


def build_dataset(root: Path, counts: dict[str, int], seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    layout = DatasetLayout(root)
    videos, labels = [], []
    for split, count in counts.items():
        for i in range(count):
            identifier = f"{split}{i:02d}"
            seconds = int(rng.integers(40, 90))
            labels += write_video(layout.video_folder(identifier), seconds, rng)
            videos.append(DatasetVideo(id=identifier, seconds=seconds, split=split))  # type: ignore[arg-type]
    write_dataset(layout, DatasetManifest(videos=videos, chord_vocabulary=extend_vocabulary(["N"], labels),
                                          features=SPECS))
    return root


def small_config(**changes: object) -> "TrainConfig":
    """A model small enough to train in seconds on two CPU cores."""
    from v2m_core.learn.model import ModelConfig
    from v2m_core.learn.training_config import TrainConfig

    model = ModelConfig(d_model=32, layers=1, heads=2, feed_forward=64, dropout=0.1, max_distance=16)
    base = TrainConfig(model=model, window=24, min_window=12, batch_size=16, epochs=12, learning_rate=3e-3,
                       patience=4, transpose=False, noise=0.02, regressor_hidden=8)
    return base.model_copy(update=changes)


@pytest.fixture
def tiny_config() -> Callable[..., "TrainConfig"]:
    """Factory: tiny_config(**changes) -> the small training configuration with `changes` applied."""
    return small_config


@pytest.fixture(scope="session")
def synthetic_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dataset(tmp_path_factory.mktemp("learn") / "dataset", {"train": 24, "val": 4, "test": 4})


@pytest.fixture(scope="session")
def trained_run(synthetic_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run folder (best.pt, last.pt, metrics.json, learning_curve.png) trained once for the session."""
    import torch

    from v2m_core.learn.train import train

    torch.set_num_threads(1)
    output = tmp_path_factory.mktemp("run")
    train(synthetic_dataset, output, small_config())
    return output
