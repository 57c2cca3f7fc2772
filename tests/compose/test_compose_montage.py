"""Compose on a generated montage (lognormal shot lengths, varied content): the music keeps time with the
picture, measured on the written MIDI and the rendered audio, as `v2m eval music` and bench/montage.py do."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pretty_midi
import pytest

from v2m_core.compose.pipeline import compose
from v2m_core.evaluation.music import evaluate_music
from v2m_core.media.synthetic import FAST_CODEC_ARGS, make_video, montage_scenes
from v2m_core.schemas.composition import Composition
from v2m_core.schemas.config import ComposeConfig


@pytest.fixture(scope="module")
def montage(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Composition]:
    folder = tmp_path_factory.mktemp("montage")
    video = folder / "montage.mp4"
    make_video(video, montage_scenes(np.random.default_rng(4), 2.0, 40.0), size=(320, 180), fps=25,
               codec_args=FAST_CODEC_ARGS)
    keep = folder / "keep"
    return keep, compose(video, folder / "out.wav", ComposeConfig(style="pop", seed=2), keep=keep)


def test_the_music_keeps_time_and_catches_the_cuts(montage: tuple[Path, Composition]) -> None:
    keep, composition = montage
    metrics = evaluate_music(keep).metrics
    assert len(composition.plan.cuts) >= 12
    assert metrics["structural_on_downbeat"] == 1.0 and metrics["structural_per_30s"] >= 1.0
    assert metrics["shortest_section_bars"] >= 2
    assert metrics["tempo_jolts_per_min"] <= 2 and metrics["largest_jolt"] <= 0.10
    assert metrics["tempo_travel_per_min"] <= 0.2 and metrics["regular_bars"] >= 0.9
    assert metrics["cuts_on_eighth"] >= 0.85 and metrics["cuts_on_beat"] >= 0.5
    assert metrics["crashes_per_min"] <= 6 and metrics["fill_bars"] <= 0.25
    assert metrics["audio_tempo_error"] <= 0.04


def test_a_daw_reads_the_plan_bar_lines(montage: tuple[Path, Composition]) -> None:
    keep, composition = montage
    midi = pretty_midi.PrettyMIDI(str(keep / "music.mid"))
    assert np.max(np.abs(midi.get_downbeats() - np.array(composition.plan.downbeats()))) <= 0.001
    assert len(midi.get_tempo_changes()[0]) > 1  # the tempo map, not one tempo
