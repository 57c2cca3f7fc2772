"""Short clips (4 s, 160x90, with a soundtrack): enough for every stage of compose and of a dataset build."""

from __future__ import annotations

from pathlib import Path

import pytest

from v2m_core.media.synthetic import SceneSpec, make_video

SCENES = [SceneSpec(2.0, "smptebars", motion="static"), SceneSpec(2.0, "testsrc2", motion="fast")]


def make_clip(path: Path) -> Path:
    make_video(path, SCENES, size=(160, 90), fps=10, audio=True)
    return path


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clip") / "clip.mp4")


@pytest.fixture(scope="session")
def videos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of three clips: with two workers, the third starts when the first is done."""
    folder = tmp_path_factory.mktemp("videos")
    for name in ("a", "b", "c"):
        make_clip(folder / f"{name}.mp4")
    return folder
