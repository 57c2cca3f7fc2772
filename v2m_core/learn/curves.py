"""The learning-curve PNG written beside every run's metrics JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from v2m_core.atomic import atomic_path


def plot_learning_curve(history: list[dict[str, Any]], path: Path, uniform: float) -> None:
    """Train and validation loss, and both parts of the validation loss, per epoch (Agg backend: no display)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [row["epoch"] for row in history]
    figure, (total, parts) = plt.subplots(1, 2, figsize=(10, 4))
    total.plot(epochs, [row["train_loss"] for row in history], label="train")
    total.plot(epochs, [row["val_loss"] for row in history], label="validation")
    total.set(xlabel="epoch", ylabel="loss", title="objective")
    total.legend()
    parts.plot(epochs, [row["val_chord"] for row in history], label="chord CE (val)")
    parts.plot(epochs, [row["val_emotion"] for row in history], label="emotion BCE (val)")
    parts.axhline(uniform, linestyle="--", color="grey", label="uniform CE")
    parts.set(xlabel="epoch", title="validation parts")
    parts.legend()
    figure.tight_layout()
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format="png", dpi=100)
    plt.close(figure)
