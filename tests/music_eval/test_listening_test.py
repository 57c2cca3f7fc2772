"""`v2m listening-test`: two short videos composed by two systems, a scripted listener in headless Chromium
(tests/music_eval/browser.py) rating the clips blind, the downloaded answers aggregated."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.music_eval.browser import chromium, keep_screenshot
from v2m_cli.app import main
from v2m_core.errors import MediaError, UsageError
from v2m_core.listening_test.page import render_page
from v2m_core.listening_test.results import load_answers, summarise
from v2m_core.listening_test.schema import AXES, ListeningTestKey
from v2m_core.listening_test.systems import check_systems, parse_system
from v2m_core.media.synthetic import SceneSpec, make_video
from v2m_core.plugins.manager import PluginManager
from v2m_core.report.media import PageMedia

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SYSTEMS = ("rules", "rules,style=ambient,seed=5")
SCORES = {"ann": (4, 2), "bob": (5, 3)}
"""Each listener's overall score for a clip of system 0 and of system 1; the other axes get 3."""


@pytest.fixture(scope="module")
def test_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("listening")
    videos = []
    for name, pattern in (("city.mp4", "testsrc2"), ("sea.mp4", "mandelbrot")):
        scenes = [SceneSpec(1.2, "smptebars", motion="static"), SceneSpec(1.2, pattern, motion="slow")]
        make_video(folder / name, scenes, size=(160, 90), fps=25)
        videos.append(str(folder / name))
    code = main(["listening-test", *videos, "--systems", *SYSTEMS, "-o", str(folder / "test"), "--seed", "7"])
    assert code == 0
    return folder / "test"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as opened:
        yield opened


def _key(folder: Path) -> ListeningTestKey:
    return ListeningTestKey.model_validate_json((folder / "key.json").read_text(encoding="utf-8"))


def _listen(page: Page, clip: str) -> None:
    """Play a clip through at 16x, as a listener who heard it all."""
    video = f"document.querySelector('video[data-clip=\"{clip}\"]')"
    page.evaluate(f"{video}.playbackRate = 16; {video}.play()")
    page.wait_for_function(f"{video}.ended")


def _disabled(page: Page, selector: str) -> bool:
    """A fieldset's own `disabled` (Playwright's is_disabled looks at form controls only)."""
    return page.eval_on_selector(selector, "node => node.disabled")


def _take_ratings(browser: Browser, page_path: Path, listener: str, downloads: Path,
                  screenshot: str | None = None) -> tuple[Path, list[str]]:
    key = _key(page_path.parent)
    system_of = {clip.id: clip.system for clip in key.clips}
    page = browser.new_page(accept_downloads=True)
    page.goto(page_path.as_uri())
    page.fill("#listener", listener)
    page.click("#start")
    shown = []
    for _ in key.clips:
        clip = page.get_attribute("video", "data-clip")
        shown.append(clip)
        assert page.is_disabled("#next") and _disabled(page, "fieldset[data-axis=overall]")
        _listen(page, clip)
        scores = {axis: SCORES[listener][system_of[clip]] if axis == "overall" else 3 for axis in AXES}
        page.evaluate("""scores => { for (const [axis, score] of Object.entries(scores)) document.querySelector(
            `fieldset[data-axis=${axis}] input[value='${score}']`).closest("label").click(); }""", scores)
        if screenshot and len(shown) == 1:
            keep_screenshot(page, downloads, screenshot)
        page.click("#next")
    with page.expect_download() as download:
        page.click("#download")
    target = downloads / download.value.suggested_filename
    download.value.save_as(target)
    page.close()
    return target, shown


def _order(browser: Browser, page_path: Path, listener: str) -> list[str]:
    """The trials a listener is given, as the page keeps them for resuming (in local storage)."""
    page = browser.new_page()
    page.goto(page_path.as_uri())
    page.fill("#listener", listener)
    page.click("#start")
    state = page.evaluate("JSON.parse(Object.values(localStorage)[0])")
    page.close()
    return [trial[0] for trial in state["trials"]]


def test_the_page_is_blind_and_self_contained(test_folder: Path) -> None:
    text = (test_folder / "index.html").read_text(encoding="utf-8")
    assert "data:video/mp4;base64," in text and "clips/" not in text
    for spec in SYSTEMS:
        assert spec not in text and "ambient" not in text
    key = _key(test_folder)
    assert key.systems == list(SYSTEMS) and key.videos == ["city.mp4", "sea.mp4"] and len(key.clips) == 4
    assert sorted((clip.video, clip.system) for clip in key.clips) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert all((test_folder / clip.file).is_file() for clip in key.clips)


def test_listeners_rate_blind_and_the_answers_aggregate(test_folder: Path, browser: Browser, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    ann, ann_order = _take_ratings(browser, test_folder / "index.html", "ann", tmp_path, "listening-test.png")
    bob, _ = _take_ratings(browser, test_folder / "index.html", "bob", tmp_path)
    assert _order(browser, test_folder / "index.html", "ann") == ann_order  # a fresh browser context, the same name
    assert sorted(ann_order) == sorted(clip.id for clip in _key(test_folder).clips)
    others = {tuple(_order(browser, test_folder / "index.html", name)) for name in ("bob", "cy", "dee")}
    assert len(others | {tuple(ann_order)}) > 1  # other listeners, other orders
    answers = json.loads(ann.read_text(encoding="utf-8"))
    assert answers["listener"] == "ann" and answers["order"] == ann_order and len(answers["ratings"]) == 4

    capsys.readouterr()
    plot = tmp_path / "results.png"
    arguments = ["listening-test", "results", str(test_folder), str(ann), str(bob), "--plot", str(plot), "-f", "json"]
    assert main(arguments) == 0
    results = json.loads(capsys.readouterr().out)
    overall = {score["system"]: score for score in results["scores"] if score["axis"] == "overall"}
    assert overall["rules"]["n"] == 4 and overall["rules"]["mean"] == 4.5  # ann 4, 4 and bob 5, 5
    assert overall["rules"]["ci_low"] == pytest.approx(4.5 - 3.182446 * 0.57735 / 2, abs=1e-3)
    assert overall[SYSTEMS[1]]["mean"] == 2.5
    rhythm = next(s for s in results["scores"] if s["axis"] == "rhythm" and s["system"] == "rules")
    assert rhythm["mean"] == 3 and rhythm["ci_low"] == rhythm["ci_high"] == 3
    [pair] = results["pairs"]
    assert (pair["n"], pair["first_better"], pair["second_better"]) == (4, 4, 0)
    assert pair["p_value"] == pytest.approx(0.125)  # exact Wilcoxon, four positive differences: 2 / 2^4
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "listening-test.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_ab_mode_asks_for_a_preference_and_a_sign_test_counts_them(test_folder: Path, browser: Browser,
                                                                       tmp_path: Path) -> None:
    key = _key(test_folder).model_copy(update={"mode": "ab"})
    folder = tmp_path / "ab"
    folder.mkdir()
    (folder / "key.json").write_text(key.model_dump_json(), encoding="utf-8")
    (folder / "index.html").write_text(render_page(key, PageMedia(test_folder)), encoding="utf-8")
    system_of = {clip.id: clip.system for clip in key.clips}
    page = browser.new_page(accept_downloads=True)
    page.goto((folder / "index.html").as_uri())
    page.fill("#listener", "cy")
    page.click("#start")
    for _ in range(2):  # one pair per video
        first, second = (video.get_attribute("data-clip") for video in page.locator("video").all())
        assert {system_of[first], system_of[second]} == {0, 1}
        _listen(page, first)
        assert _disabled(page, "fieldset")  # both must be heard
        _listen(page, second)
        page.click(f"fieldset label:has(input[value='{'first' if system_of[first] == 0 else 'second'}'])")
        page.click("#next")
    with page.expect_download() as download:
        page.click("#download")
    answers = tmp_path / "cy.json"
    download.value.save_as(answers)
    results = summarise(*load_answers(folder, [answers]))
    [pair] = results.pairs
    assert (pair.first, pair.second, pair.first_better, pair.second_better, pair.ties) == ("rules", SYSTEMS[1], 2, 0, 0)
    assert pair.p_value == pytest.approx(0.5) and pair.test.startswith("sign")
    assert [(s.system, s.mean) for s in results.scores] == [("rules", 1.0), (SYSTEMS[1], 0.0)]


def test_answers_to_another_test_are_refused(test_folder: Path, tmp_path: Path, cli) -> None:
    answers = tmp_path / "other.json"
    answers.write_text(json.dumps({"test_id": "0000", "mode": "ratings", "listener": "x", "order": []}),
                       encoding="utf-8")
    result = cli("listening-test", "results", str(test_folder), str(answers))
    assert result.code == 2 and "other.json: answers to another test" in result.err


def test_a_bad_system_fails_before_anything_is_composed(tmp_path: Path, cli) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes(b"not looked at")
    result = cli("listening-test", str(video), "--systems", "rules", "rules,style=jazz", "-o", str(tmp_path / "t"))
    assert result.code == 2 and "system 'rules,style=jazz'" in result.err and "style" in result.err
    assert not (tmp_path / "t").exists()


def test_system_specs_become_compose_settings() -> None:
    amt = parse_system("amt:run/best.pt,top_k=3")
    assert amt.config.planner == "amt" and amt.plugin_settings["amt"]["model"] == "run/best.pt"
    assert amt.config.original_audio == "replace"
    ambient = parse_system('rules,style=ambient,renderers=["chords","bass"],key=D minor')
    chosen = (ambient.config.style, ambient.config.renderers, ambient.config.key)
    assert chosen == ("ambient", ["chords", "bass"], "D minor")
    with pytest.raises(UsageError, match="expected PLANNER"):
        parse_system("rules;style=ambient")
    with pytest.raises(UsageError, match="'style' is not KEY=VALUE"):
        parse_system("rules,style")
    with pytest.raises(UsageError, match="system 'rules,tempo=0'"):
        parse_system("rules,tempo=0")
    manager = PluginManager()
    with pytest.raises(MediaError, match="no such model file"):
        check_systems([parse_system("amt:missing.pt")], manager)
    with pytest.raises(UsageError, match="given twice"):
        check_systems([parse_system("rules"), parse_system("rules")], manager)
