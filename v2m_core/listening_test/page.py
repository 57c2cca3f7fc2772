"""The listening test's page: the clips with nothing that names their system, the questions, and a script that
draws each listener's order from the test's seed and the listener's name and downloads the answers as JSON.

The clips are listed in a seeded random order too, so not even the page's source says which is which.
"""

from __future__ import annotations

import random
from typing import Any

from v2m_core.listening_test.schema import AXES, SCALE, ListeningTestKey
from v2m_core.report.media import PageMedia
from v2m_core.report.shell import asset, html_page

PACKAGE = "v2m_core.listening_test"


def render_page(key: ListeningTestKey, media: PageMedia) -> str:
    """The page, which will live in `media.page_folder` (the test's folder)."""
    folder = media.page_folder
    clips = list(key.clips)
    random.Random(key.seed).shuffle(clips)
    data: dict[str, Any] = {
        "test": key.test_id, "mode": key.mode, "seed": key.seed, "scale": list(SCALE),
        "axes": [{"key": axis, "name": name, "question": question} for axis, (name, question) in AXES.items()],
        "clips": [{"id": clip.id, "video": clip.video, "src": media.source(folder / clip.file)} for clip in clips],
    }
    body = ("<header><h1>Listening test</h1><p class='sub' id='progress'></p></header>"
            "<section id='stage'></section>"
            "<noscript><p class='note'>This page needs JavaScript to play the clips and record the answers.</p>"
            "</noscript>")
    return html_page("Listening test", body, [asset(PACKAGE, "listening.css")], asset(PACKAGE, "listening.js"), data)
