"""The same seed gives the same MIDI; another seed gives other notes; outputs can be WAV only."""

from __future__ import annotations

from pathlib import Path

import soundfile

from v2m_core.compose.pipeline import compose
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.schemas.config import ComposeConfig


def test_same_seed_same_midi(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    make_video(video, [SceneSpec(3.0, "testsrc2", motion="fast"), SceneSpec(3.0, "mandelbrot")], size=(160, 90), fps=15)
    midi = []
    for run, seed in (("a", 1), ("b", 1), ("c", 2)):
        composition = compose(video, tmp_path / f"{run}.wav", ComposeConfig(seed=seed), keep=tmp_path / run)
        midi.append((tmp_path / run / "music.mid").read_bytes())
        audio, rate = soundfile.read(tmp_path / f"{run}.wav")
        assert rate == 44100 and abs(len(audio) / rate - composition.analysis.probe.duration) <= 0.05
    assert midi[0] == midi[1]
    assert midi[0] != midi[2]
