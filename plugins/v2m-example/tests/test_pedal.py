"""The example plugin runs v2m's renderer contract on itself, plus one check of its own."""

import numpy as np

from v2m_core.interfaces import PluginKind
from v2m_core.testing import RendererContract, isolated_manager, sample_plan
from v2m_example import plugin
from v2m_example.plugin import PedalRenderer


class TestPedalRenderer(RendererContract):
    plugin_class = PedalRenderer


def test_pedal_follows_the_key_and_registers_through_the_hook() -> None:
    manager = isolated_manager(plugin, builtins=False)
    renderer = manager.create(PluginKind.RENDERER, "pedal", {"octave": 2})
    notes = renderer.render(sample_plan(), np.random.default_rng(0))[0].notes
    assert {n.pitch for n in notes} == {36, 43}  # C2 and G2 in C major
