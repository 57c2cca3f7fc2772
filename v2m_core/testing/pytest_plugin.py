"""pytest plugin (entry point `pytest11: v2m`): fixtures for plugin authors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from v2m_core.plugins.manager import PluginManager
from v2m_core.schemas.plan import CompositionPlan
from v2m_core.testing.fixtures import isolated_manager, sample_plan


@dataclass(frozen=True)
class CliResult:
    """What one `v2m ...` call returned and printed."""

    code: int
    out: str
    err: str


@pytest.fixture
def v2m_manager() -> PluginManager:
    """Built-in plugins only: installed entry points and V2M_* variables are ignored."""
    return isolated_manager()


@pytest.fixture
def v2m_sample_plan() -> CompositionPlan:
    return sample_plan()


@pytest.fixture
def v2m_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Call `v2m ARGS...` in-process (as a user would, with installed plugins) and capture what it printed;
    COLUMNS is widened so rich never wraps a name."""
    from v2m_cli.app import main

    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> CliResult:
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
