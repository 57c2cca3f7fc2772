"""EfficientNet-Lite0 embeddings from the packaged weights; CLIP steps on a tiny CLIP the test creates."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from v2m_core.errors import UsageError
from v2m_core.interfaces.base import PluginKind
from v2m_core.interfaces.step import StepContext
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.plugins import PluginManager
from v2m_core.steps.frame_analysis import FrameAnalysisStep
from v2m_core.steps.keyframes import KeyframesStep
from v2m_semantic.clip import ClipConfig, ClipEmotionStep, ClipSemanticStep
from v2m_semantic.efficientnet import EfficientNetSemanticStep

TINY_CLIP = {"embed_dim": 32,
             "vision_cfg": {"image_size": 64, "layers": 1, "width": 64, "patch_size": 16, "head_width": 32},
             "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 1}}


@pytest.fixture(scope="module")
def keyframes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Work folder holding keyframes.npy of a 6 s video: 3 s of colour bars, then 3 s of a test pattern."""
    folder = tmp_path_factory.mktemp("semantic")
    video = folder / "clip.mp4"
    make_video(video, [SceneSpec(3.0, "smptebars", motion="static"), SceneSpec(3.0, "mandelbrot", motion="slow")],
               size=(160, 90), fps=10)
    for step in (FrameAnalysisStep(), KeyframesStep()):
        step.run(StepContext(video=video, workdir=folder))
    return folder


def test_steps_are_found_through_the_entry_point() -> None:
    names = PluginManager(environ={}).names(PluginKind.STEP)
    assert {"semantic-efficientnet", "semantic-clip", "emotion-clip"} <= set(names)


def test_efficientnet_embeds_each_second_and_separates_scenes(keyframes: Path) -> None:
    step = EfficientNetSemanticStep()
    step.run(StepContext(video=keyframes / "clip.mp4", workdir=keyframes))
    embedding = np.load(keyframes / "semantic.npy")
    assert embedding.shape == (6, 1280) and embedding.dtype == np.float32
    assert json.loads((keyframes / "semantic.json").read_text())["dim"] == 1280
    unit = embedding / np.linalg.norm(embedding, axis=1, keepdims=True)
    similarity = unit @ unit.T
    assert similarity[0, 1] > similarity[0, 4] and similarity[4, 5] > similarity[1, 5]
    first = (keyframes / "semantic.npy").read_bytes()
    step.run(StepContext(video=keyframes / "clip.mp4", workdir=keyframes))
    assert (keyframes / "semantic.npy").read_bytes() == first


@pytest.fixture(scope="module")
def tiny_clip(tmp_path_factory: pytest.TempPathFactory) -> ClipConfig:
    """Random weights for a tiny CLIP architecture, saved as a checkpoint file the steps load."""
    import open_clip
    import torch

    folder = tmp_path_factory.mktemp("tiny-clip")
    architecture = folder / "tiny-test-clip.json"
    architecture.write_text(json.dumps(TINY_CLIP))
    open_clip.add_model_config(architecture)
    torch.manual_seed(0)
    weights = folder / "weights.pt"
    torch.save(open_clip.create_model("tiny-test-clip").state_dict(), weights)
    return ClipConfig(model="tiny-test-clip", weights=str(weights), model_config_file=str(architecture))


def test_clip_embedding_and_zero_shot_emotion(keyframes: Path, tiny_clip: ClipConfig) -> None:
    context = StepContext(video=keyframes / "clip.mp4", workdir=keyframes)
    ClipSemanticStep(tiny_clip).run(context)
    ClipEmotionStep(tiny_clip).run(context)
    assert np.load(keyframes / "semantic.npy").shape == (6, 32)
    emotion = np.load(keyframes / "emotion.npy")
    assert emotion.shape == (6, 6) and np.allclose(emotion.sum(axis=1), 1.0, atol=1e-5)
    assert ClipEmotionStep(tiny_clip).dependencies()["weights"] == ClipSemanticStep(tiny_clip).dependencies()["weights"]


def test_clip_without_weights_says_what_to_set(keyframes: Path) -> None:
    with pytest.raises(UsageError, match="plugins.settings.semantic-clip.weights"):
        ClipSemanticStep().run(StepContext(video=keyframes / "clip.mp4", workdir=keyframes))


def test_compose_takes_its_emotion_from_clip(keyframes: Path, tiny_clip: ClipConfig, tmp_path: Path) -> None:
    from v2m_core.compose.pipeline import compose
    from v2m_core.schemas.config import ComposeConfig

    composition = compose(keyframes / "clip.mp4", tmp_path / "music.wav", ComposeConfig(emotion="emotion-clip"),
                          plugin_settings={"emotion-clip": tiny_clip.model_dump()}, keep=tmp_path / "work")
    written = np.load(tmp_path / "work" / "analysis" / "emotion.npy")
    assert composition.analysis.affect_source == "emotion-clip"
    assert np.allclose(composition.analysis.emotion, written, atol=1e-6) and written.shape == (6, 6)
