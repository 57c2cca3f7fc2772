"""Planners: from a video's analysis to a composition plan (harmony, tempo, beats, sections)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from v2m_core.interfaces.base import ConfigT, Plugin, PluginKind
from v2m_core.interfaces.step import ExtractorStep
from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.plan import CompositionPlan

if TYPE_CHECKING:
    from v2m_core.plugins.manager import PluginManager


class Planner(Plugin[ConfigT]):
    """Must honour the overrides in `request` (tempo, key, style, instruments, seed)."""

    kind = PluginKind.PLANNER

    @abstractmethod
    def plan(self, analysis: VideoAnalysis, request: ComposeConfig) -> CompositionPlan:
        """Deterministic for a given analysis and `request.seed`."""


@runtime_checkable
class PlansFromSteps(Protocol):
    """A planner that reads step outputs beyond the analysis (the amt planner: its model's input streams).

    compose() asks for the steps before any heavy work, so a missing plugin fails at once, runs them on
    the video in a folder of their own, and calls `plan_with` with that folder instead of `plan`.
    """

    def video_steps(self, plugins: PluginManager, settings: Mapping[str, Mapping[str, Any]]) -> list[ExtractorStep[Any]]:
        """The steps to run, in order, created through `plugins` (`settings`: every plugin's, by name)."""

    def plan_with(self, analysis: VideoAnalysis, request: ComposeConfig, outputs: Path) -> CompositionPlan:
        """`plan`, reading what the steps wrote in `outputs`."""
