"""Music renderers: from a composition plan to note tracks (chords, bass, melody, drums, ...)."""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

import numpy as np

from v2m_core.interfaces.base import ConfigT, Plugin, PluginKind
from v2m_core.schemas.midi import MidiTrack
from v2m_core.schemas.plan import CompositionPlan


class MusicRenderer(Plugin[ConfigT]):
    """`role` is the part it plays; `compose` combines renderers of different roles."""

    kind = PluginKind.RENDERER
    role: ClassVar[str] = ""

    @abstractmethod
    def render(self, plan: CompositionPlan, rng: np.random.Generator) -> list[MidiTrack]:
        """Deterministic given `rng`; notes must lie within [0, plan.duration]."""
