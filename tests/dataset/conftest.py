"""Session fixtures: the music videos (made once) and bad videos the dataset tests share."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.dataset.music_videos import MusicVideo, make_music_video


@pytest.fixture(scope="session")
def music_videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, MusicVideo]:
    folder = tmp_path_factory.mktemp("music-videos")
    progressions = {"alpha": ["C:maj", "G:maj", "A:min", "F:maj"], "beta": ["A:min", "F:maj", "C:maj", "G:maj"],
                    "gamma": ["D:min", "G:maj", "C:maj", "E:min"]}
    return {name: make_music_video(folder / f"{name}.mp4", chords) for name, chords in progressions.items()}


@pytest.fixture(scope="session")
def bad_videos(tmp_path_factory: pytest.TempPathFactory, music_videos: dict[str, MusicVideo]) -> dict[str, Path]:
    """A silent video, a truncated one and a one-second one."""
    folder = tmp_path_factory.mktemp("bad-videos")
    silent = make_music_video(folder / "silent.mp4", ["C:maj", "G:maj"], audio=False).path
    corrupt = folder / "corrupt.mp4"
    data = music_videos["alpha"].path.read_bytes()
    corrupt.write_bytes(data[: len(data) // 3])
    short = make_music_video(folder / "short.mp4", ["C:maj"], seconds_per_chord=1.0).path
    return {"silent": silent, "corrupt": corrupt, "short": short}
