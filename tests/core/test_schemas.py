"""Schemas: committed JSON Schema files match the models; versions are checked on read."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from v2m_core.schemas import ChordTimeline, PERSISTED_MODELS
from v2m_core.schemas.export import export_schemas, schema_documents, stale_schemas

COMMITTED = Path(__file__).resolve().parents[2] / "schemas"


def test_committed_schemas_are_current() -> None:
    stale = stale_schemas(COMMITTED)
    assert not stale, f"run 'v2m schemas export': stale {stale}"


def test_editing_a_model_makes_the_schemas_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export_schemas(tmp_path)
    assert stale_schemas(tmp_path) == []
    documents = schema_documents()
    edited = {name: text.replace('"segments"', '"pieces"') for name, text in documents.items()}
    monkeypatch.setattr("v2m_core.schemas.export.schema_documents", lambda: edited)
    assert "chord_timeline.json" in stale_schemas(tmp_path)


def test_every_persisted_model_has_a_version() -> None:
    for model in PERSISTED_MODELS:
        assert "schema_version" in model.model_fields


def test_unknown_schema_version_is_refused() -> None:
    with pytest.raises(ValidationError, match="schema_version 99"):
        ChordTimeline.model_validate({"schema_version": 99, "segments": [], "vocabulary": "majmin"})
    assert ChordTimeline(segments=[], vocabulary="majmin").schema_version == 1


def test_export_cli_writes_and_checks(cli, tmp_path: Path) -> None:
    assert cli("schemas", "export", "-o", str(tmp_path)).code == 0
    assert cli("schemas", "export", "-o", str(tmp_path), "--check").code == 0
    (tmp_path / "chord_timeline.json").write_text("{}")
    result = cli("schemas", "export", "-o", str(tmp_path), "--check")
    assert result.code == 1 and "chord_timeline.json" in result.err
