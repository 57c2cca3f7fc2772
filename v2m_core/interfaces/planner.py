"""Planners: from a video's analysis to a composition plan (harmony, tempo, beats, sections)."""

from __future__ import annotations

from abc import abstractmethod

from v2m_core.interfaces.base import Plugin, PluginKind
from v2m_core.schemas.analysis import VideoAnalysis
from v2m_core.schemas.config import ComposeConfig
from v2m_core.schemas.plan import CompositionPlan


class Planner(Plugin):
    """Must honour the overrides in `request` (tempo, key, style, instruments, seed)."""

    kind = PluginKind.PLANNER

    @abstractmethod
    def plan(self, analysis: VideoAnalysis, request: ComposeConfig) -> CompositionPlan:
        """Deterministic for a given analysis and `request.seed`."""
