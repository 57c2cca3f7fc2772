"""`v2m report`: an HTML page with the video, the plot and the measures, checked in headless Chromium.

Chromium comes from Debian's `chromium` package, which scripts/setup.sh installs; its absence fails.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.compose.conftest import Composed

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run")


def _chromium(page: Path, profile: Path, *arguments: str) -> str:
    binary = shutil.which("chromium")
    assert binary, "chromium is missing: scripts/setup.sh installs Debian's chromium package"
    result = subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *arguments, page.resolve().as_uri()],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_report_shows_video_plot_and_measures_in_chromium(cli, kept: Composed, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = cli("report", str(kept.work), "-o", str(page))
    assert result.code == 0, result.err
    dom = _chromium(page, tmp_path / "profile-dom", "--dump-dom")
    assert "<video" in dom and "data:video/mp4;base64," in dom
    assert "<img" in dom and "data:image/png;base64," in dom
    assert "cut_downbeat_chord" in dom and "integrated_lufs" in dom
    _chromium(page, tmp_path / "profile-shot", f"--screenshot={tmp_path / 'shot.png'}", "--window-size=1200,1600")
    assert (tmp_path / "shot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_of_a_bare_video_links_big_media_and_explains_the_missing_plot(kept: Composed, tmp_path: Path,
                                                                             monkeypatch) -> None:
    from v2m_core import report

    monkeypatch.setattr(report, "EMBED_LIMIT", 1000)
    page = tmp_path / "pages" / "report.html"
    report.write_report(kept.output, page)
    text = page.read_text()
    assert "src='../../" in text and "output.mp4'" in text and "data:video" not in text
    assert "No plot" in text and "plan.json and music.mid" in text
