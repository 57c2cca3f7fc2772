"""Synthesizers: MIDI file to audio file."""

from __future__ import annotations

from abc import abstractmethod
from pathlib import Path

from v2m_core.interfaces.base import Plugin, PluginKind


class Synthesizer(Plugin):
    kind = PluginKind.SYNTHESIZER

    @abstractmethod
    def synthesize(self, midi: Path, output: Path, sample_rate: int, soundfont: Path | None = None) -> None:
        """Write a WAV file of the MIDI at `sample_rate`; raise V2MError when it cannot."""
