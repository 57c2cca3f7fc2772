"""Which steps a build runs: names from the config, plugins from the manager, order from the graph.

`--only-steps`, `--skip-steps`, `--force` and `--from-step` decide per step whether it runs (and
whether its cache is ignored); `metadata` (step 11, dataset-level) can be named like the others and
runs unless skipped by name, so `dataset.json` always matches the per-video files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from v2m_core.errors import UsageError
from v2m_core.interfaces.base import PluginKind
from v2m_core.interfaces.step import ExtractorStep
from v2m_core.plugins import PluginManager
from v2m_core.plugins.settings import settings_for
from v2m_core.schemas.manifest import DatasetBuildConfig
from v2m_core.step_engine.create import create_step
from v2m_core.step_engine.graph import downstream, upstream_outputs
from v2m_core.step_engine.order import order_steps

METADATA = "metadata"


@dataclass(frozen=True)
class PlannedStep:
    step: ExtractorStep[Any]
    package: str
    run: bool = True
    force: bool = False

    @property
    def name(self) -> str:
        return self.step.name


@dataclass(frozen=True)
class BuildOptions:
    skip: Sequence[str] = ()
    only: Sequence[str] = ()
    force: bool = False
    from_step: str | None = None


@dataclass(frozen=True)
class BuildPlan:
    steps: list[PlannedStep]
    metadata: bool = True

    def producer(self, file: str) -> PlannedStep | None:
        return next((planned for planned in self.steps if file in planned.step.outputs), None)


def emotion_step(config: DatasetBuildConfig, manager: PluginManager, settings: Mapping[str, Mapping[str, Any]]) -> str:
    """`auto`: zero-shot CLIP emotion when that plugin is installed and pointed at weights on disk."""
    if config.emotion != "auto":
        return config.emotion
    weights = str(settings_for(settings, PluginKind.STEP, "emotion-clip").get("weights", ""))
    if "emotion-clip" in manager.names(PluginKind.STEP) and weights and Path(weights).is_file():
        return "emotion-clip"
    return "emotion-affect"


def step_names(config: DatasetBuildConfig, manager: PluginManager, settings: Mapping[str, Mapping[str, Any]]) -> list[str]:
    names = [*config.steps, config.semantic, emotion_step(config, manager, settings), *config.extra_steps]
    return list(dict.fromkeys(name for name in names if name))


def plan_build(config: DatasetBuildConfig, manager: PluginManager, settings: Mapping[str, Mapping[str, Any]],
               options: BuildOptions) -> BuildPlan:
    """Instantiate and order the configured steps, and mark which run and which ignore their cache."""
    installed = set(manager.names(PluginKind.STEP))
    configured = step_names(config, manager, settings)
    names = [name for name in configured if name in installed or name not in options.skip]  # skipped, need not exist
    # the build's --recognizer and that recognizer's settings make the chords step's settings
    chord_settings = {"recognizer": config.recognizer,
                      "recognizer_settings": settings_for(settings, PluginKind.RECOGNIZER, config.recognizer)}
    created = {name: create_step(manager, name, chord_settings if name == "chords"
                                 else settings_for(settings, PluginKind.STEP, name)) for name in names}
    classes = [type(step) for step, _ in created.values()]
    ordered = order_steps(classes, classes)
    known = [cls.name for cls in ordered] + [METADATA]
    for option, values in (("--skip-steps", [name for name in options.skip if name not in configured]),
                           ("--only-steps", options.only),
                           ("--from-step", [options.from_step] if options.from_step else [])):
        unknown = [value for value in values if value not in known]
        if unknown:
            raise UsageError(f"{option}: unknown step {', '.join(unknown)}; steps: {', '.join(known)}")
    selected = set(options.only) | {METADATA} if options.only else set(known)  # dataset.json stays current
    selected -= set(options.skip)
    forced = set(known) if options.force else set()
    if options.from_step:
        forced |= downstream(ordered, options.from_step) | {METADATA}
        selected |= forced
    steps = [PlannedStep(created[cls.name][0], created[cls.name][1], run=cls.name in selected, force=cls.name in forced)
             for cls in ordered]
    return BuildPlan(steps=steps, metadata=METADATA in selected)


def missing_inputs(plan: BuildPlan, folder: Path) -> dict[str, dict[str, str]]:
    """For each running step: inputs written by a step that does not run and missing in `folder` (file -> step)."""
    classes = [type(planned.step) for planned in plan.steps]
    idle = {planned.name for planned in plan.steps if not planned.run}
    problems: dict[str, dict[str, str]] = {}
    for planned in plan.steps:
        if planned.run:
            absent = {file: writer for file, writer in upstream_outputs(classes, type(planned.step), idle).items()
                      if not (folder / file).is_file()}
            if absent:
                problems[planned.name] = absent
    return problems
