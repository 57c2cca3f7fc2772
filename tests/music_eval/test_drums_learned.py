"""The learned drum renderer: learns the energy/fill relation of generated MIDI, and plugs into compose."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from v2m_core.drums.kit import KEYS, index
from v2m_core.errors import UsageError
from v2m_core.evaluation.music import evaluate_music
from v2m_core.renderers.drums_learned import LearnedDrumsRenderer
from v2m_core.renderers.learned import LearnedRendererConfig
from v2m_core.music.timing import Grid
from v2m_core.testing.contracts import RendererContract
from v2m_core.testing.fixtures import sample_plan

TOMS = {KEYS[index(name)] for name in ("tom_high", "tom_mid", "tom_low")}
HAT = KEYS[index("closed_hat")]


@pytest.fixture(scope="module")
def model_path(drum_model: Path) -> Path:
    return drum_model


class TestLearnedDrumsContract(RendererContract):
    plugin_class = LearnedDrumsRenderer

    @pytest.fixture(autouse=True)
    def _model(self, model_path: Path) -> None:
        self.model = model_path

    def make_plugin(self) -> LearnedDrumsRenderer:
        return LearnedDrumsRenderer(LearnedRendererConfig(model=str(self.model)))


def test_more_and_finer_hits_at_high_energy_and_fills_before_cuts(drum_model: Path) -> None:
    plan = sample_plan(bars=12)  # energy 0.3 for six bars, then 0.8 from the cut at bar 6
    grid = Grid(plan)
    counts = {"hits": [], "hats": [], "toms": []}
    for seed in range(3):
        notes = LearnedDrumsRenderer(LearnedRendererConfig(model=str(drum_model))).render(plan, np.random.default_rng(seed))[0].notes
        for bar in grid.bars:
            inside = [n for n in notes if bar.start - 1e-6 <= n.start < bar.end - 1e-6]
            counts["hits"].append(len(inside))
            counts["hats"].append(sum(n.pitch == HAT for n in inside))
            counts["toms"].append(sum(n.pitch in TOMS for n in inside))
    per_bar = {name: np.array(values).reshape(3, len(grid.bars)).mean(axis=0) for name, values in counts.items()}
    calm, busy = slice(0, 5), slice(7, 11)  # the bars before the cut and the final bar are left out
    assert per_bar["hits"][busy].mean() > 1.4 * per_bar["hits"][calm].mean()
    assert per_bar["hats"][busy].mean() > 1.5 * per_bar["hats"][calm].mean()
    others = np.delete(per_bar["toms"], [5])
    assert per_bar["toms"][5] >= 3 and per_bar["toms"][5] > 3 * others.mean()


def test_a_calm_style_rests_the_kit_like_the_rule_drums(drum_model: Path) -> None:
    plan = sample_plan(bars=12).model_copy(update={"style": "ambient"})  # ambient: no kit below energy 0.5
    renderer = LearnedDrumsRenderer(LearnedRendererConfig(model=str(drum_model)))
    notes = renderer.render(plan, np.random.default_rng(0))[0].notes
    cut = plan.cuts[0]
    assert [n for n in notes if n.start < cut - 1e-6] == [] and len([n for n in notes if n.start >= cut]) > 10
    calm = plan.model_copy(update={"sections": [s.model_copy(update={"energy": 0.4}) for s in plan.sections]})
    assert renderer.render(calm, np.random.default_rng(0))[0].notes == []  # no crash over a resting kit


def test_same_seed_same_drums_and_temperature_changes_them(drum_model: Path) -> None:
    plan = sample_plan()

    def render(seed: int, temperature: float) -> list[tuple[int, float]]:
        plugin = LearnedDrumsRenderer(LearnedRendererConfig(model=str(drum_model), temperature=temperature))
        return [(n.pitch, n.start) for n in plugin.render(plan, np.random.default_rng(seed))[0].notes]

    assert render(1, 1.0) == render(1, 1.0)
    assert render(1, 3.0) != render(1, 1.0)


def test_no_model_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--drum-model"):
        LearnedDrumsRenderer().render(sample_plan(), np.random.default_rng(0))


def test_foreign_checkpoints_are_refused(tmp_path: Path) -> None:
    torch.save({"format": "something-else"}, tmp_path / "other.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    for name in ("other.pt", "junk.pt", "absent.pt"):
        with pytest.raises(UsageError, match="drum model"):
            LearnedDrumsRenderer(LearnedRendererConfig(model=str(tmp_path / name))).render(sample_plan(), np.random.default_rng(0))


def test_train_drums_cli_writes_a_checkpoint(cli, tmp_path: Path) -> None:
    from v2m_core.drums.synthetic import write_drum_collection

    write_drum_collection(tmp_path / "midi", files=2, sections=3, seed=2)
    result = cli("train", "drums", str(tmp_path / "midi"), "-o", str(tmp_path / "d.pt"), "--iterations", "5", "-f", "json")
    assert result.code == 0, result.err
    assert (tmp_path / "d.pt").is_file() and '"bars": 24' in result.out and '"emotion_bars": 0' in result.out
    empty = cli("train", "drums", str(tmp_path / "nothing-here"), "-o", str(tmp_path / "e.pt"))
    assert empty.code == 2 and "no .mid" in empty.err
    nothing = cli("train", "drums", "-o", str(tmp_path / "e.pt"))
    assert nothing.code == 2 and "--soundtracks" in nothing.err and not (tmp_path / "e.pt").exists()


def test_train_lists_every_model_and_keeps_the_short_amt_form(cli, tmp_path: Path) -> None:
    listing = cli("train", "--help")
    assert listing.code == 0 and all(name in listing.out for name in ("amt", "drums", "melody"))
    short = cli("train", str(tmp_path / "no-dataset"), "-o", str(tmp_path / "run"))
    long = cli("train", "amt", str(tmp_path / "no-dataset"), "-o", str(tmp_path / "run"))
    assert short.code == long.code == 2 and short.err == long.err and "dataset.json" in short.err


def test_compose_with_learned_drums_keeps_cuts_on_downbeats(kept_learned: Path) -> None:
    metrics = evaluate_music(kept_learned).metrics
    assert metrics["cut_downbeat_chord"] == 1.0 and metrics["beat_hit_rate"] >= 0.95
    assert metrics["drum_density_motion_corr"] is not None


def test_reading_a_collection_in_worker_processes_gives_the_serial_result(tmp_path: Path) -> None:
    from v2m_core.drums.patterns import read_collection
    from v2m_core.drums.synthetic import write_drum_collection

    write_drum_collection(tmp_path, files=3, sections=2, seed=4)
    (tmp_path / "damaged.mid").write_bytes(b"MThd not really")
    serial, pooled = read_collection(tmp_path), read_collection(tmp_path, workers=2)
    assert len(serial) == 3
    assert [[bar.velocities.tolist() for bar in song] for song in serial] == \
        [[bar.velocities.tolist() for bar in song] for song in pooled]
    assert [[bar.conditions.tolist() for bar in song] for song in serial] == \
        [[bar.conditions.tolist() for bar in song] for song in pooled]


def test_training_draws_the_learned_patterns_beside_the_model(drum_model: Path) -> None:
    from v2m_core.drums.model import load_model
    from v2m_core.drums.plot import hit_shares

    picture = drum_model.with_suffix(".png")
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 10_000
    model = load_model(drum_model)[0]
    hats = index("closed_hat")
    assert hit_shares(model, 0.8)[:, hats].sum() > 1.5 * hit_shares(model, 0.2)[:, hats].sum()
