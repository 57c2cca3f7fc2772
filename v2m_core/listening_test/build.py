"""Making a listening test: every video composed by every system, the key that says which clip is which, and
the page that plays them blind."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from v2m_core.atomic import atomic_write_text
from v2m_core.errors import MediaError, UsageError
from v2m_core.listening_test.page import render_page
from v2m_core.listening_test.schema import KEY, PAGE, Clip, ListeningTestKey, Mode
from v2m_core.listening_test.systems import System, check_systems
from v2m_core.output_paths import check_output_folder
from v2m_core.plugins.manager import PluginManager
from v2m_core.report.media import EMBED_LIMIT, PageMedia


@dataclass(frozen=True)
class ListeningTest:
    key: ListeningTestKey
    page: Path
    linked: list[Path]
    """Clips the page links rather than embeds: the listeners need the clips/ folder beside it."""


def make_listening_test(videos: Sequence[Path], systems: Sequence[System], folder: Path, *, mode: Mode = "ratings",
                        seed: int = 0, plugins: PluginManager | None = None,
                        progress: Callable[[int, int, Path, System], None] | None = None,
                        embed_limit: int = EMBED_LIMIT) -> ListeningTest:
    """Compose each of `videos` with each of `systems` into `folder`/clips/, write `folder`/key.json and the page
    `folder`/index.html (clips embedded while `embed_limit` bytes last, else linked). Everything a user can get
    wrong is checked before the first compose; `progress` is called before each one with (done, total, video,
    system)."""
    from v2m_core.compose.pipeline import compose

    videos, folder = [Path(video) for video in videos], Path(folder)
    if not videos:
        raise UsageError("a listening test needs at least one video")
    if not systems:
        raise UsageError("a listening test needs at least one system, e.g. --systems rules")
    if mode == "ab" and len(systems) < 2:
        raise UsageError("the A/B mode compares systems: give two or more")
    for video in videos:
        if not video.is_file():
            raise MediaError(video, "file not found" if not video.exists() else "not a file")
    manager = plugins or PluginManager()
    check_systems(list(systems), manager)
    check_output_folder(folder, videos, "listening test")
    (folder / "clips").mkdir(parents=True, exist_ok=True)
    clips: list[Clip] = []
    for video_index, video in enumerate(videos):
        for system_index, system in enumerate(systems):
            if progress is not None:
                progress(len(clips), len(videos) * len(systems), video, system)
            name = hashlib.sha256(f"{seed}:{video_index}:{system_index}".encode()).hexdigest()[:10]
            clip = Clip(id=name, video=video_index, system=system_index, file=f"clips/{name}.mp4")
            compose(video, folder / clip.file, system.config, plugin_settings=system.plugin_settings, plugins=manager)
            clips.append(clip)
    key = ListeningTestKey(test_id=_test_id(folder, clips, seed), mode=mode, seed=seed,
                           systems=[system.spec for system in systems], videos=[video.name for video in videos],
                           clips=clips)
    atomic_write_text(folder / KEY, key.model_dump_json(indent=2) + "\n")
    media = PageMedia(folder, embed_limit)
    atomic_write_text(folder / PAGE, render_page(key, media))
    return ListeningTest(key, folder / PAGE, media.linked)


def _test_id(folder: Path, clips: list[Clip], seed: int) -> str:
    """A digest of the clips' bytes and the seed: answers given to another test (or to this folder before its
    clips were made again) are refused by the results."""
    digest = hashlib.sha256(json.dumps([seed, [clip.model_dump() for clip in clips]]).encode())
    for clip in clips:
        digest.update(hashlib.sha256((folder / clip.file).read_bytes()).digest())
    return digest.hexdigest()[:16]
