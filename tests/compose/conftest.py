"""Videos with known cuts, composed once per module (composing is the slow part)."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile

from v2m_core.compose.pipeline import compose
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.schemas.composition import Composition
from v2m_core.schemas.config import ComposeConfig

CALM = [SceneSpec(5.0, "color", brightness=0.3, saturation=0.3, motion="static"),
        SceneSpec(5.0, "smptebars", brightness=0.35, saturation=0.3, motion="static")]
BUSY = [SceneSpec(3.0, "testsrc2", brightness=1.5, saturation=1.8, motion="fast"),
        SceneSpec(3.5, "smptebars", brightness=1.6, saturation=1.6, motion="fast"),
        SceneSpec(3.5, "mandelbrot", brightness=1.4, saturation=1.7, motion="fast")]
CUTS = [SceneSpec(3.0, "smptebars", brightness=0.4, saturation=0.5, motion="static"),
        SceneSpec(2.6, "mandelbrot", brightness=0.9, saturation=0.9, motion="slow"),
        SceneSpec(4.2, "testsrc2", brightness=1.4, saturation=1.6, motion="fast"),
        SceneSpec(3.4, "color", brightness=0.5, saturation=0.6, motion="static"),
        SceneSpec(2.2, "rgbtestsrc", brightness=1.0, saturation=1.0, motion="slow"),
        SceneSpec(3.6, "smptebars", brightness=1.5, saturation=1.5, motion="fast")]


@dataclass
class Composed:
    video: Path
    output: Path
    work: Path
    cuts: list[float]
    composition: Composition


def compose_scenes(folder: Path, scenes: list[SceneSpec], *, audio: bool = True, **config: object) -> Composed:
    folder.mkdir(parents=True, exist_ok=True)
    video = folder / "input.mp4"
    cuts = make_video(video, scenes, size=(320, 180), fps=25, audio=audio)
    output = folder / "output.mp4"
    composition = compose(video, output, ComposeConfig(**config), keep=folder / "work")
    return Composed(video, output, folder / "work", cuts, composition)


@pytest.fixture(scope="session")
def composed_with_cuts(tmp_path_factory: pytest.TempPathFactory) -> Composed:
    return compose_scenes(tmp_path_factory.mktemp("cuts"), CUTS, seed=3)


@pytest.fixture(scope="session")
def calm_and_busy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Composed, Composed]:
    return (compose_scenes(tmp_path_factory.mktemp("calm"), CALM),
            compose_scenes(tmp_path_factory.mktemp("busy"), BUSY))


def video_stream_md5(path: Path) -> str:
    result = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v:0", "-c", "copy", "-f", "md5", "-"],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def stream_facts(path: Path) -> list[dict[str, str]]:
    result = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,duration", "-of", "json",
                             str(path)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["streams"]


def decoded_audio(path: Path, folder: Path) -> tuple[np.ndarray, int]:
    wav = folder / f"{path.stem}.decoded.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(path), "-map", "0:a:0", str(wav)], check=True)
    audio, rate = soundfile.read(wav, dtype="float32", always_2d=True)
    return audio, rate
