"""The learned melody renderer: reads melodies and harmony from MIDI, learns the chord-tone and energy
relation of a generated collection, and refuses what is not its checkpoint."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pretty_midi
import pytest
import torch

from v2m_core.errors import UsageError
from v2m_core.learn.payload import read_payload
from v2m_core.melody.model import FORMAT, MelodyModel, save_model
from v2m_core.melody.phrases import read_melody_bars
from v2m_core.melody.synthetic import write_melody_collection
from v2m_core.melody.tokens import HOLD, REST, token_of, transpose
from v2m_core.melody.train import train_melody
from v2m_core.renderers.melody_learned import LearnedMelodyRenderer, MelodyLearnedConfig
from v2m_core.music.timing import Grid
from v2m_core.schemas.midi import Note
from v2m_core.schemas.plan import CompositionPlan
from v2m_core.testing.contracts import RendererContract
from v2m_core.testing.fixtures import sample_plan


@pytest.fixture(scope="session")
def untrained_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("melody-untrained") / "untrained.pt"
    save_model(path, MelodyModel(32), {})
    return path


def render(model: Path, seed: int, temperature: float = 1.0, plan: CompositionPlan | None = None) -> list[Note]:
    plugin = LearnedMelodyRenderer(MelodyLearnedConfig(model=str(model), temperature=temperature))
    return plugin.render(plan or sample_plan(), np.random.default_rng(seed))[0].notes


def chord_tones_and_density(model: Path) -> tuple[float, float, float]:
    """Over three seeds on sample_plan(bars=12) (energy 0.3, then 0.8 from the cut at bar 6): the share of
    notes on beats 1 and 3 that are tones of the sounding chord, and notes per bar before and after the cut."""
    plan = sample_plan(bars=12)
    grid = Grid(plan)
    strong, tones, counts = 0, 0, np.zeros(len(grid.body_bars))
    for seed in range(3):
        notes = render(model, seed, plan=plan)
        for i, bar in enumerate(grid.body_bars):
            inside = [n for n in notes if bar.start - 1e-6 <= n.start < bar.end - 1e-6]
            counts[i] += len(inside) / 3
            on_strong = [n for n in inside if min(abs(n.start - bar.time_at(beat)) for beat in (0.0, 2.0)) < 1e-3]
            strong += len(on_strong)
            tones += sum(n.pitch % 12 in grid.chord_at(n.start).pitch_classes for n in on_strong)
    return tones / max(1, strong), counts[0:5].mean(), counts[7:11].mean()  # bars next to the cut left out


class TestLearnedMelodyContract(RendererContract):
    plugin_class = LearnedMelodyRenderer

    @pytest.fixture(autouse=True)
    def _model(self, melody_model: Path) -> None:
        self.model = melody_model

    def make_plugin(self) -> LearnedMelodyRenderer:
        return LearnedMelodyRenderer(MelodyLearnedConfig(model=str(self.model)))


def test_chord_tones_on_strong_beats_and_more_notes_at_high_energy(melody_model: Path) -> None:
    share, calm, busy = chord_tones_and_density(melody_model)
    assert share >= 0.8
    assert busy > 2 * calm


def test_an_untrained_model_fails_the_same_measures(untrained_model: Path) -> None:
    share, calm, busy = chord_tones_and_density(untrained_model)
    assert share < 0.5 and busy < 1.5 * calm


def test_ends_on_the_tonic_of_the_final_chord(melody_model: Path) -> None:
    plan = sample_plan()
    last = render(melody_model, 0, plan=plan)[-1]
    assert last.pitch % 12 == plan.chords[-1].root and abs(last.end - plan.duration) < 1e-6


def test_same_seed_same_notes_and_temperature_changes_them(melody_model: Path) -> None:
    def notes(seed: int, temperature: float) -> list[tuple[int, float, float]]:
        return [(n.pitch, n.start, n.end) for n in render(melody_model, seed, temperature)]

    assert notes(1, 1.0) == notes(1, 1.0)
    assert notes(1, 3.0) != notes(1, 1.0)


def test_no_model_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="plugins.settings.melody-learned.model"):
        LearnedMelodyRenderer().render(sample_plan(), np.random.default_rng(0))


def test_foreign_checkpoints_are_refused_with_their_path(tmp_path: Path) -> None:
    torch.save({"format": "v2m-drums/1"}, tmp_path / "other.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    for name in ("other.pt", "junk.pt", "absent.pt"):
        with pytest.raises(UsageError, match=f"{name}.*melody model"):
            render(tmp_path / name, 0)


def test_the_checkpoint_holds_only_tensors_and_plain_values(melody_model: Path) -> None:
    payload = read_payload(melody_model, FORMAT, "melody model")
    assert torch.load(melody_model, weights_only=True)["format"] == FORMAT
    assert payload["training"]["files"] == 8 and payload["training"]["iterations"] == 200


def test_training_is_deterministic_and_needs_a_melody(tmp_path: Path) -> None:
    write_melody_collection(tmp_path / "midi", files=2, sections=2, seed=3)
    first = train_melody(tmp_path / "midi", tmp_path / "a.pt", iterations=3, hidden=8, seed=5)
    second = train_melody(tmp_path / "midi", tmp_path / "b.pt", iterations=3, hidden=8, seed=5)
    assert first.loss == second.loss and (first.files, first.bars) == (2, 16)
    weights = [read_payload(tmp_path / name, FORMAT, "melody model")["model"] for name in ("a.pt", "b.pt")]
    assert all(torch.equal(weights[0][key], weights[1][key]) for key in weights[0])
    drums = pretty_midi.PrettyMIDI()
    drums.instruments.append(pretty_midi.Instrument(0, is_drum=True))
    drums.instruments[0].notes = [pretty_midi.Note(100, 36, i / 2, i / 2 + 0.1) for i in range(64)]
    (tmp_path / "drums").mkdir()
    drums.write(str(tmp_path / "drums" / "beat.mid"))
    for folder, message in (("drums", "none of 1 MIDI files has a melody"), ("nothing-here", "no .mid")):
        with pytest.raises(UsageError, match=message):
            train_melody(tmp_path / folder, tmp_path / "c.pt", iterations=1)


def test_reads_the_lead_over_the_other_tracks_harmony(tmp_path: Path) -> None:
    midi = pretty_midi.PrettyMIDI(initial_tempo=120)  # a sixteenth is 0.125 s
    chords = pretty_midi.Instrument(0, name="Piano")
    chords.notes = [pretty_midi.Note(70, pitch, bar * 2.0, bar * 2.0 + 2.0) for bar in range(2) for pitch in (48, 52, 55, 60)]
    lead = pretty_midi.Instrument(73, name="Lead")
    lead.notes = [pretty_midi.Note(90, 72, 0.0, 0.5), pretty_midi.Note(90, 74, 1.01, 1.1)]  # 4 steps, then 1 step
    lead.notes += [pretty_midi.Note(60, 67 + i % 2, 2.0 + i * 0.125, 2.1 + i * 0.125) for i in range(16)]
    midi.instruments += [chords, lead]
    midi.write(str(tmp_path / "song.mid"))
    first, second = read_melody_bars(tmp_path / "song.mid")
    assert first.tokens.tolist() == [token_of(72), HOLD, HOLD, HOLD] + [REST] * 4 + [token_of(74)] + [REST] * 7
    assert first.harmony[0].tolist() == pytest.approx([1 / 3 if pc in (0, 4, 7) else 0 for pc in range(12)])
    assert second.tokens.tolist() == [token_of(67 + i % 2) for i in range(16)]
    assert second.energy > first.energy  # raw density x velocity before a collection ranks it


def test_transposition_moves_melody_and_harmony_together() -> None:
    tokens = np.array([token_of(84), HOLD, REST, token_of(60)])
    harmony = np.eye(12)[[0, 0, 0, 4]]
    moved, context = transpose(tokens, harmony, 5)
    assert moved.tolist() == [token_of(77), HOLD, REST, token_of(65)]  # 89 is above the range: an octave down
    assert context.argmax(axis=1).tolist() == [5, 5, 5, 9]


def test_in_key_keeps_every_note_in_the_scale_or_the_sounding_chord(untrained_model: Path) -> None:
    from v2m_core.music.theory import scale_pitch_classes

    plan = sample_plan(bars=12)
    scale = set(scale_pitch_classes(plan.key))

    def outside(in_key: bool) -> int:
        notes = LearnedMelodyRenderer(MelodyLearnedConfig(model=str(untrained_model), in_key=in_key)).render(
            plan, np.random.default_rng(0))[0].notes
        grid = Grid(plan)
        return sum(n.pitch % 12 not in scale | set(grid.chord_at(n.start).pitch_classes) for n in notes)

    assert outside(False) > 0 and outside(True) == 0
