"""What `v2m eval music` and `v2m report` read: a `--keep` folder (plan, MIDI, WAV, stems) or a composed video.

A folder gives everything; a video alone gives only its audio, decoded with ffmpeg, because the
note-level measures need the plan and the MIDI that only `--keep` preserves. Beats and downbeats are
read from the MIDI file's own tempo map, so the measures judge what was written, not what was planned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pretty_midi
from pydantic import BaseModel

from v2m_core.errors import MediaError, UsageError
from v2m_core.media.audio import extract_audio, read_wav
from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.schemas.base import read_model_file
from v2m_core.schemas.composition import Composition
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.schemas.plan import CompositionPlan
from v2m_core.scratch import scratch_folder

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class EvalTarget:
    """Whatever could be found; absent parts are None and the measures that need them are skipped."""

    source: Path
    plan: CompositionPlan | None
    tracks: list[MidiTrack] | None
    beats: np.ndarray | None
    """Beat times of music.mid from its own tempo map and time signatures: what a DAW or a listener gets,
    which may differ from the plan's grid."""
    downbeats: np.ndarray | None
    audio: np.ndarray | None
    """Samples shaped (frames, channels)."""
    sample_rate: int
    analysis: VideoAnalysis | None
    video: Path | None
    """The composed video to show in a report, when there is one."""
    audio_path: Path | None
    stems: tuple[Path, ...] = ()
    """The folder's stems/NN-role.wav (written by `compose --stems` with `--keep`), in track order."""
    composition: Composition | None = None
    """The folder's composition.json: the settings and the original video, for the report."""


def load_target(path: Path) -> EvalTarget:
    path = Path(path)
    if path.is_dir():
        return _load_folder(path)
    if path.is_file():
        return _load_video(path)
    raise MediaError(path, "no such file or folder")


def read_midi(path: Path) -> tuple[list[MidiTrack], np.ndarray, np.ndarray]:
    """Each MIDI instrument as a track (drums get the role `drums`, others their track name), and the beat
    and downbeat times the file's tempo map and time signatures give."""
    try:
        midi = pretty_midi.PrettyMIDI(str(path))
    except Exception as error:  # noqa: BLE001 - pretty_midi/mido raise many types for a damaged file
        raise MediaError(path, f"cannot read MIDI ({' '.join(str(error).split())[:160]})") from None
    tracks = []
    for instrument in midi.instruments:
        notes = [Note(pitch=n.pitch, start=max(0.0, n.start), end=n.end, velocity=max(1, n.velocity))
                 for n in instrument.notes if n.end > max(0.0, n.start)]
        role = "drums" if instrument.is_drum else (instrument.name or "part").lower()
        tracks.append(MidiTrack(name=instrument.name or role, role=role, program=instrument.program,
                                is_drum=instrument.is_drum, notes=notes))
    return tracks, midi.get_beats(), midi.get_downbeats()


def _read_json(path: Path, model: type[M]) -> M | None:
    """The file as `model`, None when it is absent; a malformed one is a one-line usage error."""
    return read_model_file(path, model) if path.is_file() else None


def _load_folder(folder: Path) -> EvalTarget:
    composition = _read_json(folder / "composition.json", Composition)
    plan = _read_json(folder / "plan.json", CompositionPlan) or (composition.plan if composition else None)
    midi = folder / "music.mid"
    tracks, beats, downbeats = read_midi(midi) if midi.is_file() else (None, None, None)
    wav = folder / "music.wav"
    audio, rate = read_wav(wav) if wav.is_file() else (None, 0)
    if plan is None and tracks is None and audio is None:
        raise UsageError(f"{folder}: no plan.json, music.mid or music.wav here (write them with v2m compose --keep DIR)")
    video = Path(composition.output) if composition and composition.output else None
    if video is not None and not video.is_absolute():
        video = (Path.cwd() / video).resolve()
    return EvalTarget(source=folder, plan=plan, tracks=tracks, beats=beats, downbeats=downbeats, audio=audio,
                      sample_rate=rate, analysis=composition.analysis if composition else None,
                      video=video if video is not None and video.is_file() else None,
                      audio_path=wav if wav.is_file() else None, stems=tuple(sorted((folder / "stems").glob("*.wav"))),
                      composition=composition)


def _load_video(video: Path) -> EvalTarget:
    with scratch_folder("eval") as folder:
        wav = Path(folder) / "audio.wav"
        if not extract_audio(video, wav):
            raise MediaError(video, "no audio stream to evaluate")
        audio, rate = read_wav(wav)
    return EvalTarget(source=video, plan=None, tracks=None, beats=None, downbeats=None, audio=audio,
                      sample_rate=rate, analysis=None, video=video, audio_path=None)
