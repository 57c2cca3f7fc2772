"""`v2m dataset stats`: what a dataset holds (chords, emotions, durations, splits), optionally as PNGs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from v2m_core.atomic import atomic_path
from v2m_core.chords.labfiles import read_chord_labels
from v2m_core.dataset.layout import DatasetLayout
from v2m_core.dataset.metadata import read_dataset, read_stream
from v2m_core.errors import UsageError
from v2m_core.schemas.analysis import EMOTIONS


@dataclass(frozen=True)
class DatasetStats:
    videos: int
    seconds: list[int]
    splits: dict[str, int]
    chords: Counter[str]
    emotion_mean: dict[str, float]
    """Mean probability of each emotion over all seconds."""
    emotion_top: dict[str, int]
    """Seconds whose most probable emotion is each one."""


def dataset_stats(root: Path) -> DatasetStats:
    layout = DatasetLayout(Path(root))
    manifest = read_dataset(layout)
    if manifest is None:
        raise UsageError(f"{root}: no dataset.json")
    chords: Counter[str] = Counter()
    emotion_spec = next((spec for spec in manifest.features if spec.name == "emotion"), None)
    emotions: list[np.ndarray] = []
    for video in manifest.videos:
        folder = layout.video_folder(video.id)
        if (folder / "chords.lab").is_file():
            chords.update(read_chord_labels(folder / "chords.lab"))
        if emotion_spec is not None and (folder / emotion_spec.file).is_file():
            array = read_stream(folder / emotion_spec.file)
            emotions.append(array[:, emotion_spec.columns] if emotion_spec.columns else array)
    stacked = np.concatenate(emotions) if emotions else np.zeros((0, len(EMOTIONS)))
    top = Counter(int(i) for i in stacked.argmax(axis=1)) if len(stacked) else Counter()
    return DatasetStats(
        videos=len(manifest.videos),
        seconds=[video.seconds for video in manifest.videos],
        splits=dict(Counter(video.split for video in manifest.videos)),
        chords=chords,
        emotion_mean={name: float(stacked[:, i].mean()) if len(stacked) else 0.0 for i, name in enumerate(EMOTIONS)},
        emotion_top={name: top.get(i, 0) for i, name in enumerate(EMOTIONS)},
    )


def plot_stats(stats: DatasetStats, folder: Path, top_chords: int = 30) -> list[Path]:
    """chords.png (most frequent chords), emotions.png (mean probabilities), durations.png (histogram)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    common = stats.chords.most_common(top_chords)
    charts = {
        "chords.png": ("Seconds per chord", lambda ax: ax.bar([c for c, _ in common], [n for _, n in common])),
        "emotions.png": ("Mean emotion probability", lambda ax: ax.bar(list(stats.emotion_mean),
                                                                       list(stats.emotion_mean.values()))),
        "durations.png": ("Video durations (s)", lambda ax: ax.hist(stats.seconds, bins=min(30, max(1, stats.videos)))),
    }
    written = []
    for name, (title, draw) in charts.items():
        figure, axes = plt.subplots(figsize=(10, 4))
        draw(axes)
        axes.set_title(title)
        axes.tick_params(axis="x", labelrotation=60)
        figure.tight_layout()
        with atomic_path(folder / name) as temporary:
            figure.savefig(temporary, format="png", dpi=100)
        plt.close(figure)
        written.append(folder / name)
    return written
