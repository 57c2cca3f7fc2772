"""madmom runs v2m's recognizer contract, in both model variants, and registers through its hook."""

import numpy as np

from v2m_core.interfaces import PluginKind
from v2m_core.testing import RecognizerContract, chord_tones, isolated_manager
from v2m_madmom import plugin
from v2m_madmom.plugin import MadmomChordRecognizer, MadmomConfig


class TestMadmomCnn(RecognizerContract):
    plugin_class = MadmomChordRecognizer


class TestMadmomDeepChroma(RecognizerContract):
    plugin_class = MadmomChordRecognizer

    def make_plugin(self) -> MadmomChordRecognizer:
        return MadmomChordRecognizer(MadmomConfig(model="deepchroma"))


def test_names_a_progression_and_declares_its_licence() -> None:
    audio = np.concatenate([chord_tones(p, 2.0) for p in ([48, 60, 64, 67], [45, 57, 60, 64], [41, 53, 57, 60])])
    recognizer = isolated_manager(plugin, builtins=False).create(PluginKind.RECOGNIZER, "madmom")
    labels = [s.label for s in recognizer.recognize(audio, 22050).segments if s.end - s.start > 0.5]
    assert labels == ["C:maj", "A:min", "F:maj"]
    assert "CC BY-NC-SA" in (MadmomChordRecognizer.licence_note or "")
