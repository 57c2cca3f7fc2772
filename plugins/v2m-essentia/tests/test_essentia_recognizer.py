"""essentia runs v2m's recognizer contract, converts its chord names and registers through its hook."""

import numpy as np

from v2m_core.interfaces import PluginKind
from v2m_core.testing import RecognizerContract, chord_tones, isolated_manager
from v2m_essentia import plugin
from v2m_essentia.plugin import EssentiaChordRecognizer, harte


class TestEssentia(RecognizerContract):
    plugin_class = EssentiaChordRecognizer


def test_converts_essentia_names_to_harte() -> None:
    assert [harte(n) for n in ("C", "Am", "Bbm", "F#")] == ["C:maj", "A:min", "Bb:min", "F#:maj"]


def test_names_a_progression_and_declares_its_licence() -> None:
    audio = np.concatenate([chord_tones(p, 2.0) for p in ([48, 60, 64, 67], [45, 57, 60, 64], [41, 53, 57, 60])])
    recognizer = isolated_manager(plugin, builtins=False).create(PluginKind.RECOGNIZER, "essentia")
    labels = [s.label for s in recognizer.recognize(audio, 22050).segments if s.end - s.start > 0.5]
    assert labels == ["C:maj", "A:min", "F:maj"]
    assert "AGPL" in (EssentiaChordRecognizer.licence_note or "")
