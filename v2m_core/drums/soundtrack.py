"""Drum bars from a dataset's soundtracks, conditioned on the video they came with.

For each video folder of a `v2m dataset build` dataset: the drum hits of `audio.wav`
(`v2m_core.drums.transcribe`) are laid on a beat grid tracked in the same audio (librosa), bars
of four beats starting where kicks lean (kick minus snare on the bar's first beat; between phases
that lean about alike, the one that puts more video cuts on downbeats). Each bar's conditions come
from the video: energy from motion and arousal as the rule planner computes it, arousal, the
dataset's emotion probabilities (`emotion.npy` of its emotion step, CLIP's or the affect
estimate's; the `affect` step's own without it), and whether a cut starts this bar or the next. These bars are what teach the model
emotion, which MIDI collections do not label.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from v2m_core.dataset.layout import DatasetLayout
from v2m_core.dataset.metadata import read_dataset
from v2m_core.drums.kit import CLASSES, index
from v2m_core.drums.patterns import BarPattern, bar_conditions, beat_grid_bars
from v2m_core.drums.transcribe import OBSERVED, SAMPLE_RATE, KitTemplates, read_mono, transcribe_drums
from v2m_core.errors import UsageError, V2MError
from v2m_core.music.energy import second_energy
from v2m_core.schemas.analysis import EMOTIONS
from v2m_core.steps.files import read_array, read_json
from v2m_core.steps.frame_analysis import MOTION

FILES = ("audio.wav", "affect.npy", "visual.npy", "cuts.json")
"""What a video folder needs: the soundtrack, then per-second affect (valence, arousal, emotions) and motion, and the cuts."""
EMOTION_FILE = "emotion.npy"
BEATS_PER_BAR = 4
CUT_TOLERANCE = 0.5
"""A cut within this many beats of a bar's start counts as the bar starting at it."""


def soundtrack_bars(folder: Path, templates: KitTemplates) -> list[BarPattern]:
    """The bars of one video folder's soundtrack (an empty list when it has too few beats or hits)."""
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise UsageError(f"{folder}: no {', '.join(missing)} (build the dataset with the frames, scenes, affect and audio steps)")
    audio = read_mono(folder / "audio.wav")
    hits = transcribe_drums(audio, templates)
    beats = _track_beats(audio)
    if len(hits) < BEATS_PER_BAR or len(beats) < 2 * BEATS_PER_BAR:
        return []
    affect, motion = read_array(folder / "affect.npy"), read_array(folder / "visual.npy")[:, MOTION]
    emotion = read_array(folder / EMOTION_FILE) if (folder / EMOTION_FILE).is_file() else affect[:, 2:]
    if emotion.shape != (len(affect), len(EMOTIONS)):
        raise UsageError(f"{folder / EMOTION_FILE}: {emotion.shape} rows x columns, expected ({len(affect)}, {len(EMOTIONS)})")
    cuts = np.array([float(cut) for cut in read_json(folder / "cuts.json")])
    phase = _downbeat_phase(hits, beats, cuts)
    downbeats = list(range(phase, len(beats), BEATS_PER_BAR))
    grids = beat_grid_bars(hits, beats, downbeats)
    energy = second_energy(affect[:, 1], motion)
    spacing = float(np.median(np.diff(beats)))
    starts = [float(beats[i]) for i in downbeats] + [float(beats[-1]) + spacing]
    at_cut = [bool(cuts.size) and float(np.min(np.abs(cuts - start))) <= CUT_TOLERANCE * spacing for start in starts]
    observed = np.isin(np.arange(len(CLASSES)), [index(name) for name in OBSERVED])
    bars = []
    for i, grid in enumerate(grids):
        seconds = _seconds(starts[i], starts[i + 1], len(affect))
        bars.append(BarPattern(grid, bar_conditions(float(energy[seconds].mean()), float((affect[seconds, 1].mean() + 1) / 2),
                                                    at_cut[i + 1], at_cut[i], emotion[seconds].mean(axis=0)),
                               observed))
    return bars


def read_soundtracks(dataset: Path, templates: KitTemplates,
                     progress: Callable[[str, float], None] | None = None) -> list[list[BarPattern]]:
    """Bar sequences of every video of a dataset (all splits: the drum model is not evaluated on them)."""
    manifest = read_dataset(DatasetLayout(Path(dataset)))
    if manifest is None:
        raise UsageError(f"{dataset}: no dataset.json; build one with `v2m dataset build`")
    songs = []
    for number, video in enumerate(manifest.videos):
        bars = soundtrack_bars(DatasetLayout(Path(dataset)).video_folder(video.id), templates)
        if len(bars) >= 2:
            songs.append(bars)
        if progress:
            progress("soundtracks", (number + 1) / len(manifest.videos))
    return songs


def _track_beats(audio: np.ndarray) -> np.ndarray:
    """Beat times in seconds (librosa's dynamic-programming tracker; imported here, it is slow to load)."""
    try:
        import librosa
    except ImportError:
        raise V2MError("reading soundtracks needs librosa: pip install 'v2m[learn]'") from None
    _, beats = librosa.beat.beat_track(y=audio.astype(np.float32), sr=SAMPLE_RATE, units="time")
    return np.asarray(beats, dtype=float)


def _downbeat_phase(hits: list[tuple[float, int, float]], beats: np.ndarray, cuts: np.ndarray) -> int:
    """Which of the first four beats starts the bars: kicks lean on downbeats, snares on backbeats."""
    times, kinds, velocities = (np.array(column) for column in zip(*hits))
    nearest = np.abs(beats[None, :] - times[:, None]).argmin(axis=1)
    close = np.abs(beats[nearest] - times) < 0.07
    sign = np.select([kinds == index("kick"), kinds == index("snare")], [1.0, -1.0], 0.0)
    lean = np.bincount(nearest[close] % BEATS_PER_BAR, (velocities * sign)[close], minlength=BEATS_PER_BAR)
    on_cut = np.zeros(BEATS_PER_BAR)
    for cut in cuts:
        beat = int(np.argmin(np.abs(beats - cut)))
        on_cut[beat % BEATS_PER_BAR] += abs(beats[beat] - cut) < 0.1
    close_to_best = lean >= lean.max() - 0.1 * abs(lean.max())  # kicks on 1 and 3 lean alike: let the cuts decide
    return int(max(np.flatnonzero(close_to_best), key=lambda phase: (on_cut[phase], lean[phase])))


def _seconds(start: float, end: float, rows: int) -> slice:
    """Per-second rows overlapping [start, end), at least one, inside the feature arrays."""
    first = min(int(start), rows - 1)
    return slice(first, max(first + 1, min(rows, int(np.ceil(end)))))
