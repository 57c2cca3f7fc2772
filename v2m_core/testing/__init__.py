"""The plugin-author kit: contract test classes and helpers (also a pytest plugin: `v2m`).

Subclass a contract in your plugin's tests and set `plugin_class`:

    from v2m_core.testing import RendererContract

    class TestMyRenderer(RendererContract):
        plugin_class = MyRenderer
"""

from v2m_core.testing.contracts import (
    ExecutorContract, FusionContract, PlannerContract, RecognizerContract, RendererContract, StepContract,
    SynthesizerContract,
)
from v2m_core.testing.fixtures import chord_tones, isolated_manager, sample_analysis, sample_plan

__all__ = ["ExecutorContract", "FusionContract", "PlannerContract", "RecognizerContract", "RendererContract",
           "StepContract", "SynthesizerContract", "chord_tones", "isolated_manager", "sample_analysis", "sample_plan"]
