"""Model files as one dict of tensors and plain containers, tagged with a format name.

Shared by every model v2m trains (the AMT, the drum and melody models): writes are atomic, and
loading uses `torch.load(weights_only=True)`, so a model file can never run code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from v2m_core.atomic import atomic_path
from v2m_core.errors import UsageError


def write_payload(path: Path, payload: dict[str, Any]) -> None:
    """Write `payload` (which must hold a "format" entry) to `path`, replacing it only when complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as temporary:
        torch.save(payload, temporary)


def read_payload(path: Path, form: str, what: str, device: str = "cpu") -> dict[str, Any]:
    """The payload of a `form` file; a missing, foreign or damaged file is a one-line usage error
    that calls the file a `what` (for example "v2m drum model (train one with ...)")."""
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file (expected a {what})")
    try:
        payload = torch.load(path, map_location=device, weights_only=True)
    except Exception as error:  # noqa: BLE001 - torch raises several types for a foreign or damaged file
        raise UsageError(f"{path}: not a {what} ({' '.join(str(error).split())[:200]})") from None
    found = payload.get("format") if isinstance(payload, dict) else None
    if found != form:
        raise UsageError(f"{path}: not a {what} (format {found or '?'}, expected {form})")
    return payload
