"""`v2m dataset validate`: is the dataset on disk what `dataset.json` says it is?

Checks per-second alignment (every stream has one row per second), chord names (canonical and in
the vocabulary), per-second continuity of chords.lab, file hashes, and split integrity.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from v2m_core.chords.labfiles import read_chord_lab
from v2m_core.dataset.chord_ids import is_canonical
from v2m_core.dataset.layout import DatasetLayout
from v2m_core.dataset.metadata import read_dataset, read_stream
from v2m_core.errors import MediaError, UsageError
from v2m_core.schemas.manifest import DatasetManifest, DatasetVideo
from v2m_core.step_engine.cache import file_hash


@dataclass(frozen=True)
class Problem:
    video: str
    check: str
    message: str


def _vocabulary_problems(manifest: DatasetManifest) -> list[Problem]:
    problems = [Problem("", "chord-name", f"vocabulary entry {i} {label!r} is not a canonical chord name")
                for i, label in enumerate(manifest.chord_vocabulary) if not is_canonical(label)]
    repeated = [label for label, count in Counter(manifest.chord_vocabulary).items() if count > 1]
    problems += [Problem("", "chord-name", f"vocabulary lists {label!r} more than once") for label in repeated]
    return problems


def _split_problems(manifest: DatasetManifest) -> list[Problem]:
    repeated = [video for video, count in Counter(v.id for v in manifest.videos).items() if count > 1]
    return [Problem(video, "split", "video listed more than once (in several splits?)") for video in repeated]


def _chord_problems(video: DatasetVideo, path: Path, vocabulary: set[str]) -> list[Problem]:
    try:
        segments = read_chord_lab(path)
    except MediaError as error:
        return [Problem(video.id, "chord-file", str(error))]
    problems = []
    if len(segments) != video.seconds:
        problems.append(Problem(video.id, "alignment", f"chords.lab has {len(segments)} lines for {video.seconds} seconds"))
    gaps = [i for i, segment in enumerate(segments) if (segment.start, segment.end) != (i, i + 1)]
    if gaps:
        problems.append(Problem(video.id, "continuity", f"chords.lab line {gaps[0] + 1} does not cover second {gaps[0]}"))
    for label in sorted({segment.label for segment in segments}):
        if not is_canonical(label):
            problems.append(Problem(video.id, "chord-name", f"{label!r} is not a canonical chord name"))
        elif label not in vocabulary:
            problems.append(Problem(video.id, "chord-name", f"{label!r} is missing from the vocabulary"))
    return problems


def _video_problems(layout: DatasetLayout, manifest: DatasetManifest, video: DatasetVideo) -> list[Problem]:
    folder = layout.video_folder(video.id)
    if not folder.is_dir():
        return [Problem(video.id, "files", f"folder {folder} is missing")]
    problems = []
    for name, digest in sorted(video.files.items()):
        if not (folder / name).is_file():
            problems.append(Problem(video.id, "files", f"{name} is missing"))
        elif file_hash(folder / name) != digest:
            problems.append(Problem(video.id, "hash", f"{name} changed since the dataset was built"))
    for feature in manifest.features:
        path = folder / feature.file
        if not path.is_file():
            problems.append(Problem(video.id, "files", f"{feature.file} ({feature.name}) is missing"))
            continue
        try:
            array = read_stream(path, mmap=True)
        except MediaError as error:
            problems.append(Problem(video.id, "values", str(error)))
            continue
        width = len(feature.columns) or int(np.prod(array.shape[1:], dtype=int))
        if array.shape[0] != video.seconds:
            problems.append(Problem(video.id, "alignment",
                                    f"{feature.name} has {array.shape[0]} rows for {video.seconds} seconds"))
        if width != feature.dim or (feature.columns and max(feature.columns) >= int(np.prod(array.shape[1:], dtype=int))):
            problems.append(Problem(video.id, "dimension", f"{feature.name} is {width} wide, expected {feature.dim}"))
        elif not np.all(np.isfinite(array)):
            problems.append(Problem(video.id, "values", f"{feature.name} holds NaN or infinite values"))
    if (folder / "chords.lab").is_file():
        problems += _chord_problems(video, folder / "chords.lab", set(manifest.chord_vocabulary))
    return problems


def validate_dataset(root: Path) -> list[Problem]:
    """Every problem found; an empty list means the dataset is sound."""
    layout = DatasetLayout(Path(root))
    manifest = read_dataset(layout)
    if manifest is None:
        raise UsageError(f"{root}: no {layout.dataset_file.name} (build or import a dataset first)")
    problems = _vocabulary_problems(manifest) + _split_problems(manifest)
    for video in manifest.videos:
        problems += _video_problems(layout, manifest, video)
    return problems
