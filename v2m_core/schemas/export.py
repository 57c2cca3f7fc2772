"""JSON Schema files generated from the persisted models (the models are the source of truth)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from v2m_core.atomic import atomic_write_text
from v2m_core.schemas import PERSISTED_MODELS


def _file_name(model_name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model_name).lower().replace("v2_m", "v2m") + ".json"


def schema_documents() -> dict[str, str]:
    """File name -> JSON text, deterministic so a diff shows exactly what changed."""
    return {_file_name(model.__name__): json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"
            for model in PERSISTED_MODELS}


def export_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents().items():
        atomic_write_text(folder / name, text)
        written.append(folder / name)
    return written


def stale_schemas(folder: Path) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    return [name for name, text in schema_documents().items()
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]
