"""`compose()`: the library entry point behind `v2m compose`.

Stages: check the request and every output location → resolve plugins → analyse → plan → render → MIDI →
synthesize → master → mux, with (stems) and (plot) written while the mux's ffmpeg encodes. Everything that can
be wrong with the request (a style, a key, a plugin name or setting, an output path, a picture the container
cannot hold) fails before the video is analysed. Every output is written under a temporary name and all are
renamed into place together at the end (`StagedOutputs`), so a failure leaves none of them new: no
half-written file, no 3 of 4 stems. With `original_audio = "auto"`, the video's own soundtrack is listened to
for speech in a child process from the start (media/listen.py): it depends only on the video, and the mux is
the first stage that needs the answer.
"""

from __future__ import annotations

import shutil
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from v2m_core.analysis import analyse_video, analysis_steps
from v2m_core.atomic import atomic_path, atomic_write_text
from v2m_core.compose.mastering import BLOCK_SECONDS, Fades, master_wav
from v2m_core.music.midi_file import write_midi
from v2m_core.compose.request import check_request
from v2m_core.errors import MediaError, UsageError
from v2m_core.interfaces import MusicRenderer, Planner, PlansFromSteps, Synthesizer
from v2m_core.media.audio import WavBlocks, write_wav_blocks
from v2m_core.media.listen import listening
from v2m_core.media.mux import CONTAINERS, VideoCodec, muxing_with_original, video_codec_for
from v2m_core.media.probe import probe
from v2m_core.media.speech import SpeechActivity
from v2m_core.output_paths import StagedOutputs, check_output_file, check_output_folder, same_file
from v2m_core.plugins.manager import PluginManager, PluginT
from v2m_core.plugins.settings import settings_for
from v2m_core.renderers.performance import perform
from v2m_core.schemas.analysis import VideoProbe
from v2m_core.schemas.composition import Composition, OriginalAudioDecision
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.midi import MidiTrack
from v2m_core.schemas.plan import CompositionPlan
from v2m_core.scratch import scratch_folder

Progress = Callable[[str, float], None]
"""Called with (stage, fraction done); stages: analyse, plan, render, synthesize, master, stems, mux, plot."""

VIDEO_SUFFIXES = tuple(CONTAINERS)
AUDIO_SUFFIXES = (".wav",)
MIDI_SUFFIXES = (".mid", ".midi")


@dataclass(frozen=True)
class Outputs:
    """Every place one compose writes, checked before any work; None where nothing is asked for."""

    output: Path | None = None
    midi: Path | None = None
    plot: Path | None = None
    stems: Path | None = None
    """`NAME.stems/` beside the output (with `keep`, stems go into the work folder instead)."""
    keep: Path | None = None

    def all(self) -> list[Path]:
        return [path for path in (self.output, self.midi, self.plot, self.stems, self.keep) if path is not None]


def check_outputs(video: Path, output: Path | None, *, midi: Path | None = None, plot: Path | None = None,
                  keep: Path | None = None, stems: bool = False) -> Outputs:
    """Refuse, before any work, an output that is the input, has the wrong kind or suffix, or is named twice;
    `--keep` or `NAME.stems` that is an existing file. Missing folders are fine: they are created."""
    if not video.exists():
        raise MediaError(video, "file not found")
    if output is not None and same_file(video, output):
        raise MediaError(output, "output would overwrite the input video")
    stem_folder = output.with_name(f"{output.stem}.stems") if stems and keep is None and output is not None else None
    outputs = Outputs(output, midi, plot, stem_folder, keep)
    if output is not None:
        check_output_file(output, [video], VIDEO_SUFFIXES + AUDIO_SUFFIXES, "output")
    if midi is not None:
        check_output_file(midi, [video], MIDI_SUFFIXES, "MIDI file")
    if plot is not None:
        check_output_file(plot, [video], (".png",), "plot")
    if stem_folder is not None:
        check_output_folder(stem_folder, [video], "stems")
    if keep is not None:
        check_output_folder(keep, [video], "work folder (--keep)")
    for first, second in combinations(outputs.all(), 2):
        if same_file(first, second):
            raise UsageError(f"{second}: named for two outputs; give each its own path")
    return outputs


@contextmanager
def _workdir(staged: StagedOutputs, keep: Path | None) -> Iterator[Path]:
    """The work folder: a staged one that becomes `keep`'s content at the commit, else a scratch one."""
    if keep is not None:
        yield staged.folder(keep, merge=True)
        return
    with scratch_folder("compose") as folder:
        yield folder


def _renderer_rng(seed: int, name: str) -> np.random.Generator:
    """One generator per renderer: adding or removing a renderer leaves the others' notes unchanged."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


@contextmanager
def _synthesized(synthesizer: Synthesizer, tracks: list[MidiTrack], folder: Path, name: str, plan: CompositionPlan,
                 config: ComposeConfig, frames: int) -> Iterator[WavBlocks]:
    """`tracks` rendered to a WAV, read block by block and fitted to `frames`; the WAV goes when the block ends."""
    midi = folder / f"{name}.mid"
    write_midi(tracks, midi, plan)
    wav = folder / f"{name}.synth.wav"
    synthesizer.synthesize(midi, wav, config.sample_rate, Path(config.soundfont) if config.soundfont else None)
    try:
        yield WavBlocks(wav, frames, BLOCK_SECONDS * config.sample_rate)
    finally:
        wav.unlink(missing_ok=True)


def compose(
    video: Path,
    output: Path | None = None,
    config: ComposeConfig | None = None,
    *,
    plugin_settings: Mapping[str, Mapping[str, Any]] | None = None,
    keep: Path | None = None,
    stems: bool = False,
    plot: Path | None = None,
    midi: Path | None = None,
    copy_video: bool = False,
    plugins: PluginManager | None = None,
    progress: Progress | None = None,
) -> Composition:
    """Give `video` a soundtrack that follows it; write `output` (.mp4/.mov/.mkv, or .wav for audio only).

    `keep` keeps the work folder (analysis files, a planner's step outputs in features/, MIDI, WAV, plan
    and composition JSON; its other files stay); `stems` adds a WAV per track there (or beside `output` in
    `NAME.stems/`); `plot` writes a PNG of features, cuts, chords and beats; `midi` the MIDI file. The
    picture is copied, or re-encoded as H.264 where the output's container cannot hold it (with
    `copy_video`, that is an error instead). Missing output folders are created; existing outputs are
    replaced, all together once everything is written. Returns the typed Composition, so a library can use
    the plan without the CLI.
    """
    video, output = Path(video), (Path(output) if output is not None else None)
    config = config or ComposeConfig()
    settings = plugin_settings or {}
    report = progress or (lambda stage, fraction: None)
    outputs = check_outputs(video, output, midi=Path(midi) if midi else None, plot=Path(plot) if plot else None,
                            keep=Path(keep) if keep else None, stems=stems)
    manager = plugins or PluginManager()
    check_request(config, settings, manager)
    info = probe(video)  # the first full read of the input, so a file that is no video fails here
    codec, picture = _picture(video, info, output, copy_video)

    def create(interface: type[PluginT], name: str) -> PluginT:
        return manager.create(interface, name, settings_for(settings, interface.kind, name))

    planner = create(Planner, config.planner)
    renderers = [create(MusicRenderer, name) for name in config.renderers]
    synthesizer = create(Synthesizer, config.synthesizer)
    synthesizer.check(Path(config.soundfont) if config.soundfont else None)
    steps = analysis_steps(manager, settings, config.analysis_width, config.emotion)
    planner_steps = planner.video_steps(manager, settings) if isinstance(planner, PlansFromSteps) else []

    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 3)
        clock = now
        report(stage, 1.0)

    muxed = output is not None and output.suffix.lower() not in AUDIO_SUFFIXES
    with StagedOutputs() as staged, _speech(video, config, info.has_audio and muxed) as speech:
        for target in outputs.all():
            staged.make_folder_for(target)
        with _workdir(staged, outputs.keep) as work:
            analysis = analyse_video(video, work / "analysis", progress=lambda step, fraction: report("analyse", fraction),
                                     steps=steps, more_steps=[(step, work / "features") for step in planner_steps])
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
            music_wav = work / "music.wav"
            with _synthesized(synthesizer, tracks, work, "music", plan, config, frames) as mix:
                lap("synthesize")
                loudness, gain_db = master_wav(mix, config.sample_rate, music_wav, config.target_lufs,
                                               config.true_peak_dbtp, fade_out=plan.fade_out)
            if outputs.midi is not None:
                shutil.copyfile(work / "music.mid", staged.file(outputs.midi))
            lap("master")

            if output is not None and not muxed:
                shutil.copyfile(music_wav, staged.file(output))
            muxing: AbstractContextManager[OriginalAudioDecision | None] = muxing_with_original(
                video, music_wav, staged.file(output), config.original_audio, config.mix_gain_db,
                config.true_peak_dbtp, work, codec, speech(), info) if output is not None and muxed else nullcontext()
            with muxing as original_audio:  # ffmpeg encodes the AAC while the stems and the plot are written
                stem_paths: dict[str, str] = {}
                if stems:
                    final_stems = outputs.stems or (outputs.keep or work) / "stems"
                    stem_folder = staged.folder(outputs.stems) if outputs.stems else work / "stems"
                    stem_folder.mkdir(exist_ok=True)
                    gain = np.float32(10 ** (gain_db / 20))
                    fades = Fades(frames, config.sample_rate, 0.05, plan.fade_out)
                    for index, track in enumerate(tracks):
                        name = f"{index:02d}-{track.role}.wav"
                        with (_synthesized(synthesizer, [track], work, f"stem-{index}", plan, config, frames) as stem,
                              atomic_path(stem_folder / name) as temporary):
                            gained = (np.multiply(block, gain, out=block) for block in stem.blocks())
                            write_wav_blocks(temporary, fades.over(gained), config.sample_rate, stem.channels)
                        stem_paths[track.name] = str(final_stems / name)
                        report("stems", (index + 1) / len(tracks))
                    lap("stems")
                if outputs.plot is not None:
                    from v2m_core.compose.plot import plot_composition

                    plot_composition(analysis, plan, staged.file(outputs.plot))
                    lap("plot")
            lap("mux")

            kept = outputs.keep
            composition = Composition(
                video=str(video), output=str(output) if output else None, analysis=analysis, plan=plan,
                renderers=list(config.renderers), synthesizer=config.synthesizer,
                midi=str(outputs.midi) if outputs.midi else str(kept / "music.mid") if kept else None,
                audio=str(output) if output is not None and output.suffix.lower() in AUDIO_SUFFIXES
                else str(kept / "music.wav") if kept else None, tracks=tracks,
                stems=stem_paths if kept or output is not None else {}, loudness=loudness, timings=timings,
                original_audio=original_audio, video_stream=picture,
            )
            if kept is not None:
                atomic_write_text(work / "plan.json", plan.model_dump_json(indent=2))
                atomic_write_text(work / "composition.json", composition.model_dump_json(indent=2))
        staged.commit()
    return composition


@contextmanager
def _speech(video: Path, config: ComposeConfig, muxed_with_audio: bool) -> Iterator[Callable[[], SpeechActivity | None]]:
    """What `auto` decides by, listened for from now on in a child process (`listening`); a function that
    waits for it. None where nothing is to be decided (another mode, no soundtrack, no video output)."""
    if config.original_audio != "auto" or not muxed_with_audio:
        yield lambda: None
        return
    with listening(video, config.sample_rate) as answer:
        yield answer


def _picture(video: Path, info: VideoProbe, output: Path | None, copy_video: bool) -> tuple[VideoCodec, str | None]:
    """How the picture gets into a video output (copied, or re-encoded where the container cannot hold it),
    decided before any work."""
    if output is None or output.suffix.lower() in AUDIO_SUFFIXES:
        return "copy", None
    return video_codec_for(video, output, info.video_codec, copy_video)
