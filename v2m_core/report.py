"""`v2m report`: one HTML page to watch or hear a composition beside its plot and its measures.

The page is self-contained when it can be: the plot is always an embedded PNG, and media files up
to EMBED_LIMIT bytes are embedded as base64 data URIs. Bigger media are linked by a path relative
to the page (base64 grows them by a third and browsers struggle with data URIs of hundreds of MB),
so such a page must stay beside its video.
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
from pathlib import Path

from v2m_core.atomic import atomic_write_text
from v2m_core.evaluation.music import MusicEvaluation, evaluate_target
from v2m_core.evaluation.target import EvalTarget, load_target

EMBED_LIMIT = 25 * 1024 * 1024
MIME = {".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime", ".mkv": "video/x-matroska",
        ".webm": "video/webm", ".wav": "audio/wav"}
STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
         "video,img{max-width:100%}table{border-collapse:collapse}"
         "td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}.note{color:#a40}")


def write_report(target: Path, output: Path) -> None:
    loaded = load_target(Path(target))
    evaluation = evaluate_target(loaded)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(output, render_report(loaded, evaluation, output.parent))


def render_report(target: EvalTarget, evaluation: MusicEvaluation, page_folder: Path) -> str:
    title = html.escape(f"v2m report: {target.source.name}")
    head = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title><style>{STYLE}</style>"
            f"</head><body><h1>{title}</h1>")
    parts = [head, _media(target, page_folder), _plot(target), _table(evaluation),
             "</body></html>"]
    return "\n".join(parts)


def _source(path: Path, page_folder: Path) -> str:
    mime = MIME.get(path.suffix.lower(), "application/octet-stream")
    if path.stat().st_size <= EMBED_LIMIT:
        return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
    return html.escape(Path(os.path.relpath(path.resolve(), page_folder.resolve())).as_posix())


def _media(target: EvalTarget, page_folder: Path) -> str:
    if target.video is not None:
        return f"<h2>Video</h2><video controls width='960' src='{_source(target.video, page_folder)}'></video>"
    if target.audio_path is not None:
        return f"<h2>Music</h2><audio controls src='{_source(target.audio_path, page_folder)}'></audio>"
    return "<p class='note'>No video or music file to play.</p>"


def _plot(target: EvalTarget) -> str:
    if target.analysis is None or target.plan is None:
        return "<p class='note'>No plot: it needs composition.json from v2m compose --keep DIR.</p>"
    from v2m_core.compose.plot import plot_composition

    with tempfile.TemporaryDirectory(prefix="v2m-report-") as folder:
        png = Path(folder) / "plot.png"
        plot_composition(target.analysis, target.plan, png)
        data = base64.b64encode(png.read_bytes()).decode("ascii")
    return f"<h2>Features, chords and beats</h2><img alt='composition plot' src='data:image/png;base64,{data}'>"


def _table(evaluation: MusicEvaluation) -> str:
    rows = "".join(f"<tr><td>{html.escape(name)}</td><td>{'n/a' if value is None else value}</td></tr>"
                   for name, value in evaluation.metrics.items())
    notes = "".join(f"<p class='note'>{html.escape(line)}</p>" for line in evaluation.missing)
    return (f"<h2>Measures</h2><table><tr><th>measure</th><th>value</th></tr>{rows}</table>{notes}"
            "<p>Definitions: docs/music-evaluation.md</p>")
