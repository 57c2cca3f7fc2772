"""Drums heard in dataset soundtracks: the transcription against the MIDI that was rendered, and the
emotion relation a model learns from soundtracks whose videos carry emotions."""

from __future__ import annotations

import json
from pathlib import Path

import mir_eval
import numpy as np
import pretty_midi
import pytest

from tests.compose.conftest import Composed
from v2m_core.dataset.layout import DatasetLayout
from v2m_core.dataset.metadata import write_dataset
from v2m_core.drums.kit import KEYS, class_of, index
from v2m_core.drums.patterns import CONDITIONS
from v2m_core.drums.soundtrack import soundtrack_bars
from v2m_core.drums.synthetic import write_drum_collection, write_drum_part
from v2m_core.drums.train import train_drums
from v2m_core.drums.transcribe import OBSERVED, SAMPLE_RATE, KitTemplates, kit_templates, read_mono, transcribe_drums
from v2m_core.errors import UsageError
from v2m_core.renderers.drums_learned import LearnedDrumsRenderer
from v2m_core.renderers.learned import LearnedRendererConfig
from v2m_core.music.timing import Grid
from v2m_core.schemas.analysis import EMOTIONS
from v2m_core.schemas.manifest import DatasetManifest, DatasetVideo
from v2m_core.steps.files import write_array
from v2m_core.synthesizers.fluidsynth import FluidSynthConfig, FluidSynthSynthesizer
from v2m_core.testing.fixtures import sample_plan

LEVEL_OF = {"relaxing": "high", "sad": "low"}
"""Two emotions of one arousal (so only the class tells them apart), each with its own drum level."""


def render(midi: Path) -> Path:
    FluidSynthSynthesizer(FluidSynthConfig()).synthesize(midi, midi.with_suffix(".wav"), SAMPLE_RATE)
    return midi.with_suffix(".wav")


@pytest.fixture(scope="module")
def templates() -> KitTemplates:
    return kit_templates()


@pytest.fixture(scope="module")
def emotion_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six 'videos' whose soundtracks play the level of their emotion, cut every four bars, equal motion."""
    root = tmp_path_factory.mktemp("emotion-dataset")
    layout, rng, videos = DatasetLayout(root), np.random.default_rng(5), []
    for number in range(6):
        emotion = ("relaxing", "sad")[number % 2]
        folder = layout.video_folder(f"v{number}")
        folder.mkdir(parents=True)
        tempo = float(rng.integers(100, 121))
        render(write_drum_part(folder / "drums.mid", [LEVEL_OF[emotion]] * 3, tempo, rng)).rename(folder / "audio.wav")
        bar = 4 * 60.0 / tempo
        seconds = int(np.ceil(12 * bar))
        affect = np.zeros((seconds, 2 + len(EMOTIONS)))
        affect[:, 1] = -0.5  # the arousal of both emotions' prototypes
        affect[:, 2 + EMOTIONS.index(emotion)] = 1.0
        write_array(folder / "affect.npy", affect)
        write_array(folder / "visual.npy", np.tile([0.02, 0.5, 0.3, 0.3], (seconds, 1)))
        (folder / "cuts.json").write_text(json.dumps([4 * bar, 8 * bar]))
        videos.append(DatasetVideo(id=f"v{number}", seconds=seconds, split="train"))
    write_dataset(layout, DatasetManifest(videos=videos))
    return root


def onset_scores(midi: Path, audio: Path, templates: KitTemplates) -> dict[str, float]:
    """Onset F-measure (50 ms) per OBSERVED class of the drums transcribed from `audio` against `midi`."""
    hits = transcribe_drums(read_mono(audio), templates)
    assert {kind for _, kind, _ in hits} <= {index(name) for name in OBSERVED}
    truth: dict[int, list[float]] = {}
    for note in (n for instrument in pretty_midi.PrettyMIDI(str(midi)).instruments if instrument.is_drum for n in instrument.notes):
        truth.setdefault(class_of(note.pitch), []).append(note.start)
    return {name: mir_eval.onset.f_measure(np.unique(np.round(truth.get(index(name), []), 4)),
                                           np.array([time for time, kind, _ in hits if kind == index(name)]), window=0.05)[0]
            for name in OBSERVED}


def test_transcription_finds_kicks_snares_and_hats_of_a_rendered_groove(tmp_path: Path, templates: KitTemplates) -> None:
    midi = write_drum_collection(tmp_path, files=1, sections=6, seed=1)[0]
    scores = onset_scores(midi, render(midi), templates)
    assert scores["kick"] >= 0.75 and scores["snare"] >= 0.7 and scores["closed_hat"] >= 0.7, scores


def test_transcription_still_hears_the_drums_in_a_full_composed_mix(kept: Composed, templates: KitTemplates) -> None:
    scores = onset_scores(kept.work / "music.mid", kept.work / "music.wav", templates)
    assert np.mean(list(scores.values())) >= 0.45 and min(scores.values()) >= 0.3, scores


def test_soundtrack_bars_start_on_kicks_and_carry_the_videos_emotion_and_cuts(emotion_dataset: Path,
                                                                              templates: KitTemplates) -> None:
    bars = soundtrack_bars(DatasetLayout(emotion_dataset).video_folder("v0"), templates)
    assert 9 <= len(bars) <= 12
    assert np.mean([bar.velocities[0, index("kick")] > 0 for bar in bars]) >= 0.8
    conditions = np.array([bar.conditions for bar in bars])
    assert np.all(conditions[:, CONDITIONS.index("emotion_known")] == 1)
    assert np.allclose(conditions[:, CONDITIONS.index("emotion_relaxing")], 1)
    assert conditions[:, CONDITIONS.index("starts_at_cut")].sum() == 2
    assert bars[0].observed.sum() == len(OBSERVED)


def test_a_model_trained_on_soundtracks_plays_each_emotion_as_its_videos_did(tmp_path: Path, emotion_dataset: Path) -> None:
    write_drum_collection(tmp_path / "midi", files=4, seed=1)
    with_emotion = train_drums(tmp_path / "midi", tmp_path / "both.pt", soundtracks=[emotion_dataset], iterations=300)
    midi_only = train_drums(tmp_path / "midi", tmp_path / "midi.pt", iterations=300)
    assert with_emotion.soundtracks == 6 and with_emotion.emotion_bars >= 50 and midi_only.emotion_bars == 0

    def hats_per_bar(model: Path, emotion: str) -> float:
        plan = sample_plan(bars=8)
        plan = plan.model_copy(update={"energy": [0.5] * len(plan.energy), "sections": [
            section.model_copy(update={"emotion": emotion, "energy": 0.5}) for section in plan.sections]})
        renderer = LearnedDrumsRenderer(LearnedRendererConfig(model=str(model)))
        notes = [n for seed in range(3) for n in renderer.render(plan, np.random.default_rng(seed))[0].notes]
        return sum(n.pitch == KEYS[index("closed_hat")] for n in notes) / (3 * 8)

    relaxing, sad = hats_per_bar(tmp_path / "both.pt", "relaxing"), hats_per_bar(tmp_path / "both.pt", "sad")
    assert relaxing > 1.5 * sad, (relaxing, sad)
    assert hats_per_bar(tmp_path / "midi.pt", "relaxing") == hats_per_bar(tmp_path / "midi.pt", "sad")


def test_train_drums_cli_reads_soundtracks_and_names_a_folder_without_features(cli, tmp_path: Path,
                                                                               emotion_dataset: Path) -> None:
    result = cli("train", "drums", "--soundtracks", str(emotion_dataset), "-o", str(tmp_path / "d.pt"),
                 "--iterations", "3", "-f", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["soundtracks"] == 6
    broken = tmp_path / "broken"
    layout = DatasetLayout(broken)
    layout.video_folder("only-audio").mkdir(parents=True)
    (layout.video_folder("only-audio") / "audio.wav").hardlink_to(DatasetLayout(emotion_dataset).video_folder("v0") / "audio.wav")
    write_dataset(layout, DatasetManifest(videos=[DatasetVideo(id="only-audio", seconds=20, split="train")]))
    failed = cli("train", "drums", "--soundtracks", str(broken), "-o", str(tmp_path / "e.pt"))
    assert failed.code == 2 and "only-audio: no affect.npy" in failed.err and not (tmp_path / "e.pt").exists()
    with pytest.raises(UsageError, match="no dataset.json"):
        train_drums(None, tmp_path / "f.pt", soundtracks=[tmp_path])


def test_bars_take_the_plans_per_second_emotion_or_else_their_sections() -> None:
    plan = sample_plan(bars=4)  # 2 s bars; sections "relaxing" then "exciting"
    grid = Grid(plan)
    assert grid.bar_emotion(grid.bars[0]) == [float(name == "relaxing") for name in EMOTIONS]
    rows = [[1.0, 0, 0, 0, 0, 0], [0, 0, 0, 1.0, 0, 0]] * 4  # exciting, sad, exciting, sad, ...
    mixed = plan.model_copy(update={"emotion": rows})
    assert Grid(mixed).bar_emotion(grid.bars[1]) == [0.5, 0, 0, 0.5, 0, 0]


def test_the_datasets_own_emotion_file_wins_over_the_affect_estimate(emotion_dataset: Path, templates: KitTemplates,
                                                                     tmp_path: Path) -> None:
    import shutil

    folder = shutil.copytree(DatasetLayout(emotion_dataset).video_folder("v0"), tmp_path / "v0")
    seconds = len(np.load(folder / "affect.npy"))
    write_array(folder / "emotion.npy", np.tile(np.eye(len(EMOTIONS))[EMOTIONS.index("tense")], (seconds, 1)))
    conditions = np.array([bar.conditions for bar in soundtrack_bars(folder, templates)])
    assert np.allclose(conditions[:, CONDITIONS.index("emotion_tense")], 1)
    write_array(folder / "emotion.npy", np.ones((seconds, 2)))
    with pytest.raises(UsageError, match="emotion.npy"):
        soundtrack_bars(folder, templates)
