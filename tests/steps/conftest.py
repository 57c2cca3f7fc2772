"""Fixtures shared by the step tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from v2m_core.schemas.analysis import VideoProbe
from v2m_core.steps import frame_pass


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every video the frame pass decodes, once per decode."""
    opened: list[Path] = []
    real = frame_pass.iter_decoded

    def counted(path: Path, probe: VideoProbe | None = None):  # type: ignore[no-untyped-def]
        opened.append(Path(path))
        return real(path, probe)

    monkeypatch.setattr(frame_pass, "iter_decoded", counted)
    return opened
