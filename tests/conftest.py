"""Shared test helpers: run the CLI in-process and capture what it printed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from v2m_cli.app import main


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Call `v2m ARGS...` in-process; COLUMNS is widened so rich never wraps a name."""
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> CliResult:
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
