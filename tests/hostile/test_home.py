"""Rendering leaves nothing in the user's home (FluidSynth's libpulse would write ~/.config/pulse)."""

from __future__ import annotations

from pathlib import Path

import pytest

from v2m_core.compose.midi_file import write_midi
from v2m_core.schemas.midi import MidiTrack, Note
from v2m_core.synthesizers.fluidsynth import FluidSynthSynthesizer


def test_synthesis_writes_nothing_in_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    midi, wav = tmp_path / "music.mid", tmp_path / "music.wav"
    write_midi([MidiTrack(name="piano", role="chords", notes=[Note(pitch=60, start=0, end=0.5, velocity=90)])], midi)
    FluidSynthSynthesizer().synthesize(midi, wav, 22050)
    assert wav.stat().st_size > 1000
    assert list(home.rglob("*")) == []
