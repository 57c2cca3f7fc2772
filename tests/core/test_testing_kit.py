"""The plugin-author kit works as an installed pytest plugin (entry point pytest11: v2m)."""

from __future__ import annotations

from v2m_core.interfaces import PluginKind
from v2m_core.plugins import PluginManager
from v2m_core.schemas import CompositionPlan


def test_fixtures_come_from_the_pytest_plugin(v2m_manager: PluginManager, v2m_sample_plan: CompositionPlan) -> None:
    assert all(record.source == "builtin" for record in v2m_manager.records())
    assert "rules" in v2m_manager.names(PluginKind.PLANNER)
    assert len(v2m_sample_plan.chords) == 8 and v2m_sample_plan.duration == 16.0


def test_sample_plan_puts_a_downbeat_and_a_chord_change_on_its_cut(v2m_sample_plan: CompositionPlan) -> None:
    cut = v2m_sample_plan.cuts[0]
    assert cut in v2m_sample_plan.downbeats()
    assert any(abs(chord.start - cut) < 1e-9 for chord in v2m_sample_plan.chords)
