"""Data-parallel training on CPU: two processes (gloo) follow the one-process loss curve for the same
global batch, only rank 0 writes the run, and a run resumes from last.pt with another world size.

Tolerance: with dropout and feature noise off, the two runs draw the same windows in the same global
batches, and DistributedDataParallel averages gradients scaled to the whole batch's loss, so they
differ only by the order of floating-point sums: per-epoch losses agree within 2e-4 relative
(measured: 6e-5 at most; without that scaling, 3e-4 to 8e-4).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from v2m_core.learn import checkpoint  # noqa: E402
from v2m_core.learn.model import ModelConfig  # noqa: E402
from v2m_core.learn.train import BEST, CURVE, LAST, METRICS, train  # noqa: E402
from v2m_core.learn.training_config import TrainConfig  # noqa: E402

pytestmark = pytest.mark.slow
TOLERANCE = 2e-4
TINY = ("--d-model", "32", "--layers", "1", "--heads", "2", "--feed-forward", "64", "--dropout", "0", "--noise", "0",
        "--window", "24", "--min-window", "12", "--batch-size", "16", "--lr", "3e-3", "--epochs", "3")
CURVE_COLUMNS = ("train_loss", "train_chord", "val_loss", "val_chord", "val_emotion", "lr")


def run(*args: str) -> None:
    """`python ARGS` in a fresh process, as a user (or torchrun) runs it."""
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]


def curve(run: Path) -> list[dict[str, float]]:
    history = json.loads((run / METRICS).read_text())["history"]
    return [{name: row[name] for name in CURVE_COLUMNS} for row in history]


def test_two_processes_follow_one_and_resume_with_another_world_size(synthetic_dataset: Path, tmp_path: Path) -> None:
    config = TrainConfig(model=ModelConfig(d_model=32, layers=1, heads=2, feed_forward=64, dropout=0.0),
                         window=24, min_window=12, batch_size=16, learning_rate=3e-3, epochs=3, noise=0.0)

    class Stopped(Exception):
        pass

    def stop_in_epoch_3(stage: str, fraction: float) -> None:
        if stage == "epoch 3":
            raise Stopped

    one, two = tmp_path / "one", tmp_path / "two"
    torch.set_num_threads(1)
    with pytest.raises(Stopped):  # one process; last.pt holds its first two epochs
        train(synthetic_dataset, one, config, progress=stop_in_epoch_3)
    run("-m", "v2m_cli", "train", "amt", str(synthetic_dataset), "-o", str(two), *TINY, "--nproc", "2")

    assert sorted(p.name for p in two.iterdir()) == sorted([BEST, LAST, METRICS, CURVE])
    assert checkpoint.read(two / LAST)["config"] == config.model_dump(mode="json")
    straight = curve(two)
    assert len(straight) == 3
    for alone, together in zip(curve(one), straight[:2], strict=True):
        assert together == pytest.approx(alone, rel=TOLERANCE)

    run("-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2", "-m", "v2m_cli", "train", "amt",
        str(synthetic_dataset), "-o", str(one), "--epochs", "3", "--resume", str(one / LAST))
    resumed = curve(one)
    assert len(resumed) == 3 and resumed[2] == pytest.approx(straight[2], rel=TOLERANCE)
