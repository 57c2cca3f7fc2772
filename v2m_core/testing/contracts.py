"""Contract tests any plugin can run on itself: subclass one and set `plugin_class`.

The classes are not collected on their own (their names do not start with Test); a subclass
named `Test...` inherits every check. Override `make_plugin` when the plugin needs settings.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from v2m_core.interfaces import (
    ChordRecognizer, ExtractorStep, FusionStrategy, MusicRenderer, Plugin, PluginKind, StepContext,
)
from v2m_core.pipeline.order import order_steps
from v2m_core.testing.fixtures import chord_tones, isolated_manager, sample_plan


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
    plugin_class: ClassVar[type[ChordRecognizer]]
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
            return
        timeline = self.make_plugin().recognize(chord_tones([48, 60, 64, 67], 4.0), 22050)
        longest = max(timeline.segments, key=lambda s: s.end - s.start)
        assert longest.label.split(":")[0] == "C" and longest.label.split(":")[1].startswith("maj")


class RendererContract(_Contract):
    plugin_class: ClassVar[type[MusicRenderer]]

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
    plugin_class: ClassVar[type[FusionStrategy]]

    def test_maps_streams_to_model_width(self) -> None:
        import torch

        dims = {"semantic": 12, "motion": 1, "emotion": 6}
        module = self.make_plugin().build(dims, 16)
        features = {name: torch.randn(2, 5, dim) for name, dim in dims.items()}
        output = module(features)
        assert output.shape == (2, 5, 16)
        output.sum().backward()
        assert all(p.grad is not None for p in module.parameters() if p.requires_grad)


class StepContract(_Contract):
    plugin_class: ClassVar[type[ExtractorStep]]

    def _run_into(self, video: Path, workdir: Path) -> None:
        manager = isolated_manager()
        available = [manager.get(ExtractorStep, name) for name in manager.names(PluginKind.STEP)]
        for step_class in order_steps([self.plugin_class], available):
            step = self.make_plugin() if step_class is self.plugin_class else step_class()
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
