"""A picture of what a drum model learned, written beside its checkpoint by `v2m train drums`.

For each energy level, the share of sampled bars with a hit of each class on each sixteenth: a
model that learned the energy relation shows more and finer hi-hats to the right. A model that
learned emotions from soundtracks gets a second row: the same at middle energy, per emotion.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from v2m_core.atomic import atomic_path
from v2m_core.drums.kit import CLASSES
from v2m_core.drums.model import DrumModel, DrumPlayer
from v2m_core.drums.patterns import bar_conditions
from v2m_core.learn.threads import torch_threads
from v2m_core.schemas.analysis import EMOTION_PROTOTYPES, EMOTIONS

ENERGIES = (0.2, 0.5, 0.8)
STEPS = 16
"""One 4/4 bar of sixteenths."""


def hit_shares(model: DrumModel, energy: float, emotion: str | None = None, bars: int = 32, seed: int = 0) -> np.ndarray:
    """(STEPS, classes) share of `bars` sampled bars (no cuts) with a hit there; arousal is the
    emotion's, or equals the energy as in MIDI training data when no emotion is given."""
    arousal = (EMOTION_PROTOTYPES[emotion][1] + 1) / 2 if emotion else energy
    one_hot = np.eye(len(EMOTIONS))[EMOTIONS.index(emotion)] if emotion else None
    conditions = bar_conditions(energy, arousal, False, False, one_hot)
    player, rng = DrumPlayer(model), np.random.default_rng(seed)
    with torch_threads(1):
        return np.mean([player.bar(conditions, STEPS, rng) > 0 for _ in range(bars)], axis=0)


def plot_patterns(model: DrumModel, path: Path, emotions: bool) -> None:
    """Heat maps of `hit_shares` per energy (and per emotion when the model learned them), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows: list[list[tuple[str, np.ndarray]]] = [[(f"energy {energy}", hit_shares(model, energy)) for energy in ENERGIES]]
    if emotions:
        rows.append([(name, hit_shares(model, 0.5, name)) for name in EMOTIONS])
    columns = max(len(row) for row in rows)
    figure, axes = plt.subplots(len(rows), columns, figsize=(2.6 * columns, 2.6 * len(rows)), squeeze=False)
    for row, panels in zip(axes, rows):
        for axis in row[len(panels):]:
            axis.set_axis_off()
        for axis, (title, shares) in zip(row, panels):
            axis.imshow(shares.T, aspect="auto", cmap="magma", vmin=0, vmax=1, origin="lower")
            axis.set(title=title, xticks=range(0, STEPS, 4), xticklabels=range(1, 5), xlabel="beat")
            axis.set_yticks(range(len(CLASSES)), CLASSES if axis is row[0] else [""] * len(CLASSES), fontsize=7)
    figure.suptitle("share of sampled bars with a hit, per sixteenth")
    figure.tight_layout()
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format="png", dpi=100)
    plt.close(figure)
