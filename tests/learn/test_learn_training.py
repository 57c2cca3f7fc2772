"""Training on the synthetic dataset: it learns, writes its run files, checkpoints load safely, resumes."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from v2m_core.learn.evaluate import evaluate, majority_hits  # noqa: E402
from v2m_core.learn.train import BEST, CURVE, LAST, METRICS, train  # noqa: E402
from v2m_core.learn.training_config import TrainConfig  # noqa: E402


def test_validation_loss_falls_well_below_uniform(trained_run: Path) -> None:
    metrics = json.loads((trained_run / METRICS).read_text())
    assert metrics["best_val_chord"] < 0.6 * metrics["uniform_chord_loss"]
    assert metrics["history"][-1]["train_loss"] < metrics["history"][0]["train_loss"]
    assert {"val_chord", "val_emotion", "val_dynamics", "train_chord", "train_emotion"} <= set(metrics["history"][0])
    assert (trained_run / CURVE).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_beats_the_majority_chord_on_hits_at_1(trained_run: Path, synthetic_dataset: Path) -> None:
    row = evaluate(trained_run / BEST, synthetic_dataset, "test")
    assert row["hits@1"] > majority_hits(synthetic_dataset, "test") + 0.2
    assert row["hits@1"] <= row["hits@3"] <= row["hits@5"]
    assert row["emotion_correspondence"] is not None and row["emotion_correspondence"] > 0.5
    assert math.isclose(row["perplexity"], math.exp(row["chord_loss"]))


def test_checkpoint_loads_without_pickle_and_holds_everything(trained_run: Path) -> None:
    payload = torch.load(trained_run / BEST, weights_only=True)
    assert {"model", "config", "tokens", "features", "normaliser", "training"} <= set(payload)
    assert "optimizer" in payload["training"]
    assert [spec["name"] for spec in payload["features"]] == ["motion", "scene_offset", "emotion"]
    assert payload["tokens"][-3:] == ["<end>", "<pad>", "<start>"]


def test_a_resumed_run_continues_as_an_uninterrupted_one(synthetic_dataset: Path, tmp_path: Path,
                                                         tiny_config: Callable[..., TrainConfig]) -> None:
    class Killed(Exception):
        pass

    def kill_in_epoch_2(stage: str, fraction: float) -> None:
        if stage == "epoch 2":
            raise Killed

    config = tiny_config(epochs=2, weighting="uncertainty", transpose=True)
    _, straight = train(synthetic_dataset, tmp_path / "straight", config)
    with pytest.raises(Killed):
        train(synthetic_dataset, tmp_path / "resumed", config, progress=kill_in_epoch_2)
    best, resumed = train(synthetic_dataset, tmp_path / "resumed", config, resume=tmp_path / "resumed" / LAST)
    assert [row["epoch"] for row in resumed["history"]] == [1, 2]
    assert len(resumed["history"][1]["log_variance"]) == 2
    for name in ("train_loss", "val_loss", "val_chord"):
        assert resumed["history"][1][name] == pytest.approx(straight["history"][1][name], rel=1e-5)
    assert not best.model.training


def test_no_emotion_stream_means_no_emotion_term(synthetic_dataset: Path, tmp_path: Path,
                                                 tiny_config: Callable[..., TrainConfig]) -> None:
    from v2m_core.errors import UsageError

    with pytest.raises(UsageError, match="emotion"):
        train(synthetic_dataset, tmp_path, tiny_config(features=["motion"], epochs=1))
