"""Run a core-steps build in a process of its own, so a test can kill it with SIGKILL at any moment."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.dataset.music_videos import core_config, dataset_manager  # noqa: E402

from v2m_core.dataset.build import build_dataset  # noqa: E402

if __name__ == "__main__":
    build_dataset(Path(sys.argv[1]), Path(sys.argv[2]), core_config(), dataset_manager())
