"""Reading a v2m dataset (docs/dataset.md) into memory: the one module that knows its on-disk layout.

Per video folder: every feature stream's `.npy` (a FeatureSpec names file and columns) and
`chords.lab` (one line per second); `dataset.json` gives the videos, their splits, the chord
vocabulary and the feature spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from v2m_core.chords.labfiles import read_chord_labels
from v2m_core.dataset.layout import DatasetLayout
from v2m_core.dataset.metadata import read_dataset
from v2m_core.errors import MediaError, UsageError
from v2m_core.learn.features import TARGET_STREAMS, fit_seconds, select_columns
from v2m_core.schemas.manifest import DatasetManifest, FeatureSpec

CHORD_FILE = "chords.lab"


@dataclass(frozen=True)
class VideoRecord:
    """One video in memory: raw input streams, chord labels and (when the dataset has them) regression targets."""

    id: str
    streams: dict[str, np.ndarray]
    chords: list[str]
    targets: np.ndarray | None
    """(seconds, len(TARGET_STREAMS)) loudness and note density, or None."""

    @property
    def seconds(self) -> int:
        return len(self.chords)


def read_manifest(root: Path) -> DatasetManifest:
    manifest = read_dataset(DatasetLayout(Path(root)))
    if manifest is None:
        raise UsageError(f"{root}: no dataset.json; build one with `v2m dataset build`")
    if not manifest.chord_vocabulary:
        raise UsageError(f"{root}: the dataset has no chord vocabulary (were soundtracks labelled?)")
    return manifest


def target_specs(manifest: DatasetManifest) -> list[FeatureSpec] | None:
    """The loudness and note-density specs, or None unless the dataset has both."""
    by_name = {spec.name: spec for spec in manifest.features}
    return [by_name[name] for name in TARGET_STREAMS] if all(name in by_name for name in TARGET_STREAMS) else None


def read_videos(root: Path, manifest: DatasetManifest, split: str, specs: list[FeatureSpec]) -> list[VideoRecord]:
    """Every video of `split`, in manifest order; a missing or malformed file is an error naming it."""
    layout = DatasetLayout(Path(root))
    targets = target_specs(manifest)
    records = []
    for video in manifest.videos:
        if video.split != split:
            continue
        folder = layout.video_folder(video.id)
        chords = _read_labels(folder / CHORD_FILE)
        streams = {spec.name: _read_stream(folder, spec, len(chords)) for spec in specs}
        target = (np.concatenate([_read_stream(folder, spec, len(chords)) for spec in targets], axis=1)
                  if targets else None)
        records.append(VideoRecord(video.id, streams, chords, target))
    return records


def _read_labels(path: Path) -> list[str]:
    if not path.is_file():
        raise UsageError(f"{path}: missing chord file")
    try:
        return read_chord_labels(path)
    except (MediaError, ValueError) as error:
        raise UsageError(str(error)) from None


def _read_stream(folder: Path, spec: FeatureSpec, seconds: int) -> np.ndarray:
    path = folder / (spec.file or f"{spec.name}.npy")
    if not path.is_file():
        raise UsageError(f"{path}: missing feature file for stream '{spec.name}'")
    return fit_seconds(select_columns(np.load(path, allow_pickle=False), spec), seconds)
