"""The learned path's parts: tokens, augmentation, masks, batches, attention, fusion plugins, CLI."""

from __future__ import annotations

import types
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from typer.testing import CliRunner  # noqa: E402

from v2m_core.errors import UsageError  # noqa: E402
from v2m_core.interfaces.fusion import FusionStrategy  # noqa: E402
from v2m_core.learn import checkpoint  # noqa: E402
from v2m_core.learn.attention import Attention  # noqa: E402
from v2m_core.learn.batches import Prepared, Window, collate  # noqa: E402
from v2m_core.learn.losses import emotion_mask  # noqa: E402
from v2m_core.learn.tokens import MAJOR, MINOR, NEITHER, ChordTokens  # noqa: E402
from v2m_core.learn.train import METRICS, train  # noqa: E402
from v2m_core.learn.training_config import TrainConfig  # noqa: E402
from v2m_core.plugins.hookspecs import hookimpl  # noqa: E402
from v2m_core.schemas.analysis import EMOTIONS  # noqa: E402
from v2m_core.testing import isolated_manager  # noqa: E402

VOCABULARY = ["N", "C:maj", "A:min", "G:7", "D:sus4"]


def test_tokens_keep_dataset_ids_and_close_under_transposition() -> None:
    tokens = ChordTokens.from_vocabulary(VOCABULARY)
    assert list(tokens.labels[:5]) == VOCABULARY
    assert len(tokens.chord_ids) == 4 * 12 and tokens.outputs == tokens.end + 1
    up_two = tokens.transposition(2)
    assert [tokens.labels[up_two[tokens.index[label]]] for label in VOCABULARY] == ["N", "D:maj", "B:min", "A:7", "E:sus4"]
    flags = {label: tokens.parts[tokens.index[label]][2] for label in VOCABULARY[1:]}
    assert flags == {"C:maj": MAJOR, "A:min": MINOR, "G:7": MAJOR, "D:sus4": NEITHER}
    assert tokens.parts[tokens.index["C:maj"]][1] == tokens.parts[tokens.index["F#:maj"]][1]


def test_emotion_mask_follows_video2music() -> None:
    tokens = ChordTokens.from_vocabulary(VOCABULARY)
    mask = emotion_mask(tokens)
    row = {emotion: {tokens.labels[j] for j in torch.nonzero(mask[i]).flatten().tolist()} for i, emotion in enumerate(EMOTIONS)}
    assert "A:min" in row["sad"] and "C:maj" not in row["sad"]
    assert {"C:maj", "G:7", "D:sus4"} <= row["exciting"]
    assert not row["neutral"] and mask[:, tokens.end].sum() == 0 and mask[:, 0].sum() == 0


def test_collate_shifts_all_chords_together_and_marks_the_end() -> None:
    tokens = ChordTokens.from_vocabulary(VOCABULARY)
    chords = np.asarray([tokens.index[label] for label in ("C:maj", "A:min", "G:7", "C:maj")])
    video = Prepared("v", {"motion": np.arange(4, dtype=np.float32)[:, None]}, chords, np.zeros((4, 6), np.float32), None)
    batch = collate([video], [Window(0, 0, 4, shift=5), Window(0, 1, 2)], tokens, 0.0, None, torch.device("cpu"))
    labels = [tokens.labels[i] for i in batch.targets[0].tolist()]
    assert labels == ["F:maj", "D:min", "C:7", "F:maj", "<end>"]
    assert tokens.labels[int(batch.inputs[0, 0])] == "<start>"
    assert [tokens.labels[i] for i in batch.inputs[1, :2].tolist()] == ["C:maj", "A:min"]
    assert tokens.labels[int(batch.targets[1, 2])] == "<pad>" and batch.padding[1].tolist() == [False, False, True, True, True]


def test_relative_attention_serves_any_length() -> None:
    attention = Attention(16, 2, 0.0, max_distance=4)
    for length in (3, 50):
        x = torch.randn(2, length, 16)
        assert attention(x, x, None).shape == (2, length, 16)


class SumFusion(FusionStrategy):
    """A third-party fusion: project every stream and add them up."""

    name = "test-sum"
    version = "0.1.0"

    def build(self, input_dims: dict[str, int], d_model: int) -> torch.nn.Module:
        class Sum(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.layers = torch.nn.ModuleDict({n: torch.nn.Linear(d, d_model) for n, d in input_dims.items()})

            def forward(self, features: dict[str, torch.Tensor]) -> torch.Tensor:
                return sum(layer(features[name]) for name, layer in self.layers.items())  # type: ignore[return-value]

        return Sum()


def test_third_party_fusion_plugin_trains(synthetic_dataset: Path, tmp_path: Path,
                                          tiny_config: Callable[..., TrainConfig]) -> None:
    module = types.ModuleType("v2m_test_sum_fusion")
    module.register_fusion_strategies = hookimpl(lambda register: register(SumFusion))  # type: ignore[attr-defined]
    manager = isolated_manager(module)
    config = tiny_config(epochs=1)
    config = config.model_copy(update={"model": config.model.model_copy(update={"fusion": "test-sum"})})
    trained, metrics = train(synthetic_dataset, tmp_path, config, plugins=manager)
    assert np.isfinite(metrics["history"][0]["train_loss"])
    assert trained.config.model.fusion == "test-sum"
    assert checkpoint.load(tmp_path / "best.pt", plugins=manager)[0].config.model.fusion == "test-sum"


def test_a_foreign_file_is_not_a_checkpoint(tmp_path: Path) -> None:
    torch.save({"weights": torch.zeros(2)}, tmp_path / "other.pt")
    with pytest.raises(UsageError, match="not a v2m checkpoint"):
        checkpoint.load(tmp_path / "other.pt")


def test_train_and_evaluate_commands(synthetic_dataset: Path, tmp_path: Path, trained_run: Path) -> None:
    import typer

    from v2m_cli.learn_cmd import evaluate_command, train_command

    app = typer.Typer()
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)
    runner = CliRunner()
    result = runner.invoke(app, ["train", str(synthetic_dataset), "-o", str(tmp_path), "--epochs", "1", "--fusion",
                                 "attention", "--d-model", "16", "--layers", "1", "--heads", "2", "--feed-forward",
                                 "32", "--window", "20", "--min-window", "10", "--weighting", "uncertainty",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / METRICS).is_file() and '"best_epoch": 1' in result.output
    result = runner.invoke(app, ["evaluate", str(tmp_path / "best.pt"), str(trained_run / "best.pt"),
                                 str(synthetic_dataset), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.output.count('"hits@3"') == 2


@pytest.mark.parametrize("relative", [True, False])
def test_incremental_decoding_matches_a_full_pass(relative: bool) -> None:
    from v2m_core.learn.model import ModelConfig, build_model

    tokens = ChordTokens.from_vocabulary(VOCABULARY)
    config = ModelConfig(d_model=16, layers=2, heads=2, feed_forward=32, relative=relative, max_distance=3)
    model = build_model(config, tokens, {"motion": 1}, None).eval()
    memory = model.encode({"motion": torch.randn(1, 9, 1)}, torch.zeros(1, 9, dtype=torch.bool))
    padding = torch.zeros(1, 9, dtype=torch.bool)
    sequence = torch.randint(0, len(tokens.chord_ids), (1, 8))
    with torch.no_grad():
        full = model.decode(sequence, memory, padding)
        cache = model.new_cache()
        steps = [model.decode(sequence[:, :3], memory, padding, cache)]
        steps += [model.decode(sequence[:, i: i + 1], memory, padding, cache) for i in range(3, 8)]
    assert torch.allclose(full, torch.cat(steps, dim=1), atol=1e-5)
