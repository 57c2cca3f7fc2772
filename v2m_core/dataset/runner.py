"""Running one video's steps in its folder: the unit of work a build hands to each worker.

Everything a worker needs travels in a `VideoTask` (step instances pickle with their configs), so
the same function runs in-process or in a spawned pool. A failure stops only this video: it comes
back as a `BuildFailure`, never as an exception.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from v2m_core.dataset.layout import remove_temporaries
from v2m_core.dataset.plan import PlannedStep
from v2m_core.errors import MediaError, V2MError
from v2m_core.media.probe import probe
from v2m_core.schemas.manifest import BuildFailure, StepManifest
from v2m_core.step_engine.cache import file_hash, file_hashes, is_current, read_manifest, step_key, write_manifest
from v2m_core.step_engine.run import run_steps
from v2m_core.steps.frame_pass import FrameStep

Status = Literal["ran", "cached", "skipped", "failed", "blocked"]
StepResult = tuple[Status, float, float]
"""A step's status, wall seconds and CPU seconds."""
VIDEO_INPUT = "<video>"
"""Input-hash key of the source video: every step's result depends on it."""


@runtime_checkable
class HasDependencies(Protocol):
    """A step whose result depends on more than its config and inputs (a recognizer's version, weights)."""

    def dependencies(self) -> dict[str, str]: ...


class EventSink(Protocol):
    def put(self, item: Any) -> None: ...


@dataclass(frozen=True)
class StepEvent:
    video: str
    step: str
    status: Status
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """CPU time of this process and its child processes (ffmpeg) during the step, all threads."""


@dataclass(frozen=True)
class VideoTask:
    video_id: str
    video: Path
    folder: Path
    manifests: Path
    steps: tuple[PlannedStep, ...]
    min_seconds: float
    require_audio: bool
    events: EventSink | None = None


@dataclass(frozen=True)
class VideoOutcome:
    video_id: str
    failure: BuildFailure | None
    peak_memory_mb: float


def error_text(error: BaseException) -> str:
    text = str(error) if isinstance(error, V2MError) else f"{type(error).__name__}: {error}"
    return " ".join(text.split())


def check_input(video: Path, min_seconds: float, require_audio: bool) -> None:
    """Refuse unusable videos before any work: unreadable, silent when audio is needed, or too short."""
    info = probe(video)
    if require_audio and not info.has_audio:
        raise MediaError(video, "no audio stream: a dataset video needs its soundtrack")
    if info.duration < min_seconds:
        raise MediaError(video, f"too short: {info.duration:.2f} s (the minimum is {min_seconds:g} s)")


def cpu_time() -> float:
    """CPU seconds used so far by this process (all threads) and its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_step(planned: PlannedStep, task: VideoTask, video_hash: str) -> StepResult:
    """Run one step unless its manifest proves the outputs current; write the manifest last."""
    return run_together([planned], task, video_hash)[0]


def run_together(group: Sequence[PlannedStep], task: VideoTask, video_hash: str) -> list[StepResult]:
    """Run the steps of `group` whose manifests do not prove their outputs current with the step engine (frame
    steps on one shared decode), then write each one's manifest.

    A shared run's wall and CPU time is split evenly among the steps it ran.
    """
    identities = [_identity(planned, task, video_hash) for planned in group]
    stale = [index for index, (planned, identity) in enumerate(zip(group, identities)) if planned.force or not
             is_current(read_manifest(_manifest_file(planned, task)), identity.key, task.folder, planned.step.outputs)]
    results: list[StepResult] = [("cached", 0.0, 0.0)] * len(group)
    if not stale:
        return results
    started, cpu_started = time.perf_counter(), cpu_time()
    run_steps([group[index].step for index in stale], task.video, task.folder)
    seconds = (time.perf_counter() - started) / len(stale)
    cpu_seconds = (cpu_time() - cpu_started) / len(stale)
    for index in stale:
        planned, identity = group[index], identities[index]
        step = planned.step
        unwritten = [name for name in step.outputs if not (task.folder / name).is_file()]
        if unwritten:
            raise V2MError(f"step '{step.name}' did not write {', '.join(unwritten)}")
        write_manifest(_manifest_file(planned, task), StepManifest(
            step=step.name, plugin=planned.package, plugin_version=step.version, parameters=identity.parameters,
            dependencies=identity.dependencies, input_hashes=identity.inputs,
            output_hashes=file_hashes(task.folder, step.outputs), key=identity.key, seconds=round(seconds, 6)))
        results[index] = ("ran", seconds, cpu_seconds)
    return results


@dataclass(frozen=True)
class _Identity:
    """What a step's result depends on, and the cache key made of it."""

    inputs: dict[str, str]
    dependencies: dict[str, str]
    parameters: dict[str, Any]
    key: str


def _identity(planned: PlannedStep, task: VideoTask, video_hash: str) -> _Identity:
    step = planned.step
    absent = [name for name in step.inputs if not (task.folder / name).is_file()]
    if absent:
        raise V2MError(f"inputs missing: {', '.join(absent)}")
    inputs = {VIDEO_INPUT: video_hash, **file_hashes(task.folder, step.inputs)}
    dependencies = step.dependencies() if isinstance(step, HasDependencies) else {}
    parameters = step.config.model_dump(mode="json")
    key = step_key(step.name, planned.package, step.version, parameters, dependencies, inputs)
    return _Identity(inputs, dependencies, parameters, key)


def _manifest_file(planned: PlannedStep, task: VideoTask) -> Path:
    return task.manifests / f"{planned.name}.json"


def build_video(task: VideoTask) -> VideoOutcome:
    """Run every planned step of one video, in order; report each step's status as it finishes."""

    def emit(step: str, status: Status, seconds: float = 0.0, cpu_seconds: float = 0.0) -> None:
        if task.events is not None:
            task.events.put(StepEvent(task.video_id, step, status, seconds, cpu_seconds))

    task.folder.mkdir(parents=True, exist_ok=True)
    task.manifests.mkdir(parents=True, exist_ok=True)
    remove_temporaries(task.folder)
    remove_temporaries(task.manifests)
    current, done = "input", 0
    try:
        check_input(task.video, task.min_seconds, task.require_audio)
        video_hash = file_hash(task.video)
        frame_steps = [planned for planned in task.steps if planned.run and isinstance(planned.step, FrameStep)]
        shared: dict[str, StepResult] = {}
        for planned in task.steps:
            current = planned.name
            if not planned.run:
                emit(planned.name, "skipped")
            elif planned.name in shared:
                emit(planned.name, *shared.pop(planned.name))
            elif planned in frame_steps:  # the first frame step runs them all (they read only the video)
                shared = dict(zip((step.name for step in frame_steps), run_together(frame_steps, task, video_hash)))
                emit(planned.name, *shared.pop(planned.name))
            else:
                emit(planned.name, *run_step(planned, task, video_hash))
            done += 1
    except Exception as error:  # noqa: BLE001 - one bad video never stops the others
        for index, planned in enumerate(task.steps[done:]):
            emit(planned.name, "failed" if index == 0 else "blocked")
        failure = BuildFailure(video=task.video_id, step=current, error=error_text(error))
        return VideoOutcome(task.video_id, failure, peak_memory_mb())
    return VideoOutcome(task.video_id, None, peak_memory_mb())


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    Linux's VmHWM first: `ru_maxrss` survives fork and exec, so a spawned worker would report its
    parent's peak. Elsewhere `ru_maxrss` (kilobytes on Linux, bytes on macOS; only Linux has VmHWM).
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0 / (1024.0 if sys.platform == "darwin" else 1.0)
