"""Bad training input gets one clear error before any work; sampling never meets a non-finite
distribution; bf16 autocast trains (on CPU here: no GPU is needed to run its code path)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from tests.learn.conftest import SPECS, build_dataset  # noqa: E402
from v2m_core.chords.labfiles import read_chord_labels, write_chord_lab  # noqa: E402
from v2m_core.errors import UsageError, V2MError  # noqa: E402
from v2m_core.learn import checkpoint  # noqa: E402
from v2m_core.learn.features import Normaliser  # noqa: E402
from v2m_core.learn.generate import generate_chords  # noqa: E402
from v2m_core.learn.tokens import ChordTokens  # noqa: E402
from v2m_core.learn.train import autocast, train  # noqa: E402
from v2m_core.learn.training_config import TrainConfig  # noqa: E402


def test_heads_that_do_not_divide_the_width_are_a_usage_error(cli, tmp_path: Path) -> None:
    result = cli("train", "amt", str(tmp_path), "-o", str(tmp_path / "run"), "--d-model", "32", "--heads", "3")
    assert result.code == 2
    assert "heads" in result.err and "3 does not divide d_model 32" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "run").exists()


def test_a_dataset_without_a_single_chord_is_refused(tmp_path: Path, tiny_config: Callable[..., TrainConfig]) -> None:
    dataset = build_dataset(tmp_path / "ds", {"train": 2, "val": 1})
    for lab in dataset.rglob("chords.lab"):
        write_chord_lab(lab, ["N"] * len(read_chord_labels(lab)))
    with pytest.raises(UsageError, match="every second of the train split is N or X"):
        train(dataset, tmp_path / "run", tiny_config(epochs=1))
    assert not (tmp_path / "run").exists()


def _model(vocabulary: list[str], tiny_config: Callable[..., TrainConfig]) -> checkpoint.Trained:
    specs = [spec for spec in SPECS if spec.name == "motion"]
    identity = Normaliser({"motion": [0.0]}, {"motion": [1.0]})
    return checkpoint.build(tiny_config(), ChordTokens.from_vocabulary(vocabulary), specs, identity, None, None)


def test_sampling_refuses_a_model_without_chords_or_with_broken_weights(
        tiny_config: Callable[..., TrainConfig]) -> None:
    streams = {"motion": np.zeros((5, 1), dtype=np.float32)}
    with pytest.raises(V2MError, match="knows no pitched chord"):
        generate_chords(_model(["N"], tiny_config), streams, seed=0)
    broken = _model(["N", "C:maj"], tiny_config)
    with torch.no_grad():
        broken.model.head.bias.fill_(math.nan)
    with pytest.raises(V2MError, match="not finite"):
        generate_chords(broken, streams, seed=0)
    assert len(generate_chords(_model(["N", "C:maj"], tiny_config), streams, seed=0)) == 5


def test_bf16_autocast_trains_and_fp32_stays_the_cpu_default(synthetic_dataset: Path, tmp_path: Path,
                                                            tiny_config: Callable[..., TrainConfig]) -> None:
    cpu = torch.device("cpu")
    with autocast(tiny_config(), cpu):
        assert (torch.ones(2, 2) @ torch.ones(2, 2)).dtype == torch.float32
    with autocast(tiny_config(precision="bf16"), cpu):
        assert (torch.ones(2, 2) @ torch.ones(2, 2)).dtype == torch.bfloat16
    torch.set_num_threads(1)
    _, metrics = train(synthetic_dataset, tmp_path, tiny_config(epochs=1, precision="bf16"))
    row = metrics["history"][0]
    assert all(math.isfinite(row[name]) for name in ("train_loss", "val_loss", "val_chord"))
    assert row["val_chord"] < 1.05 * metrics["uniform_chord_loss"]
