"""Media in a self-contained page: embedded as data URIs while the page's byte budget lasts, then linked.

Base64 grows a file by a third and browsers handle data URIs of hundreds of MB badly, so a page embeds at
most EMBED_LIMIT bytes of media, in the order its builder asks (the most important first); the rest are
linked by a path relative to the page, which must then stay beside them. Players get AAC (a megabyte a
minute at 128 kbit/s) rather than WAV, so stems and the original soundtrack usually fit.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from v2m_core.media.ffmpeg import media_url, run_ffmpeg

EMBED_LIMIT = 25 * 1024 * 1024
MIME = {".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime", ".mkv": "video/x-matroska",
        ".webm": "video/webm", ".wav": "audio/wav", ".m4a": "audio/mp4", ".mid": "audio/midi"}
PLAYER_BITRATE = "128k"


@dataclass
class PageMedia:
    """The sources of one page's media; `linked` lists the files the page refers to instead of holding."""

    page_folder: Path
    budget: int = EMBED_LIMIT
    linked: list[Path] = field(default_factory=list)

    def source(self, path: Path) -> str:
        """A data URI while the budget lasts, else a URL relative to the page (not yet HTML-escaped)."""
        path = Path(path)
        size = path.stat().st_size
        if size > self.budget:
            return self._link(path)
        self.budget -= size
        mime = MIME.get(path.suffix.lower(), "application/octet-stream")
        return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"

    def player(self, path: Path, scratch: Path) -> str:
        """For an audio player: the sound of `path` (a video or a WAV) embedded as AAC while the budget lasts,
        else a link to `path` itself (browsers play a WAV, and a video's sound in an audio element)."""
        encoded = player_audio(path, scratch / f"{len(list(scratch.iterdir()))}-{Path(path).stem}.m4a")
        if encoded.stat().st_size > self.budget:
            return self._link(path)
        return self.source(encoded)

    def _link(self, path: Path) -> str:
        self.linked.append(path)
        return quote(Path(os.path.relpath(path.resolve(), self.page_folder.resolve())).as_posix())


def player_audio(source: Path, target: Path) -> Path:
    """The first audio stream of `source` (a video or a WAV) as AAC in `target` (.m4a), for a page's player."""
    run_ffmpeg(["-i", media_url(source), "-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a", PLAYER_BITRATE,
                "-movflags", "+faststart", media_url(target)], blame=Path(source))
    return target
