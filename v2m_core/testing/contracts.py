"""Contract tests any plugin can run on itself, one class per plugin kind: subclass one and set `plugin_class`.

The classes are not collected on their own (their names do not start with Test); a subclass
named `Test...` inherits every check. Override `make_plugin` when the plugin needs settings. A check
that cannot apply (an untrained model, torch missing) is skipped with the reason, never passed silently.
"""

from __future__ import annotations

import hashlib
import operator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from v2m_core.errors import V2MError
from v2m_core.interfaces import (
    ChordRecognizer, Executor, ExtractorStep, FusionStrategy, MusicRenderer, Planner, Plugin, PluginKind, StepContext,
    Synthesizer,
)
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.step_engine.create import UsesPlugins, create_step
from v2m_core.step_engine.order import order_steps
from v2m_core.testing.fixtures import chord_tones, isolated_manager, sample_analysis, sample_plan


class _Contract:
    plugin_class: ClassVar[type[Plugin[Any]]]

    def make_plugin(self) -> Any:
        return self.plugin_class()

    def test_describes_itself(self) -> None:
        cls = self.plugin_class
        assert cls.name and cls.name == cls.name.strip(), "a plugin needs a name"
        assert cls.version and cls.description, f"{cls.name}: give a version and a one-line description"
        cls.Config()  # every setting needs a default


class RecognizerContract(_Contract):
    plugin_class: ClassVar[type[ChordRecognizer[Any]]]
    recognizes_triads: ClassVar[bool] = True
    """Set False for untrained models (e.g. a randomly initialised network in a smoke test)."""

    def test_silence_is_no_chord(self) -> None:
        timeline = self.make_plugin().recognize(np.zeros(22050 * 3, dtype=np.float32), 22050)
        assert timeline.segments and {s.label for s in timeline.segments} == {"N"}

    def test_segments_cover_the_audio_in_order(self) -> None:
        audio = np.concatenate([chord_tones([60, 64, 67], 2.0), chord_tones([57, 60, 64], 2.0)])
        timeline = self.make_plugin().recognize(audio, 22050)
        assert timeline.vocabulary == self.plugin_class.vocabulary
        assert timeline.segments[0].start <= 0.25 and abs(timeline.segments[-1].end - 4.0) <= 0.25
        assert all(a.end <= b.start + 1e-6 for a, b in zip(timeline.segments, timeline.segments[1:]))

    def test_accepts_stereo_at_any_sample_rate(self) -> None:
        mono = chord_tones([62, 65, 69], 2.0, sample_rate=44100)
        timeline = self.make_plugin().recognize(np.stack([mono, mono], axis=1), 44100)
        assert abs(timeline.segments[-1].end - 2.0) <= 0.25

    def test_names_a_major_triad(self) -> None:
        if not self.recognizes_triads:
            pytest.skip(f"{self.plugin_class.name} is not expected to name chords (recognizes_triads = False)")
        timeline = self.make_plugin().recognize(chord_tones([48, 60, 64, 67], 4.0), 22050)
        longest = max(timeline.segments, key=lambda s: s.end - s.start)
        assert longest.label.split(":")[0] == "C" and longest.label.split(":")[1].startswith("maj")


class RendererContract(_Contract):
    plugin_class: ClassVar[type[MusicRenderer[Any]]]

    def test_notes_lie_inside_the_plan(self) -> None:
        plan = sample_plan()
        tracks = self.make_plugin().render(plan, np.random.default_rng(0))
        assert tracks, "a renderer returns at least one track"
        for track in tracks:
            assert track.notes, f"track {track.name} is empty"
            assert all(0 <= n.start < n.end <= plan.duration + 1e-6 for n in track.notes)
            assert track.is_drum == (self.plugin_class.role == "drums")

    def test_same_seed_same_notes(self) -> None:
        plan = sample_plan()
        first = self.make_plugin().render(plan, np.random.default_rng(7))
        second = self.make_plugin().render(plan, np.random.default_rng(7))
        assert [t.model_dump() for t in first] == [t.model_dump() for t in second]


class FusionContract(_Contract):
    plugin_class: ClassVar[type[FusionStrategy[Any]]]

    def test_maps_streams_to_model_width(self) -> None:
        torch = pytest.importorskip("torch", reason="fusion strategies build torch modules: pip install 'v2m[learn]'")

        dims = {"semantic": 12, "motion": 1, "emotion": 6}
        module = self.make_plugin().build(dims, 16)
        features = {name: torch.randn(2, 5, dim) for name, dim in dims.items()}
        output = module(features)
        assert output.shape == (2, 5, 16)
        output.sum().backward()
        assert all(p.grad is not None for p in module.parameters() if p.requires_grad)


class StepContract(_Contract):
    plugin_class: ClassVar[type[ExtractorStep[Any]]]

    def _run_into(self, video: Path, workdir: Path) -> None:
        manager = isolated_manager()
        available = [manager.get(ExtractorStep, name) for name in manager.names(PluginKind.STEP)]
        for step_class in order_steps([self.plugin_class], available):
            if step_class is self.plugin_class:
                step = self.make_plugin()
                if isinstance(step, UsesPlugins):
                    step.use_plugins(manager)
            else:
                step = create_step(manager, step_class.name, {})[0]
            step.run(StepContext(video=video, workdir=workdir))

    def test_writes_declared_outputs_deterministically(self, tmp_path: Path) -> None:
        from v2m_core.media.synthetic import SceneSpec, make_video

        video = tmp_path / "clip.mp4"
        make_video(video, [SceneSpec(duration=1.5, pattern="testsrc2"), SceneSpec(duration=1.5, pattern="mandelbrot")],
                   size=(160, 90), fps=10, audio=True)
        digests = []
        for run in ("a", "b"):
            (tmp_path / run).mkdir()
            self._run_into(video, tmp_path / run)
            for output in self.plugin_class.outputs:
                assert (tmp_path / run / output).exists(), f"{self.plugin_class.name} did not write {output}"
            digests.append([hashlib.sha256((tmp_path / run / o).read_bytes()).hexdigest()
                            for o in self.plugin_class.outputs if (tmp_path / run / o).is_file()])
        assert digests[0] == digests[1], "same video, different outputs: the step is not deterministic"


class PlannerContract(_Contract):
    plugin_class: ClassVar[type[Planner[Any]]]

    def test_plans_the_whole_video(self) -> None:
        analysis = sample_analysis(20.0, cuts=[6.0, 13.0])
        plan = self.make_plugin().plan(analysis, ComposeConfig(seed=0))
        assert plan.duration == pytest.approx(analysis.probe.duration, abs=1e-6)
        assert plan.beats and plan.chords, "a plan needs beats and chords"
        assert all(0 <= beat.time < plan.duration for beat in plan.beats)
        assert all(0 <= chord.start < chord.end <= plan.duration + 1e-6 for chord in plan.chords)
        assert plan.sections[0].start == 0 and plan.sections[-1].end == pytest.approx(plan.duration)
        assert len(plan.energy) == analysis.seconds and all(0 <= e <= 1 for e in plan.energy)

    def test_same_seed_same_plan(self) -> None:
        analysis = sample_analysis(20.0, cuts=[6.0, 13.0])
        first = self.make_plugin().plan(analysis, ComposeConfig(seed=3))
        second = self.make_plugin().plan(analysis, ComposeConfig(seed=3))
        assert first.model_dump() == second.model_dump()

    def test_honours_the_requested_key_tempo_and_instruments(self) -> None:
        request = ComposeConfig(seed=0, key="D minor", tempo=90, instruments={"melody": 73})
        plan = self.make_plugin().plan(sample_analysis(20.0, cuts=[6.0, 13.0]), request)
        assert (plan.key.tonic, plan.key.mode) == (2, "minor")
        assert plan.instruments.get("melody") == 73
        assert all(section.tempo == pytest.approx(90, rel=0.02) for section in plan.sections)


class SynthesizerContract(_Contract):
    plugin_class: ClassVar[type[Synthesizer[Any]]]
    soundfont: ClassVar[Path | None] = None
    """The soundfont to render with (None: the synthesizer's default)."""

    def test_renders_the_notes_at_the_sample_rate(self, tmp_path: Path) -> None:
        from v2m_core.media.audio import read_wav
        from v2m_core.music.midi_file import write_midi

        plan = sample_plan(bars=2)
        notes = [Note(pitch=pitch, start=0.5 * i, end=0.5 * i + 0.45, velocity=90) for i, pitch in enumerate((60, 64, 67))]
        write_midi([MidiTrack(name="Piano", role="chords", program=0, notes=notes)], tmp_path / "in.mid", plan)
        synthesizer = self.make_plugin()
        synthesizer.check(self.soundfont)
        synthesizer.synthesize(tmp_path / "in.mid", tmp_path / "out.wav", 22050, self.soundfont)
        audio, rate = read_wav(tmp_path / "out.wav")
        assert rate == 22050
        assert len(audio) >= int(1.4 * rate), "the audio ends before the last note"
        assert float(np.abs(audio[: int(1.4 * rate)]).max()) > 1e-3, "the notes are silent"

    def test_a_midi_file_it_cannot_read_is_a_v2m_error(self, tmp_path: Path) -> None:
        (tmp_path / "broken.mid").write_bytes(b"not a MIDI file")
        with pytest.raises(V2MError):
            self.make_plugin().synthesize(tmp_path / "broken.mid", tmp_path / "out.wav", 22050, self.soundfont)


class ExecutorContract(_Contract):
    plugin_class: ClassVar[type[Executor[Any]]]

    def test_every_item_once_and_a_failure_stops_nothing(self) -> None:
        results = dict(self.make_plugin().map(operator.neg, [1, 2, "x", 4]))  # builtins pickle for any worker
        assert set(results) == {1, 2, "x", 4}
        assert [results[item] for item in (1, 2, 4)] == [-1, -2, -4]
        assert isinstance(results["x"], TypeError)

    def test_no_items_no_results(self) -> None:
        assert list(self.make_plugin().map(operator.neg, [])) == []
