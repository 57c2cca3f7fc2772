"""Music videos with known truth: ffmpeg pictures with hard cuts, FluidSynth piano from known chords.

Each video is 8 s: two loud chords over the first scene, two quiet ones over the second, a cut at
4 s. The session makes them once; tests copy what they change.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from v2m_core.music.midi_file import write_midi
from v2m_core.media.mux import mux
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.plugins import PluginManager
from v2m_core.schemas.manifest import DatasetBuildConfig
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.synthesizers.fluidsynth import FluidSynthSynthesizer
from v2m_core.testing import isolated_manager

CHORD_TONES: dict[str, list[int]] = {
    "C:maj": [60, 64, 67, 72], "G:maj": [55, 59, 62, 67], "A:min": [57, 60, 64, 69], "F:maj": [53, 57, 60, 65],
    "D:min": [62, 65, 69, 74], "E:min": [64, 67, 71, 76],
}
"""Close root-position voicings without a low bass, whose overtones would mislead a chroma recognizer."""
LOUD, QUIET = 100, 60
STRIKE = 0.5
"""Seconds between chord strikes: the piano never decays into what a recognizer calls silence."""
CORE_STEPS = ["frames", "scenes", "affect", "audio", "loudness", "chords"]


@dataclass(frozen=True)
class MusicVideo:
    path: Path
    chords: list[str]
    """One chord per 2 s."""
    cut: float


def dataset_manager() -> PluginManager:
    """Built-ins only: installed entry points (and V2M_* variables) do not change what the tests run."""
    return isolated_manager()


def core_config(**changes: object) -> DatasetBuildConfig:
    """Steps that need no plugin package: no embedding, no transcription; emotion from affect."""
    return DatasetBuildConfig(steps=CORE_STEPS, semantic="", emotion="emotion-affect", **changes)


def make_music_video(path: Path, chords: list[str], audio: bool = True, seconds_per_chord: float = 2.0) -> MusicVideo:
    half = len(chords) * seconds_per_chord / 2
    scenes = [SceneSpec(half, "smptebars", brightness=0.5, motion="static"),
              SceneSpec(half, "testsrc2", brightness=1.2, motion="slow")]
    picture = path.with_name(f"{path.stem}.picture.mp4") if audio else path
    cuts = make_video(picture, scenes, size=(160, 90), fps=10)
    if audio:
        strikes = [k * STRIKE for k in range(int(round(len(chords) * seconds_per_chord / STRIKE)))]
        notes = [Note(pitch=pitch, start=start, end=start + STRIKE - 0.02, velocity=LOUD if start < half else QUIET)
                 for start in strikes for pitch in CHORD_TONES[chords[int(start // seconds_per_chord)]]]
        midi = path.with_suffix(".mid")
        write_midi([MidiTrack(name="Piano", role="chords", program=0, notes=notes)], midi)
        wav = path.with_suffix(".wav")
        FluidSynthSynthesizer().synthesize(midi, wav, 22050)
        mux(picture, wav, path)
        for leftover in (picture, midi, wav):
            leftover.unlink()
    return MusicVideo(path, chords, cuts[0])


def copy_videos(videos: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for video in videos:
        shutil.copy2(video, folder / video.name)
    return folder
