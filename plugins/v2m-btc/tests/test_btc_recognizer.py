"""BTC: the published key layout loads, a tiny random instance runs end to end, missing files are clear."""

from pathlib import Path

import numpy as np
import pytest
import torch

from v2m_core.errors import MediaError, UsageError
from v2m_core.interfaces import PluginKind
from v2m_core.testing import RecognizerContract, chord_tones, isolated_manager
from v2m_btc import plugin
from v2m_btc.model import BTCModel, BTCShape
from v2m_btc.plugin import BTCChordRecognizer, BTCConfig, BTCLargeChordRecognizer

TINY = {"hidden_size": 16, "num_layers": 2, "filter_size": 8}


def published_keys(layers: int) -> set[str]:
    """Every parameter name of the original BTC_model (jayg996/BTC-ISMIR19), written out by hand."""
    keys = {"self_attn_layers.embedding_proj.weight", "self_attn_layers.layer_norm.gamma",
            "self_attn_layers.layer_norm.beta", "output_layer.output_projection.weight",
            "output_layer.output_projection.bias"}
    keys |= {f"output_layer.lstm.{kind}_l0{suffix}" for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
             for suffix in ("", "_reverse")}
    for layer in range(layers):
        prefix = f"self_attn_layers.self_attn_layers.{layer}"
        keys |= {f"{prefix}.linear.weight", f"{prefix}.linear.bias"}
        for block in ("attn_block", "backward_attn_block"):
            keys |= {f"{prefix}.{block}.multi_head_attention.{p}_linear.weight" for p in ("query", "key", "value", "output")}
            keys |= {f"{prefix}.{block}.positionwise_convolution.layers.{i}.conv.{p}" for i in (0, 1) for p in ("weight", "bias")}
            keys |= {f"{prefix}.{block}.{norm}.{p}" for norm in ("layer_norm_mha", "layer_norm_ffn") for p in ("gamma", "beta")}
    return keys


def write_checkpoint(path: Path, num_chords: int, mean: object = np.float64(-6.5), std: object = np.float64(2.5),
                     **shape: int) -> Path:
    torch.manual_seed(0)
    model = BTCModel(BTCShape(num_chords=num_chords, **shape))
    torch.save({"model": model.state_dict(), "mean": mean, "std": std}, path)
    return path


def test_the_published_model_has_the_original_key_layout_and_shapes() -> None:
    state = BTCModel(BTCShape()).state_dict()
    assert set(state) == published_keys(8)
    assert state["self_attn_layers.embedding_proj.weight"].shape == (128, 144)
    assert state["output_layer.output_projection.weight"].shape == (25, 128)
    assert BTCShape.of_state_dict(state) == BTCShape()


def test_a_checkpoint_in_the_original_layout_loads(tmp_path: Path) -> None:
    path = write_checkpoint(tmp_path / "btc_model_large_voca.pt", 170, num_layers=1)
    recognizer = BTCLargeChordRecognizer(BTCConfig(checkpoint=str(path)))
    loaded = recognizer._loaded
    assert loaded.model.shape.num_layers == 1 and (float(loaded.mean), float(loaded.std)) == (-6.5, 2.5)
    reference = torch.load(path, weights_only=False)["model"]
    assert all(torch.equal(reference[k], v) for k, v in loaded.model.state_dict().items())


def test_per_bin_statistics_as_numpy_arrays_load(tmp_path: Path) -> None:
    path = write_checkpoint(tmp_path / "btc_model.pt", 25, mean=np.full(144, -6.0), std=np.full(144, 2.0), **TINY)
    recognizer = BTCChordRecognizer(BTCConfig(checkpoint=str(path)))
    assert recognizer._loaded.mean.shape == (144,)
    assert recognizer.recognize(chord_tones([60, 64, 67], 3.0), 22050).segments


class TestTinyBTC(RecognizerContract):
    plugin_class = BTCChordRecognizer
    recognizes_triads = False

    @pytest.fixture(autouse=True)
    def _checkpoint(self, tmp_path: Path) -> None:
        self.checkpoint = write_checkpoint(tmp_path / "btc_model.pt", 25, **TINY)

    def make_plugin(self) -> BTCChordRecognizer:
        return BTCChordRecognizer(BTCConfig(checkpoint=str(self.checkpoint)))


def test_tiny_large_vocabulary_model_labels_come_from_its_vocabulary(tmp_path: Path) -> None:
    from v2m_core.chords.vocabularies import BTC_LARGE

    path = write_checkpoint(tmp_path / "large.pt", 170, **TINY)
    manager = isolated_manager(plugin, builtins=False)
    recognizer = manager.create(PluginKind.RECOGNIZER, "btc-large", {"checkpoint": str(path)})
    timeline = recognizer.recognize(chord_tones([48, 60, 64, 67], 12.0), 22050)
    assert timeline.vocabulary == "btc-large"
    assert {s.label for s in timeline.segments} <= set(BTC_LARGE.labels)
    assert timeline.segments[-1].end == pytest.approx(12.0)


def test_missing_or_wrong_checkpoints_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="needs a checkpoint"):
        BTCChordRecognizer().recognize(np.zeros(22050, dtype=np.float32), 22050)
    with pytest.raises(MediaError, match="not found"):
        BTCChordRecognizer(BTCConfig(checkpoint=str(tmp_path / "absent.pt"))).recognize(np.zeros(100), 22050)
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(MediaError, match="junk.pt: not a loadable BTC checkpoint"):
        BTCChordRecognizer(BTCConfig(checkpoint=str(tmp_path / "junk.pt")))._loaded
    large = write_checkpoint(tmp_path / "large.pt", 170, **TINY)
    with pytest.raises(MediaError, match="has 170 chord outputs"):
        BTCChordRecognizer(BTCConfig(checkpoint=str(large)))._loaded
