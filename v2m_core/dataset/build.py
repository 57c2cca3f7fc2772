"""`v2m dataset build`: every video through the planned steps (cached, in parallel), then metadata.

Order of commits: step outputs, then each step's manifest, then `failures.json`, then
`dataset.json` last. A run killed at any moment leaves only whole files, and the next run redoes
exactly the uncommitted work, so it ends with the same bytes as a run never interrupted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from v2m_core.atomic import atomic_write_text
from v2m_core.dataset.layout import DatasetLayout, find_videos
from v2m_core.dataset.metadata import build_metadata, read_dataset, write_dataset
from v2m_core.dataset.plan import BuildOptions, BuildPlan, missing_inputs, plan_build
from v2m_core.dataset.runner import EventSink, StepEvent, VideoOutcome, VideoTask, build_video, error_text
from v2m_core.errors import UsageError
from v2m_core.interfaces.executor import Executor
from v2m_core.interfaces.base import PluginKind
from v2m_core.plugins import PluginManager
from v2m_core.plugins.settings import settings_for
from v2m_core.schemas.manifest import BuildFailure, DatasetBuildConfig, DatasetManifest
from v2m_core.scratch import sweep_tree

EventHandler = Callable[[StepEvent], None]


@dataclass
class BuildResult:
    plan: BuildPlan
    videos: list[str]
    failures: list[BuildFailure]
    manifest: DatasetManifest | None
    events: list[StepEvent] = field(default_factory=list)
    peak_memory_mb: dict[str, float] = field(default_factory=dict)


def check_skipped_outputs(plan: BuildPlan, layout: DatasetLayout, ids: list[str]) -> None:
    """A step left out whose outputs a running step needs is an error, unless they exist for every video."""
    needed: dict[tuple[str, str, str], list[str]] = {}
    for identifier in ids:
        for step, absent in missing_inputs(plan, layout.video_folder(identifier)).items():
            for file, writer in absent.items():
                needed.setdefault((writer, file, step), []).append(identifier)
    if needed:
        parts = [f"'{writer}' writes {file}, which '{step}' needs ({len(videos)} video(s) lack it, e.g. {videos[0]})"
                 for (writer, file, step), videos in sorted(needed.items())]
        raise UsageError("cannot skip steps whose outputs are missing: " + "; ".join(parts))


@contextmanager
def event_channel(executor: Executor, handler: EventHandler) -> Iterator[EventSink]:
    """The executor's queue, which its workers put StepEvents on; a thread here hands them to `handler`."""
    with executor.queue() as channel:

        def drain() -> None:
            while (event := channel.get()) is not None:
                handler(event)

        thread = threading.Thread(target=drain, daemon=True)
        thread.start()
        try:
            yield channel
        finally:
            channel.put(None)
            thread.join()


def make_executor(manager: PluginManager, config: DatasetBuildConfig,
                  settings: Mapping[str, Mapping[str, Any]]) -> Executor:
    """The executor plugin named in `config` (else serial, or processes with workers > 1) with its settings."""
    name = config.executor or ("processes" if config.workers > 1 else "serial")
    if config.workers > 1 and name != "processes":
        raise UsageError(f"--workers {config.workers} sizes the processes executor; the '{name}' executor "
                         f"takes its own settings (plugins.settings.{name})")
    options = {**settings_for(settings, PluginKind.EXECUTOR, name),
               **({"workers": config.workers} if config.workers > 1 else {})}
    return manager.create(Executor, name, options)


def write_failures(layout: DatasetLayout, failures: list[BuildFailure]) -> None:
    atomic_write_text(layout.failures_file, json.dumps([f.model_dump() for f in failures], indent=2) + "\n")


def build_dataset(video_dir: Path, dataset_dir: Path, config: DatasetBuildConfig, manager: PluginManager,
                  settings: Mapping[str, Mapping[str, Any]] | None = None, options: BuildOptions = BuildOptions(),
                  on_event: EventHandler | None = None) -> BuildResult:
    """Build or update the dataset in `dataset_dir` from the videos under `video_dir`."""
    videos = find_videos(Path(video_dir))
    if not videos:
        raise UsageError(f"{video_dir}: no video files found")
    layout = DatasetLayout(Path(dataset_dir))
    executor = make_executor(manager, config, settings or {})
    layout.create()
    plan = plan_build(config, manager, settings or {}, options)
    ids = sorted(videos)
    check_skipped_outputs(plan, layout, ids)
    result = BuildResult(plan=plan, videos=ids, failures=[], manifest=None)

    def handle(event: StepEvent) -> None:
        result.events.append(event)
        if on_event is not None:
            on_event(event)

    require_audio = any(planned.name == "audio" for planned in plan.steps)
    outcomes: dict[str, VideoOutcome] = {}
    with event_channel(executor, handle) as channel:
        tasks = [VideoTask(video_id=identifier, video=videos[identifier], folder=layout.video_folder(identifier),
                           manifests=layout.manifest_folder(identifier), steps=tuple(plan.steps),
                           min_seconds=config.min_seconds, require_audio=require_audio, events=channel)
                 for identifier in ids]
        try:
            for task, outcome in executor.map(build_video, tasks):
                if isinstance(outcome, BaseException):  # the worker itself died (out of memory, killed)
                    failure = BuildFailure(video=task.video_id, step="worker", error=error_text(outcome))
                    outcome = VideoOutcome(task.video_id, failure, 0.0)
                outcomes[task.video_id] = outcome
        except BaseException:  # interrupted: the executor killed its workers, perhaps mid-write
            sweep_tree(layout.root)  # their temporaries go now, not at the next run
            raise
    result.failures = sorted((o.failure for o in outcomes.values() if o.failure), key=lambda f: f.video)
    result.peak_memory_mb = {identifier: outcomes[identifier].peak_memory_mb for identifier in ids}
    write_failures(layout, result.failures)
    if plan.metadata:
        built = {identifier: videos[identifier].name for identifier in ids if outcomes[identifier].failure is None}
        result.manifest = build_metadata(layout, built, plan, config, read_dataset(layout))
        write_dataset(layout, result.manifest)
    return result
