"""Chord recognizers: audio in, timed Harte chord labels out."""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

import numpy as np

from v2m_core.interfaces.base import ConfigT, Plugin, PluginKind
from v2m_core.schemas.chords import ChordTimeline


class ChordRecognizer(Plugin[ConfigT]):
    """`vocabulary` names the label set the recognizer can emit (see v2m_core.chords)."""

    kind = PluginKind.RECOGNIZER
    vocabulary: ClassVar[str] = "majmin"

    @abstractmethod
    def recognize(self, audio: np.ndarray, sample_rate: int) -> ChordTimeline:
        """`audio` is mono float32 in [-1, 1]; return non-overlapping segments covering it."""
