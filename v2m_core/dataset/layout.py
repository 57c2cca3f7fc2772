"""Where a dataset keeps things: a folder per video, `dataset.json` at the root, the step cache in `.v2m/`.

```
DATASET/
  dataset.json            videos, splits, chord vocabulary, feature spec (written last)
  failures.json           videos that failed: video, step, error
  videos/<id>/            per-video step outputs (.npy, .lab, .json, .wav, .mid)
  .v2m/manifests/<id>/    one StepManifest per step: the cache (timings live here, nowhere else)
```
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from v2m_core.errors import MediaError, UsageError

DATASET_FILE = "dataset.json"
FAILURES_FILE = "failures.json"
VIDEOS_FOLDER = "videos"
CACHE_FOLDER = ".v2m"
VIDEO_SUFFIXES: frozenset[str] = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi"})
TEMPORARY_MARK = ".v2m-tmp"
"""Part of every temporary name `v2m_core.atomic` makes; a killed run can leave such files behind."""


@dataclass(frozen=True)
class DatasetLayout:
    root: Path

    @property
    def dataset_file(self) -> Path:
        return self.root / DATASET_FILE

    @property
    def failures_file(self) -> Path:
        return self.root / FAILURES_FILE

    def video_folder(self, video_id: str) -> Path:
        return self.root / VIDEOS_FOLDER / video_id

    def manifest_folder(self, video_id: str) -> Path:
        return self.root / CACHE_FOLDER / "manifests" / video_id

    def manifest_file(self, video_id: str, step: str) -> Path:
        return self.manifest_folder(video_id) / f"{step}.json"

    def create(self) -> None:
        """Make the dataset folder and prove a file can be created in it, before any video is decoded (creating
        one is the only reliable test: root passes os.access everywhere)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            tempfile.TemporaryFile(dir=self.root).close()
        except OSError as error:
            raise MediaError(self.root, f"cannot write the dataset here ({error.strerror or error})") from None


def video_id(path: Path, base: Path) -> str:
    """Stable id from the path below `base`: folders joined by '__', unusual characters as '_'."""
    relative = path.relative_to(base).with_suffix("")
    return re.sub(r"[^A-Za-z0-9._-]", "_", "__".join(relative.parts))


def find_videos(folder: Path) -> dict[str, Path]:
    """Every video file under `folder`, by id, sorted; two files with one id are a usage error."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder of videos")
    videos: dict[str, Path] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES):
        identifier = video_id(path, folder)
        if identifier in videos:
            raise UsageError(f"{videos[identifier]} and {path} both map to video id '{identifier}'; rename one")
        videos[identifier] = path
    return videos


def remove_temporaries(folder: Path) -> None:
    """Delete temporary files a killed run left behind, so the folder holds only committed files."""
    if folder.is_dir():
        for path in folder.iterdir():
            if TEMPORARY_MARK in path.name and path.is_file():
                path.unlink(missing_ok=True)
