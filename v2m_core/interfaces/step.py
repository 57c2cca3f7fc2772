"""Extractor steps: one unit of per-video analysis, run in the video's work folder."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from v2m_core.interfaces.base import ConfigT, Plugin, PluginKind


@dataclass(frozen=True)
class StepContext:
    """What a step may read: the source video, its work folder, and a progress callback.

    Inputs and outputs are file names relative to `workdir`; the engine hashes them to decide
    what to re-run.
    """

    video: Path
    workdir: Path
    progress: Callable[[float], None] = field(default=lambda fraction: None)

    def path(self, name: str) -> Path:
        return self.workdir / name


class ExtractorStep(Plugin[ConfigT]):
    """Declares its inputs and outputs so the engine can order steps and cache their results."""

    kind = PluginKind.STEP
    inputs: ClassVar[tuple[str, ...]] = ()
    outputs: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def run(self, context: StepContext) -> None:
        """Read `inputs` from the work folder (and the video), write every one of `outputs`."""
