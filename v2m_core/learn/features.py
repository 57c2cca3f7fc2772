"""Per-second input streams: which the model reads, how they are normalised, and building them from a video.

A checkpoint records the dataset's FeatureSpec of every stream it was trained on (with the steps that
made it: plugin package, version and settings), plus per-column mean and spread from the training
split, so at compose time the same step plugins make exactly those streams from the new video, and
the planner scales them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from v2m_core.errors import UnknownPluginError, UsageError
from v2m_core.interfaces.base import PluginKind
from v2m_core.interfaces.step import ExtractorStep
from v2m_core.plugins import PluginManager
from v2m_core.plugins.settings import settings_for
from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.schemas.manifest import FeatureSpec, StepRecord
from v2m_core.step_engine.create import create_step
from v2m_core.step_engine.order import order_steps

TARGET_STREAMS: tuple[str, ...] = ("loudness", "note_density")
"""Soundtrack streams: what the dynamics regressor predicts, never model inputs (a video has no music yet)."""
EMOTION_STREAM = "emotion"


def input_specs(features: list[FeatureSpec], names: list[str] | None) -> list[FeatureSpec]:
    """The dataset's streams the model reads: `names` in that order, else every non-target stream."""
    by_name = {spec.name: spec for spec in features}
    if names is None:
        return [spec for spec in features if spec.name not in TARGET_STREAMS]
    unknown = [name for name in names if name not in by_name or name in TARGET_STREAMS]
    if unknown:
        valid = ", ".join(n for n in by_name if n not in TARGET_STREAMS)
        raise UsageError(f"unknown input feature(s) {', '.join(unknown)}; this dataset has: {valid}")
    return [by_name[name] for name in names]


def analysis_streams(analysis: VideoAnalysis) -> dict[str, np.ndarray]:
    """The streams a VideoAnalysis carries, each (seconds, dim)."""
    scalars = ("motion", "brightness", "saturation", "colourfulness", "scene_offset", "valence", "arousal")
    streams = {name: np.asarray(getattr(analysis, name), dtype=np.float32)[:, None] for name in scalars}
    streams[EMOTION_STREAM] = np.asarray(analysis.emotion, dtype=np.float32)
    return streams


def stream_steps(specs: Sequence[FeatureSpec], manager: PluginManager,
                 settings: Mapping[str, Mapping[str, Any]]) -> list[ExtractorStep]:
    """The steps the dataset build ran to make `specs`, in run order, with the settings it recorded (settings
    given here for a step win, e.g. where its weights file lives on this machine).

    Each step must come from the recorded plugin package in the recorded version, so the model sees
    what it saw in training; a step that is missing, disabled or of another version is a one-line error.
    """
    steps: dict[str, ExtractorStep] = {}
    for spec in specs:
        for record in spec.steps:
            if record.name not in steps:
                steps[record.name] = _recorded_step(record, spec, manager,
                                                    settings_for(settings, PluginKind.STEP, record.name))
    return [steps[step.name] for step in order_steps([type(step) for step in steps.values()])]


def _recorded_step(record: StepRecord, spec: FeatureSpec, manager: PluginManager,
                   settings: Mapping[str, Any]) -> ExtractorStep:
    """`record`'s step, refused unless the installed plugin is the one the build ran (same package, version)."""
    made = f"the model's input '{spec.name}' is made by step '{record.name}' ({record.package} {record.version})"
    instead = f"or put {spec.file} in the folder plugins.settings.amt.features names"
    try:
        installed = manager.record(PluginKind.STEP, record.name)
    except UnknownPluginError:
        raise UsageError(f"{made}, which is not installed: install the package {record.package}, {instead}") from None
    except UsageError as error:  # one of v2m's own plugin packages, not installed; or a disabled plugin
        raise UsageError(f"{made}, but {error}; {instead}") from None
    if (installed.package, installed.version) != (record.package, record.version):
        raise UsageError(f"{made}, but {installed.package} {installed.version} is installed: install "
                         f"{record.package} {record.version}, or rebuild the dataset and train again")
    return create_step(manager, record.name, {**record.settings, **settings})[0]


def video_streams(analysis: VideoAnalysis, specs: list[FeatureSpec], folders: Sequence[Path]) -> dict[str, np.ndarray]:
    """Every stream in `specs` for one video: `<folder>/<spec.file>` from the first of `folders` holding it
    (columns applied), else from the analysis.

    A stream neither provides is an error naming it, so a checkpoint trained on e.g. semantic
    embeddings is never fed zeros silently.
    """
    available = analysis_streams(analysis)
    streams: dict[str, np.ndarray] = {}
    for spec in specs:
        path = next((folder / spec.file for folder in folders if spec.file and (folder / spec.file).is_file()), None)
        if path is not None:
            array = select_columns(np.load(path, allow_pickle=False), spec)
        elif spec.name in available:
            array = available[spec.name]
        else:
            maker = f"`v2m compose` makes it with step '{spec.source}'; else " if spec.steps else ""
            raise UsageError(
                f"the model needs feature '{spec.name}' ({spec.dim} values per second, {spec.description or spec.source}),"
                f" which a video analysis does not provide; {maker}put {spec.file or 'it'} in the folder "
                f"plugins.settings.amt.features names, or train without it (v2m train --features ...)")
        if array.shape[1] != spec.dim:
            raise UsageError(f"feature '{spec.name}' has {array.shape[1]} values per second, the model expects {spec.dim}")
        streams[spec.name] = fit_seconds(array, analysis.seconds)
    return streams


def select_columns(array: np.ndarray, spec: FeatureSpec) -> np.ndarray:
    """The spec's columns of a per-second array, flattened to (seconds, dim)."""
    flat = np.asarray(array, dtype=np.float32).reshape(array.shape[0], -1)
    return flat[:, spec.columns] if spec.columns else flat


def fit_seconds(array: np.ndarray, seconds: int) -> np.ndarray:
    """Trim, or repeat the last row, so a stream has exactly `seconds` rows."""
    if array.shape[0] >= seconds:
        return array[:seconds]
    return np.concatenate([array, np.repeat(array[-1:], seconds - array.shape[0], axis=0)])


class Normaliser:
    """Per-column z-scores with training-split statistics (a zero spread counts as one)."""

    def __init__(self, mean: Mapping[str, list[float]], scale: Mapping[str, list[float]]) -> None:
        self.mean = {k: np.asarray(v, dtype=np.float32) for k, v in mean.items()}
        self.scale = {k: np.asarray(v, dtype=np.float32) for k, v in scale.items()}

    @classmethod
    def fit(cls, videos: list[dict[str, np.ndarray]]) -> "Normaliser":
        names = videos[0].keys()
        stacked = {name: np.concatenate([video[name] for video in videos]) for name in names}
        mean = {name: array.mean(axis=0).tolist() for name, array in stacked.items()}
        scale = {name: np.where(array.std(axis=0) > 1e-6, array.std(axis=0), 1.0).tolist()
                 for name, array in stacked.items()}
        return cls(mean, scale)

    def __call__(self, streams: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {name: ((array - self.mean[name]) / self.scale[name]).astype(np.float32) for name, array in streams.items()}

    def state(self) -> dict[str, dict[str, list[float]]]:
        return {"mean": {k: v.tolist() for k, v in self.mean.items()},
                "scale": {k: v.tolist() for k, v in self.scale.items()}}
