"""A composed video kept with --keep, and drum and melody models trained on generated MIDI, shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compose.conftest import CUTS, Composed, compose_scenes
from v2m_core.compose.pipeline import compose
from v2m_core.drums.synthetic import write_drum_collection
from v2m_core.drums.train import train_drums
from v2m_core.melody.synthetic import write_melody_collection
from v2m_core.melody.train import train_melody
from v2m_core.schemas.config import ComposeConfig


@pytest.fixture(scope="session")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Composed:
    """Composed with the rule renderers; its work folder holds plan.json, music.mid, music.wav."""
    return compose_scenes(tmp_path_factory.mktemp("kept"), CUTS, seed=3)


@pytest.fixture(scope="session")
def drum_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("drum-midi")
    write_drum_collection(folder / "midi", files=6, seed=1)
    train_drums(folder / "midi", folder / "drums.pt", iterations=200, seed=0)
    return folder / "drums.pt"


@pytest.fixture(scope="session")
def melody_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("melody-midi")
    write_melody_collection(folder / "midi", files=8, seed=1)
    train_melody(folder / "midi", folder / "melody.pt", iterations=200, hidden=32, seed=0)
    return folder / "melody.pt"


@pytest.fixture(scope="session")
def kept_learned(kept: Composed, drum_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same video composed with drums-learned instead of drums; returns the work folder."""
    folder = tmp_path_factory.mktemp("kept-learned")
    compose(kept.video, folder / "output.mp4",
            ComposeConfig(seed=3, renderers=["chords", "bass", "melody", "drums-learned"]),
            plugin_settings={"drums-learned": {"model": str(drum_model)}}, keep=folder / "work")
    return folder / "work"
