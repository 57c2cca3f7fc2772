"""Step 11, dataset-level: chord vocabulary, splits, feature spec and file hashes into `dataset.json`.

It reads only committed per-video files and sorts everything, so the same folders always give the
same bytes, whatever order or process the videos were built in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from v2m_core.atomic import atomic_write_text
from v2m_core.chords.labfiles import read_chord_labels
from v2m_core.dataset.chord_ids import extend_vocabulary
from v2m_core.dataset.layout import DatasetLayout
from v2m_core.dataset.plan import BuildPlan
from v2m_core.dataset.splits import assign_splits
from v2m_core.errors import MediaError, UsageError
from v2m_core.schemas.base import read_model_file
from v2m_core.schemas.manifest import DatasetBuildConfig, DatasetManifest, DatasetVideo, FeatureSpec, StepRecord
from v2m_core.step_engine.cache import file_hash
from v2m_core.step_engine.graph import upstream
from v2m_core.steps.files import read_json, read_probe, second_count


@dataclass(frozen=True)
class Stream:
    name: str
    file: str
    columns: tuple[int, ...]
    description: str


STREAMS: tuple[Stream, ...] = (
    Stream("semantic", "semantic.npy", (), "Image embedding of the frame in the middle of each second."),
    Stream("motion", "visual.npy", (0,), "Mean absolute frame difference, 0..1."),
    Stream("scene_offset", "scenes.npy", (1,), "Seconds since the current scene started."),
    Stream("emotion", "emotion.npy", (), "Probabilities of exciting, fearful, tense, sad, relaxing, neutral."),
    Stream("loudness", "loudness.npy", (), "RMS amplitude of the soundtrack, 0..1."),
    Stream("note_density", "note_density.npy", (), "Transcribed notes sounding in the second."),
)
"""Video2Music's per-second streams and where the built-in steps put them."""

INTERNAL_ARRAYS = frozenset({"visual.npy", "scenes.npy", "affect.npy", "keyframes.npy"})
"""Step outputs that are not feature streams of their own (streams take columns of them, or images)."""


def read_stream(path: Path, mmap: bool = False) -> np.ndarray:
    """A per-second stream as numbers, one row per second; a damaged, pickled or non-numeric .npy (a file from
    elsewhere) is a MediaError naming it."""
    try:
        array = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        raise MediaError(path, f"not a readable .npy array ({' '.join(str(error).split())})") from None
    if array.ndim == 0 or not np.issubdtype(array.dtype, np.number):
        raise MediaError(path, f"holds a {array.ndim}-d {array.dtype} array, expected numbers with one row per second")
    return array


def read_dataset(layout: DatasetLayout) -> DatasetManifest | None:
    if not layout.dataset_file.is_file():
        return None
    return read_model_file(layout.dataset_file, DatasetManifest)


def write_dataset(layout: DatasetLayout, manifest: DatasetManifest) -> None:
    atomic_write_text(layout.dataset_file, manifest.model_dump_json(indent=2) + "\n")


def video_seconds(folder: Path) -> int:
    """Rows every per-second file of the video must have: from probe.json, else from chords.lab."""
    if (folder / "probe.json").is_file():
        return second_count(read_probe(folder / "probe.json").duration)
    if (folder / "chords.lab").is_file():
        return len(read_chord_labels(folder / "chords.lab"))
    raise UsageError(f"{folder}: neither probe.json nor chords.lab says how long the video is")


def step_records(plan: BuildPlan, name: str) -> list[StepRecord]:
    """Step `name` and every step it reads from, in run order, with the package, version and settings the
    build runs them with: what compose needs to make the same stream from a new video."""
    needed = upstream([type(planned.step) for planned in plan.steps], name)
    return [StepRecord(name=planned.name, package=planned.package, version=planned.step.version,
                       settings=planned.step.config.model_dump(mode="json"))
            for planned in plan.steps if planned.name in needed]


def feature_specs(plan: BuildPlan, folder: Path) -> list[FeatureSpec]:
    """The streams the plan's steps wrote, plus any other per-second .npy a (third-party) step added."""
    specs = []
    for stream in STREAMS:
        writer = plan.producer(stream.file)
        if writer is None or not (folder / stream.file).is_file():
            continue
        width = len(stream.columns) or int(np.prod(np.load(folder / stream.file, mmap_mode="r").shape[1:], dtype=int))
        description = stream.description
        if stream.name == "semantic" and (folder / "semantic.json").is_file():
            description = f"{read_json(folder / 'semantic.json').get('model', '')}: {description}"
        specs.append(FeatureSpec(name=stream.name, dim=width, source=writer.name, file=stream.file,
                                 columns=list(stream.columns), description=description,
                                 steps=step_records(plan, writer.name)))
    known = {stream.file for stream in STREAMS} | INTERNAL_ARRAYS
    for planned in plan.steps:
        for output in planned.step.outputs:
            if output.endswith(".npy") and output not in known and (folder / output).is_file():
                array = np.load(folder / output, mmap_mode="r")
                specs.append(FeatureSpec(name=Path(output).stem, dim=int(np.prod(array.shape[1:], dtype=int)),
                                         source=planned.name, file=output, description=planned.step.description,
                                         steps=step_records(plan, planned.name)))
    return specs


def build_metadata(layout: DatasetLayout, sources: Mapping[str, str], plan: BuildPlan, config: DatasetBuildConfig,
                   previous: DatasetManifest | None) -> DatasetManifest:
    """The dataset manifest for the videos in `sources` (id -> source file name), all built successfully."""
    ids = sorted(sources)
    outputs = sorted({output for planned in plan.steps for output in planned.step.outputs})
    labels: list[str] = []
    seconds: dict[str, int] = {}
    files: dict[str, dict[str, str]] = {}
    for identifier in ids:
        folder = layout.video_folder(identifier)
        seconds[identifier] = video_seconds(folder)
        files[identifier] = {name: file_hash(folder / name) for name in outputs if (folder / name).is_file()}
        if (folder / "chords.lab").is_file():
            labels += read_chord_labels(folder / "chords.lab")
    previous_splits = {video.id: video.split for video in previous.videos} if previous else {}
    splits = assign_splits(ids, previous_splits, config.split_ratios, config.split_seed, config.preserve_splits)
    emotion_writer = plan.producer("emotion.npy")
    chord_writer = plan.producer("chords.lab")
    return DatasetManifest(
        videos=[DatasetVideo(id=identifier, seconds=seconds[identifier], split=splits[identifier],
                             source=sources[identifier], files=files[identifier]) for identifier in ids],
        chord_vocabulary=extend_vocabulary(previous.chord_vocabulary if previous else [], labels),
        features=feature_specs(plan, layout.video_folder(ids[0])) if ids else [],
        emotion_source=emotion_writer.name if emotion_writer else "",
        recognizer=config.recognizer if chord_writer else "",
        split_seed=config.split_seed,
        split_ratios=config.split_ratios,
        steps={planned.name: planned.step.version for planned in plan.steps},
    )
