"""The step cache: content hashes, cache keys and the per-step manifests that commit a step's results.

A step's key hashes (step, plugin, version, parameters, dependencies, input hashes). A step is
reused only when its manifest holds the same key and every output still has its recorded hash
(DVC's rule; existence alone would reuse stale files). The manifest is written after the outputs,
so a run killed in between leaves no manifest and the step simply runs again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from v2m_core.atomic import atomic_write_text
from v2m_core.schemas.manifest import StepManifest

CHUNK = 1 << 20


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_hashes(folder: Path, names: Iterable[str]) -> dict[str, str]:
    return {name: file_hash(folder / name) for name in names}


def step_key(step: str, plugin: str, version: str, parameters: Mapping[str, Any], dependencies: Mapping[str, str],
             input_hashes: Mapping[str, str]) -> str:
    material = {"step": step, "plugin": plugin, "version": version, "parameters": parameters,
                "dependencies": dependencies, "inputs": input_hashes}
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def read_manifest(path: Path) -> StepManifest | None:
    """The manifest, or None when missing or unreadable (a damaged manifest just means: run again)."""
    try:
        return StepManifest.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError, ValueError):
        return None


def write_manifest(path: Path, manifest: StepManifest) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, manifest.model_dump_json(indent=2) + "\n")


def is_current(manifest: StepManifest | None, key: str, folder: Path, outputs: Iterable[str]) -> bool:
    """Same key, and every declared output present with the hash the manifest recorded."""
    if manifest is None or manifest.key != key:
        return False
    for name in outputs:
        path = folder / name
        if name not in manifest.output_hashes or not path.is_file() or file_hash(path) != manifest.output_hashes[name]:
            return False
    return True
