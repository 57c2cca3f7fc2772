"""Synthesizers: MIDI file to audio file."""

from __future__ import annotations

from abc import abstractmethod
from pathlib import Path

from v2m_core.interfaces.base import ConfigT, Plugin, PluginKind


class Synthesizer(Plugin[ConfigT]):
    kind = PluginKind.SYNTHESIZER

    def check(self, soundfont: Path | None = None) -> None:
        """Raise V2MError now, before a long analysis, when `synthesize` would fail for want of a program or a
        file; by default there is nothing to check."""

    @abstractmethod
    def synthesize(self, midi: Path, output: Path, sample_rate: int, soundfont: Path | None = None) -> None:
        """Write a WAV file of the MIDI at `sample_rate`; raise V2MError when it cannot."""
