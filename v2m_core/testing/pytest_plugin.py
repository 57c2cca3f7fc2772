"""pytest plugin (entry point `pytest11: v2m`): fixtures for plugin authors."""

from __future__ import annotations

import pytest

from v2m_core.plugins.manager import PluginManager
from v2m_core.schemas.plan import CompositionPlan
from v2m_core.testing.fixtures import isolated_manager, sample_plan


@pytest.fixture
def v2m_manager() -> PluginManager:
    """Built-in plugins only: installed entry points and V2M_* variables are ignored."""
    return isolated_manager()


@pytest.fixture
def v2m_sample_plan() -> CompositionPlan:
    return sample_plan()
