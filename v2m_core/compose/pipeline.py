"""`compose()`: the library entry point behind `v2m compose`.

Stages: check paths → resolve plugins → analyse → plan → render → MIDI → synthesize → master →
(stems) → mux. Plugins are resolved before any heavy work so a wrong name fails in milliseconds,
and every file the user asked for is written atomically, so a failure never leaves a partial one.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from v2m_core.analysis import analyse_video, run_steps
from v2m_core.atomic import atomic_path, atomic_write_text
from v2m_core.compose.mastering import fade, master
from v2m_core.compose.midi_file import write_midi
from v2m_core.errors import MediaError, UsageError
from v2m_core.interfaces import ExtractorStep, MusicRenderer, Planner, PlansFromSteps, PluginKind, Synthesizer
from v2m_core.media.mux import CONTAINERS, mux_with_original
from v2m_core.output_paths import same_file
from v2m_core.plugins.manager import PluginManager
from v2m_core.renderers.performance import perform
from v2m_core.schemas.composition import Composition, OriginalAudioDecision
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.midi import MidiTrack
from v2m_core.schemas.plan import CompositionPlan

Progress = Callable[[str, float], None]
"""Called with (stage, fraction done); stages: analyse, plan, render, synthesize, master, mux."""

VIDEO_SUFFIXES = tuple(CONTAINERS)
AUDIO_SUFFIXES = (".wav",)


def _check_paths(video: Path, output: Path | None) -> None:
    if not video.exists():
        raise MediaError(video, "file not found")
    if output is None:
        return
    if output.suffix.lower() not in VIDEO_SUFFIXES + AUDIO_SUFFIXES:
        raise UsageError(f"{output}: output must end in one of {', '.join(VIDEO_SUFFIXES + AUDIO_SUFFIXES)}")
    if same_file(video, output):
        raise MediaError(output, "output would overwrite the input video")
    try:  # creating a file is the only reliable test (root passes os.access everywhere, e.g. in /proc)
        with tempfile.TemporaryFile(dir=output.resolve().parent):
            pass
    except OSError as error:
        raise MediaError(output, f"cannot write the output here ({error.strerror or error})") from None


@contextmanager
def _workdir(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="v2m-compose-") as folder:
        yield Path(folder)


def _renderer_rng(seed: int, name: str) -> np.random.Generator:
    """One generator per renderer: adding or removing a renderer leaves the others' notes unchanged."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def _fit_length(audio: np.ndarray, frames: int) -> np.ndarray:
    audio = audio.reshape(len(audio), -1)
    if len(audio) >= frames:
        return audio[:frames]
    return np.concatenate([audio, np.zeros((frames - len(audio), audio.shape[1]), dtype=audio.dtype)])


def _synthesize(synthesizer: Synthesizer, tracks: list[MidiTrack], folder: Path, name: str, plan: CompositionPlan,
                config: ComposeConfig, frames: int) -> np.ndarray:
    midi = folder / f"{name}.mid"
    write_midi(tracks, midi, plan)
    wav = folder / f"{name}.synth.wav"
    synthesizer.synthesize(midi, wav, config.sample_rate, Path(config.soundfont) if config.soundfont else None)
    audio, _ = soundfile.read(wav, dtype="float32", always_2d=True)
    wav.unlink()
    return _fit_length(audio, frames)


def _write_wav(path: Path, audio: np.ndarray, sample_rate: int) -> None:
    with atomic_path(path) as temporary:
        soundfile.write(temporary, audio, sample_rate, subtype="PCM_24", format="WAV")


def compose(
    video: Path,
    output: Path | None = None,
    config: ComposeConfig | None = None,
    *,
    plugin_settings: Mapping[str, Mapping[str, Any]] | None = None,
    keep: Path | None = None,
    stems: bool = False,
    plot: Path | None = None,
    plugins: PluginManager | None = None,
    progress: Progress | None = None,
) -> Composition:
    """Give `video` a soundtrack that follows it; write `output` (.mp4/.mov/.mkv, or .wav for audio only).

    `keep` keeps the work folder (analysis files, a planner's step outputs in features/, MIDI, WAV, plan
    and composition JSON); `stems` adds a WAV per track there (or beside `output`); `plot` writes a PNG of
    features, cuts, chords and beats. Returns the typed Composition, so a library can use the plan without
    the CLI.
    """
    video, output = Path(video), (Path(output) if output is not None else None)
    config = config or ComposeConfig()
    settings = plugin_settings or {}
    report = progress or (lambda stage, fraction: None)
    _check_paths(video, output)
    manager = plugins or PluginManager()

    def create(kind: PluginKind, name: str) -> Any:
        return manager.create(kind, name, settings.get(name))

    planner: Planner = create(PluginKind.PLANNER, config.planner)
    renderers: list[MusicRenderer] = [create(PluginKind.RENDERER, name) for name in config.renderers]
    synthesizer: Synthesizer = create(PluginKind.SYNTHESIZER, config.synthesizer)
    emotion_step: ExtractorStep | None = create(PluginKind.STEP, config.emotion) if config.emotion else None
    planner_steps = planner.video_steps(manager, settings) if isinstance(planner, PlansFromSteps) else []
    if not renderers:
        raise UsageError("no renderers chosen: pass at least one, e.g. --renderers chords")

    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 3)
        clock = now
        report(stage, 1.0)

    with _workdir(keep) as work:
        analysis = analyse_video(video, work / "analysis", config.analysis_width,
                                 progress=lambda step, fraction: report("analyse", fraction), emotion_step=emotion_step)
        if isinstance(planner, PlansFromSteps):
            run_steps(planner_steps, video, work / "features", lambda step, fraction: report("analyse", fraction))
        lap("analyse")
        plan = (planner.plan_with(analysis, config, work / "features") if isinstance(planner, PlansFromSteps)
                else planner.plan(analysis, config))
        lap("plan")
        tracks: list[MidiTrack] = []
        for index, renderer in enumerate(renderers):
            tracks += renderer.render(plan, _renderer_rng(config.seed, renderer.name))
            report("render", (index + 1) / len(renderers))
        tracks = perform(tracks, plan, config.seed)
        lap("render")

        frames = int(round(analysis.probe.duration * config.sample_rate))
        mix = _synthesize(synthesizer, tracks, work, "music", plan, config, frames)
        lap("synthesize")
        mastered, loudness, gain_db = master(mix, config.sample_rate, config.target_lufs, config.true_peak_dbtp,
                                             fade_out=plan.fade_out)
        music_wav = work / "music.wav"
        _write_wav(music_wav, mastered, config.sample_rate)
        lap("master")

        stem_paths: dict[str, str] = {}
        if stems:
            stem_folder = work / "stems" if keep is not None or output is None else output.with_name(f"{output.stem}.stems")
            stem_folder.mkdir(parents=True, exist_ok=True)
            gain = np.float32(10 ** (gain_db / 20))
            for index, track in enumerate(tracks):
                audio = _synthesize(synthesizer, [track], work, f"stem-{index}", plan, config, frames)
                path = stem_folder / f"{index:02d}-{track.role}.wav"
                _write_wav(path, fade(audio * gain, config.sample_rate, 0.05, plan.fade_out), config.sample_rate)
                stem_paths[track.name] = str(path)
                report("stems", (index + 1) / len(tracks))
            lap("stems")

        original_audio: OriginalAudioDecision | None = None
        if output is not None and output.suffix.lower() in AUDIO_SUFFIXES:
            with atomic_path(output) as temporary:
                shutil.copyfile(music_wav, temporary)
        elif output is not None:
            original_audio = mux_with_original(video, music_wav, output, config.original_audio, config.mix_gain_db,
                                               config.true_peak_dbtp, work)
        lap("mux")

        if plot is not None:
            from v2m_core.compose.plot import plot_composition

            plot_composition(analysis, plan, plot)
            lap("plot")

        composition = Composition(
            video=str(video), output=str(output) if output else None, analysis=analysis, plan=plan,
            renderers=list(config.renderers), synthesizer=config.synthesizer,
            midi=str(work / "music.mid") if keep else None, audio=str(music_wav) if keep else None,
            stems=stem_paths if keep or output is not None else {}, loudness=loudness, timings=timings,
            original_audio=original_audio,
        )
        if keep is not None:
            atomic_write_text(work / "plan.json", plan.model_dump_json(indent=2))
            atomic_write_text(work / "composition.json", composition.model_dump_json(indent=2))
    return composition
