"""The CLI's conventions: version, exit codes, one-line errors, tracebacks only with --debug."""

from __future__ import annotations

import importlib
import json

import pytest

from v2m_core import __version__


def test_version(cli) -> None:
    result = cli("--version")
    assert result.code == 0 and result.out.strip() == f"v2m {__version__}"


def test_plugins_list_json_has_every_kind(cli) -> None:
    result = cli("plugins", "list", "--format", "json")
    kinds = {row["kind"] for row in json.loads(result.out)}
    assert result.code == 0
    assert kinds >= {"step", "recognizer", "fusion", "planner", "renderer", "synthesizer", "executor"}


def test_plugins_list_filters_by_kind(cli) -> None:
    rows = json.loads(cli("plugins", "list", "--kind", "fusion", "--format", "json").out)
    assert {row["name"] for row in rows} >= {"concat", "attention"} and {row["kind"] for row in rows} == {"fusion"}


def test_plugins_info_shows_settings(cli) -> None:
    result = cli("plugins", "info", "processes", "--format", "json")
    info = json.loads(result.out)[0]
    assert info["settings"]["workers"]["default"] == 0 and info["kind"] == "executor"


def test_unknown_plugin_exits_2_and_lists_names(cli) -> None:
    result = cli("plugins", "info", "theremin")
    assert result.code == 2
    assert "theremin" in result.err and "fluidsynth" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_usage_error_exits_2(cli) -> None:
    assert cli("plugins", "list", "--kind", "nonsense").code == 2
    assert cli("no-such-command").code == 2


def test_debug_shows_the_traceback(cli) -> None:
    with pytest.raises(Exception, match="theremin"):
        cli("--debug", "plugins", "info", "theremin")


def test_an_unexpected_error_is_one_line(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug still reaches the user as one line (pydantic's several-line messages included), not a traceback."""
    from pydantic import BaseModel, ValidationError

    class Shape(BaseModel):
        sides: int

    try:
        Shape.model_validate({"sides": "many"})
    except ValidationError as error:
        problem = error
    def broken(*args: object) -> None:
        raise problem

    monkeypatch.setattr(importlib.import_module("v2m_core.compose.request"), "check_request", broken)
    result = cli("config", "show")
    lines = result.err.strip().splitlines()
    assert result.code == 1 and len(lines) == 1, result.err
    assert lines[0].startswith("internal error: ValidationError: key 'sides'"), result.err


def test_evaluate_is_a_deprecated_alias_of_eval_model(cli) -> None:
    new, old = cli("eval", "model", "only.pt"), cli("evaluate", "only.pt")
    assert new.code == old.code == 2 and "give at least one checkpoint" in new.err + old.err
    assert "deprecated" not in new.err
    assert "The command 'evaluate' is deprecated. Use `v2m eval model`" in old.err
