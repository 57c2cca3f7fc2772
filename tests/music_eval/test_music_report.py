"""`v2m report`: the page a user shares, opened and played in headless Chromium (tests/music_eval/browser.py)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.music_eval.browser import chromium, keep_screenshot
from v2m_cli.app import main
from v2m_core.compose.pipeline import compose
from v2m_core.evaluation.target import read_midi
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.music.theory import key_name
from v2m_core.report.page import write_report
from v2m_core.schemas.composition import Composition
from v2m_core.schemas.config import ComposeConfig

if TYPE_CHECKING:
    from playwright.sync_api import Page

SCENES = [SceneSpec(2.0, "smptebars", brightness=0.4, saturation=0.5, motion="static"),
          SceneSpec(2.0, "mandelbrot", brightness=0.9, saturation=0.9, motion="slow"),
          SceneSpec(2.0, "testsrc2", brightness=1.4, saturation=1.6, motion="fast")]


@pytest.fixture(scope="module")
def kept_with_stems(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 6 s video with its own sound, composed with --keep and --stems; returns the work folder."""
    folder = tmp_path_factory.mktemp("report")
    make_video(folder / "input.mp4", SCENES, size=(320, 180), fps=25, audio=True)
    compose(folder / "input.mp4", folder / "output.mp4", ComposeConfig(seed=3, original_audio="replace"),
            keep=folder / "work", stems=True)
    return folder / "work"


@pytest.fixture(scope="module")
def page_path(kept_with_stems: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = tmp_path_factory.mktemp("page") / "report.html"
    assert main(["report", str(kept_with_stems), "-o", str(page)]) == 0
    return page


@pytest.fixture(scope="module")
def opened(page_path: Path) -> Iterator[Page]:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_path.as_uri())
        page.evaluate("window.$id = (id) => document.getElementById(id)")
        page.wait_for_function("$id('video').readyState >= 2")
        yield page
        assert not errors, errors


def test_the_page_says_what_was_composed_and_embeds_everything(opened: Page, page_path: Path,
                                                               kept_with_stems: Path) -> None:
    page = opened
    assert page.title() == "Music for input.mp4 · v2m"
    settings = page.inner_text("dl.settings")
    for label in ("Style", "Key", "Tempo map", "Seed", "Planner", "Renderers", "Synthesizer"):
        assert label.upper() in settings.upper()
    assert "\n3\n" in settings and "rules" in settings and "chords, bass, melody, drums" in settings
    plan = Composition.model_validate_json((kept_with_stems / "composition.json").read_text(encoding="utf-8")).plan
    assert key_name(plan.key) in settings and f"\n{plan.style}\n" in settings
    text = page_path.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text and not re.search(r"(src|href)=['\"]?(https?:|//)", text)
    midi = page.get_attribute("a[download$='.mid']", "href")
    assert midi.startswith("data:audio/midi;base64,")
    assert base64.b64decode(midi.split(",", 1)[1]) == (kept_with_stems / "music.mid").read_bytes()
    assert page.get_attribute("a[download$='.wav']", "href").startswith("data:audio/wav;base64,")
    tracks, _, _ = read_midi(kept_with_stems / "music.mid")
    assert int(page.get_attribute("#pianoroll", "data-notes")) == sum(len(track.notes) for track in tracks)


def test_the_playhead_follows_the_video_and_seeks_it(opened: Page) -> None:
    page = opened
    assert float(page.get_attribute("#playhead", "data-x")) == 0
    page.evaluate("$id('video').play()")
    page.wait_for_function("$id('playhead').dataset.time > 0.4")
    page.evaluate("$id('video').pause()")
    x, time, current, pps = page.evaluate("[+$id('playhead').dataset.x, +$id('playhead').dataset.time, "
                                          "$id('video').currentTime, +$id('scroll').dataset.pps]")
    assert x > 0 and abs(time - current) < 0.1 and abs(x - time * pps) < 0.5
    assert "bar 1 beat" in page.inner_text("#now")
    page.locator("#inner").click(position={"x": 4.0 * pps, "y": 40})
    assert abs(page.evaluate("$id('video').currentTime") - 4.0) < 0.1
    assert abs(float(page.get_attribute("#playhead", "data-x")) - 4.0 * pps) < 1


def test_the_ab_switch_changes_the_soundtrack_and_stems_play(opened: Page, tmp_path: Path) -> None:
    page = opened
    page.evaluate("$id('video').currentTime = 1; $id('video').play()")
    page.click("text=B · original")
    page.wait_for_function("$id('track-original').currentTime > 1.3")
    state = page.evaluate("[document.body.dataset.soundtrack, $id('video').muted, $id('track-original').paused,"
                          " Math.abs($id('track-original').currentTime - $id('video').currentTime)]")
    assert state[:3] == ["original", True, False] and state[3] < 0.3
    page.click("text=A · new soundtrack")
    assert page.evaluate("[$id('video').muted, $id('track-original').paused]") == [False, True]
    page.check("input[value='stem-2']")
    page.wait_for_function("$id('stem-2').currentTime > 0.2 && !$id('stem-2').paused")
    assert page.evaluate("[document.body.dataset.soundtrack, $id('video').muted]") == ["stem-2", True]
    page.evaluate("$id('video').pause()")
    page.wait_for_function("$id('stem-2').paused")
    assert page.evaluate("document.querySelectorAll('audio[id^=stem-]').length") == 4
    keep_screenshot(page, tmp_path, "report.png")
    assert (tmp_path / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_measure_has_its_target_verdict_and_explanation(opened: Page) -> None:
    page = opened
    rows = page.locator("#measures tr[id^=measure-]")
    assert rows.count() >= 30
    cuts = page.locator("#measure-cuts_on_beat")
    assert cuts.get_attribute("class") in ("pass", "warn") and "≥0.6" in cuts.inner_text()
    assert page.locator("#measure-melody_phrase_bars").get_attribute("class") == "info"
    assert all(text.strip() for text in page.locator("#measures tr[id^=measure-] td:last-child").all_inner_texts())


def test_a_bare_video_links_big_media_and_says_what_it_lacks(kept_with_stems: Path, tmp_path: Path) -> None:
    page = tmp_path / "pages" / "report.html"
    linked = write_report(kept_with_stems.parent / "output.mp4", page, embed_limit=1000)
    text = page.read_text(encoding="utf-8")
    assert linked == [kept_with_stems.parent / "output.mp4"]
    assert "src='../../" in text and "output.mp4'" in text and "data:video" not in text
    assert "The timeline needs plan.json" in text and "id='page-data'" not in text
    assert "Linked, not embedded" in text and "plan.json and music.mid" in text
