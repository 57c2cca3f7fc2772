"""The frame of a self-contained page: one HTML file with its style, its data and its script inline (no CDN, no
other file but the media a page links), shared by `v2m report` and the listening test."""

from __future__ import annotations

import html
import json
from importlib.resources import files


def text(value: object) -> str:
    """`value` escaped for HTML text and quoted attributes."""
    return html.escape(str(value), quote=True)


def asset(package: str, name: str) -> str:
    """A stylesheet or script shipped beside the module that draws the page."""
    return files(package).joinpath(name).read_text(encoding="utf-8")


def html_page(title: str, body: str, styles: list[str], script: str, data: object | None = None) -> str:
    """The whole page; `data` becomes the JSON of `<script id='page-data'>`, which the script reads."""
    payload = ""
    if data is not None:
        escaped = json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")  # no "</script>" inside it
        payload = f"<script type='application/json' id='page-data'>{escaped}</script>"
    style = "\n".join([asset("v2m_core.report", "base.css"), *styles])
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{text(title)}</title>"
            f"<style>{style}</style></head><body><main>{body}</main>{payload}<script>{script}</script></body></html>")
