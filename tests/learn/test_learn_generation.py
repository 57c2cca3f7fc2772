"""Generation and the `amt` planner: deterministic with a seed, any length, chords on the cut-fitted grid."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from tests.music.synthetic_analysis import build_analysis, random_cuts  # noqa: E402

from v2m_core.errors import UsageError  # noqa: E402
from v2m_core.learn import checkpoint  # noqa: E402
from v2m_core.learn.data import read_manifest, read_videos  # noqa: E402
from v2m_core.learn.features import Normaliser  # noqa: E402
from v2m_core.learn.generate import generate_chords, predict_energy  # noqa: E402
from v2m_core.learn.train import BEST  # noqa: E402
from v2m_core.planners.amt import AmtPlanner, AmtPlannerConfig  # noqa: E402
from v2m_core.schemas.config import ComposeConfig  # noqa: E402
from v2m_core.schemas.manifest import FeatureSpec  # noqa: E402


def _streams(dataset: Path, specs: list[FeatureSpec]) -> dict[str, np.ndarray]:
    return read_videos(dataset, read_manifest(dataset), "test", specs)[0].streams


def test_save_load_generate_is_deterministic(trained_run: Path, synthetic_dataset: Path) -> None:
    first, _ = checkpoint.load(trained_run / BEST)
    second, _ = checkpoint.load(trained_run / BEST)
    streams = _streams(synthetic_dataset, first.specs)
    chords = generate_chords(first, streams, seed=7, top_k=5)
    assert chords == generate_chords(second, streams, seed=7, top_k=5)
    assert chords != generate_chords(first, streams, seed=8, top_k=5)
    assert len(chords) == len(next(iter(streams.values())))


def test_a_twenty_minute_video_gets_1200_chords(trained_run: Path, synthetic_dataset: Path) -> None:
    trained, _ = checkpoint.load(trained_run / BEST)
    streams = {name: np.resize(array, (1200, array.shape[1]))
               for name, array in _streams(synthetic_dataset, trained.specs).items()}
    assert 1200 > 40 * trained.config.window
    chords = generate_chords(trained, streams, seed=1, max_repeats=2, context=8)
    assert len(chords) == 1200
    assert "N" not in chords and all(":" in label for label in chords)
    assert not any(a == b == c for a, b, c in zip(chords, chords[1:], chords[2:]))
    energy = predict_energy(trained, streams)
    assert energy is not None and energy.shape == (1200,) and 0 <= energy.min() <= energy.max() <= 1


def test_amt_planner_lands_chord_changes_on_structural_cuts(trained_run: Path) -> None:
    analysis = build_analysis(70.0, random_cuts(70.0, seed=2))
    planner = AmtPlanner(AmtPlannerConfig(model=str(trained_run / BEST), top_k=4))
    plan = planner.plan(analysis, ComposeConfig(seed=5))
    assert plan.planner == "amt" and len(plan.energy) == analysis.seconds
    starts = {round(chord.start, 6) for chord in plan.chords}
    structural = plan.structural_cuts()
    assert structural and all(round(cut, 6) in starts for cut in structural)
    assert all(round(cut, 6) in {round(t, 6) for t in plan.downbeats()} for cut in structural)
    assert plan == planner.plan(analysis, ComposeConfig(seed=5))
    keyed = planner.plan(analysis, ComposeConfig(seed=5, key="D minor"))
    assert (keyed.key.tonic, keyed.key.mode) == (2, "minor")


def test_amt_planner_can_take_its_dynamics_from_the_video(trained_run: Path) -> None:
    from v2m_core.music.energy import second_energy

    analysis = build_analysis(40.0, random_cuts(40.0, seed=3))
    config = AmtPlannerConfig(model=str(trained_run / BEST), top_k=4)
    learned = AmtPlanner(config).plan(analysis, ComposeConfig(seed=5))
    video = AmtPlanner(config.model_copy(update={"dynamics": "video"})).plan(analysis, ComposeConfig(seed=5))
    expected = second_energy(analysis.arousal, analysis.motion)
    assert video.energy == pytest.approx(expected.round(4).tolist()) and learned.energy != video.energy


def test_amt_planner_names_a_missing_feature(trained_run: Path, tmp_path: Path) -> None:
    trained, _ = checkpoint.load(trained_run / BEST)
    state = trained.normaliser.state()
    normaliser = Normaliser({**state["mean"], "semantic": [0.0] * 8}, {**state["scale"], "semantic": [1.0] * 8})
    specs = [*trained.specs, FeatureSpec(name="semantic", dim=8, file="semantic.npy")]
    checkpoint.save(tmp_path / "semantic.pt",
                    checkpoint.build(trained.config, trained.tokens, specs, normaliser, trained.dynamics, None), {})
    analysis = build_analysis(12.0)
    with pytest.raises(UsageError, match="feature 'semantic'"):
        AmtPlanner(AmtPlannerConfig(model=str(tmp_path / "semantic.pt"))).plan(analysis, ComposeConfig())
    np.save(tmp_path / "semantic.npy", np.zeros((12, 8), dtype=np.float32))
    planner = AmtPlanner(AmtPlannerConfig(model=str(tmp_path / "semantic.pt"), features=str(tmp_path)))
    assert planner.plan(analysis, ComposeConfig()).chords


def test_amt_planner_needs_a_model() -> None:
    with pytest.raises(UsageError, match="plugins.settings.amt.model"):
        AmtPlanner().plan(build_analysis(5.0), ComposeConfig())
