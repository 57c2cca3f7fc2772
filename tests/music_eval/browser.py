"""Headless Chromium for the tests of v2m's pages, driven by Playwright with Debian's `chromium` (no browser
download); scripts/setup.sh installs the package, and its absence fails the tests that need it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ARTEFACTS_ENV = "V2M_TEST_ARTEFACTS"
"""A folder that keeps the tests' screenshots (CI uploads it); unset: they stay under the test's tmp_path."""


@contextmanager
def chromium() -> Iterator[Browser]:
    """A Playwright Browser on the system chromium; media may start without a click, as a listener's would."""
    from playwright.sync_api import sync_playwright

    binary = shutil.which("chromium")
    assert binary, "chromium is missing: scripts/setup.sh installs Debian's chromium package"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=binary,
                                             args=["--autoplay-policy=no-user-gesture-required", "--mute-audio"])
        try:
            yield browser
        finally:
            browser.close()


def keep_screenshot(page: Page, folder: Path, name: str) -> Path:
    """Save a full-page screenshot under `folder` and copy it to $V2M_TEST_ARTEFACTS when that is set."""
    path = folder / name
    page.screenshot(path=str(path), full_page=True)
    artefacts = os.environ.get(ARTEFACTS_ENV)
    if artefacts:
        Path(artefacts).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(artefacts) / name)
    return path
