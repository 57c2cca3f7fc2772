"""Reading and atomically writing the files steps exchange in a video's work folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from v2m_core.atomic import atomic_path, atomic_write_text
from v2m_core.schemas.analysis import VideoProbe


def write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, indent=2) + "\n")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write_array(path: Path, array: np.ndarray) -> None:
    """Save as float32 .npy (through a file handle, so numpy does not append a second suffix)."""
    with atomic_path(path) as temporary, temporary.open("wb") as handle:
        np.save(handle, np.asarray(array, dtype=np.float32))


def read_array(path: Path) -> np.ndarray:
    return np.load(path, allow_pickle=False)


def write_probe(path: Path, probe: VideoProbe) -> None:
    write_json(path, probe.model_dump(mode="json"))


def read_probe(path: Path) -> VideoProbe:
    return VideoProbe.model_validate(read_json(path))


def second_count(duration: float) -> int:
    """Rows of every per-second array: one per started second, at least one."""
    return max(1, int(np.ceil(duration - 1e-6)))
