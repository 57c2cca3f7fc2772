"""The learned path end to end: `v2m dataset build`, `v2m train`, `v2m compose --planner amt` with nothing in
between, compose making the model's input streams with the steps (plugins, versions, settings) the build ran."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("v2m_semantic")  # the default build's embedding step
pytest.importorskip("v2m_basic_pitch")  # and its transcription step

from tests.dataset.music_videos import make_music_video  # noqa: E402

from v2m_core.errors import UsageError  # noqa: E402
from v2m_core.learn import checkpoint  # noqa: E402
from v2m_core.learn.features import Normaliser, stream_steps  # noqa: E402
from v2m_core.learn.train import BEST  # noqa: E402
from v2m_core.planners.amt import AmtPlanner, AmtPlannerConfig  # noqa: E402
from v2m_core.schemas.manifest import FeatureSpec, StepRecord  # noqa: E402
from v2m_core.testing import isolated_manager  # noqa: E402

TINY_TRAINING = ("--epochs", "1", "--d-model", "16", "--layers", "1", "--heads", "2", "--feed-forward", "16",
                 "--window", "8", "--min-window", "4", "--batch-size", "2")
SEMANTIC = FeatureSpec(name="semantic", dim=1280, source="semantic-efficientnet", file="semantic.npy", steps=[
    StepRecord(name="frames", package="v2m", version="1.0.0"),
    StepRecord(name="keyframes", package="v2m", version="1.0.0", settings={"size": 224}),
    StepRecord(name="semantic-efficientnet", package="v2m-semantic", version="1.0.0", settings={"batch_size": 16})])


@pytest.fixture
def plain_cli(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """The in-process CLI in an empty folder, whatever v2m.toml or V2M_* variables the environment has."""
    for name in ("V2M_CONFIG", "V2M_DISABLED_PLUGINS", "V2M_LOAD_PLUGINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return cli


def test_build_train_compose_with_no_step_between(plain_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    videos = tmp_path / "videos"
    videos.mkdir()
    for name, chords in {"alpha": ["C:maj", "G:maj", "A:min", "F:maj"], "beta": ["A:min", "F:maj", "C:maj", "G:maj"],
                         "gamma": ["D:min", "G:maj", "C:maj", "E:min"]}.items():
        make_music_video(videos / f"{name}.mp4", chords)
    # the default build but for the recognizer (madmom's load costs seconds; labels are no compose input)
    built = plain_cli("dataset", "build", str(videos), "-o", str(tmp_path / "ds"), "--recognizer", "chroma-template")
    assert built.code == 0, built.err
    assert "splits: train 1, val 1, test 1" in built.out
    trained = plain_cli("train", str(tmp_path / "ds"), "-o", str(tmp_path / "run"), *TINY_TRAINING)
    assert trained.code == 0, trained.err
    specs = checkpoint.load(tmp_path / "run" / BEST)[0].specs
    assert {spec.name: spec.source for spec in specs} == {
        "semantic": "semantic-efficientnet", "motion": "frames", "scene_offset": "scenes", "emotion": "emotion-affect"}

    composed = plain_cli("compose", str(videos / "alpha.mp4"), "-o", str(tmp_path / "out.mp4"), "--planner", "amt",
                         "--model", str(tmp_path / "run" / BEST), "--keep", str(tmp_path / "work"))
    assert composed.code == 0, composed.err
    assert (tmp_path / "out.mp4").stat().st_size > 0
    made = sorted(path.name for path in (tmp_path / "work" / "features").iterdir())
    assert {"semantic.npy", "visual.npy", "scenes.npy", "emotion.npy"} <= set(made)
    for name in made:  # every file the build's steps wrote, byte for byte (the embedding included)
        assert (tmp_path / "work" / "features" / name).read_bytes() == (tmp_path / "ds/videos/alpha" / name).read_bytes()

    monkeypatch.setenv("V2M_LOAD_PLUGINS", "")  # no plugin packages: the embedding step is missing
    missing = plain_cli("compose", str(videos / "alpha.mp4"), "-o", str(tmp_path / "x.mp4"), "--planner", "amt",
                        "--model", str(tmp_path / "run" / BEST))
    assert missing.code == 2 and not (tmp_path / "x.mp4").exists()
    message = missing.err.strip()
    assert "\n" not in message and "'semantic-efficientnet'" in message and "v2m-semantic" in message


@pytest.fixture(scope="module")
def semantic_model(trained_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's model with a semantic input stream its dataset build made with the v2m-semantic plugin."""
    trained, _ = checkpoint.load(trained_run / BEST)
    state = trained.normaliser.state()
    normaliser = Normaliser({**state["mean"], "semantic": [0.0] * SEMANTIC.dim},
                            {**state["scale"], "semantic": [1.0] * SEMANTIC.dim})
    path = tmp_path_factory.mktemp("semantic-model") / "semantic.pt"
    checkpoint.save(path, checkpoint.build(trained.config, trained.tokens, [*trained.specs, SEMANTIC], normaliser,
                                           trained.dynamics, None), {})
    return path


def test_a_features_folder_stands_in_for_a_missing_step_plugin(semantic_model: Path, tmp_path: Path) -> None:
    manager = isolated_manager()  # built-in steps only
    with pytest.raises(UsageError, match="'semantic'.*'semantic-efficientnet'.*v2m-semantic"):
        AmtPlanner(AmtPlannerConfig(model=str(semantic_model))).video_steps(manager, {})
    np.save(tmp_path / "semantic.npy", np.zeros((8, SEMANTIC.dim), dtype=np.float32))
    planner = AmtPlanner(AmtPlannerConfig(model=str(semantic_model), features=str(tmp_path)))
    assert planner.video_steps(manager, {}) == []  # the session model's streams record no steps


def test_recorded_versions_and_settings_are_what_runs() -> None:
    manager = isolated_manager()
    scenes = FeatureSpec(name="scene_offset", dim=1, source="scenes", file="scenes.npy", columns=[1], steps=[
        StepRecord(name="frames", package="v2m", version="1.0.0", settings={"width": 96}),
        StepRecord(name="scenes", package="v2m", version="1.0.0")])
    steps = stream_steps([scenes], manager, {})
    assert [step.name for step in steps] == ["frames", "scenes"] and steps[0].config.width == 96  # type: ignore[attr-defined]
    assert stream_steps([scenes], manager, {"frames": {"width": 64}})[0].config.width == 64  # type: ignore[attr-defined]
    older = scenes.model_copy(update={"steps": [scenes.steps[0].model_copy(update={"version": "0.9.0"})]})
    with pytest.raises(UsageError, match=r"step 'frames' \(v2m 0.9.0\), but v2m 1.0.0 is installed"):
        stream_steps([older], manager, {})
