"""Fixtures for the music tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.music.synthetic_analysis import build_analysis

from v2m_core.schemas.analysis import VideoAnalysis

MakeAnalysis = Callable[..., VideoAnalysis]


@pytest.fixture
def make_analysis() -> MakeAnalysis:
    """Factory: make_analysis(duration, cuts=None, calm=False)."""
    return build_analysis
