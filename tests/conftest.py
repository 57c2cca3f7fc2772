"""Shared test helpers: the kit's in-process CLI runner under the name these tests use."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from v2m_core.testing.pytest_plugin import CliResult


@pytest.fixture
def cli(v2m_cli: Callable[..., CliResult]) -> Callable[..., CliResult]:
    return v2m_cli
