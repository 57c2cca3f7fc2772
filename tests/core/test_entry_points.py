"""Real entry-point discovery: packages on sys.path with dist-info, seen by `v2m plugins list`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.distributions import install_distribution

REPO = Path(__file__).resolve().parents[2]
V2M = [sys.executable, "-m", "v2m_cli"]

GOOD = '''
from v2m_core.interfaces import MusicRenderer
from v2m_core.plugins import hookimpl

class Kazoo(MusicRenderer):
    name = "kazoo"
    role = "melody"
    version = "1.2.3"
    description = "test"
    def render(self, plan, rng):
        return []

@hookimpl
def register_renderers(register):
    register(Kazoo)
'''


def _plugins(site: Path, *args: str, **env: str) -> tuple[int, list[dict], str]:
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("V2M_")}
    environment = {**inherited, "PYTHONPATH": str(site), **env}
    result = subprocess.run([*V2M, "plugins", "list", "--format", "json", *args], capture_output=True, text=True,
                            env=environment, check=False)
    return result.returncode, json.loads(result.stdout or "[]"), result.stderr


@pytest.fixture
def site(tmp_path: Path) -> Path:
    install_distribution(tmp_path, "good_plugin", GOOD)
    install_distribution(tmp_path, "broken_plugin", "raise ImportError('needs libfoo, which is not installed')\n")
    return tmp_path


def test_broken_plugin_is_listed_and_the_rest_work(site: Path) -> None:
    code, rows, err = _plugins(site)
    assert code == 0
    by_name = {row["name"]: row for row in rows}
    assert by_name["kazoo"]["package"] == "good_plugin" and by_name["kazoo"]["source"] == "entry-point"
    assert by_name["broken_plugin"]["status"] == "broken"
    assert "ImportError: needs libfoo" in by_name["broken_plugin"]["error"]
    assert "broken_plugin" in err and "warning" in err
    assert {row["kind"] for row in rows if row["source"] == "builtin"} >= {"renderer", "planner", "step", "fusion",
                                                                            "recognizer", "synthesizer", "executor"}


def test_disable_and_allow_lists(site: Path) -> None:
    _, rows, _ = _plugins(site, V2M_DISABLED_PLUGINS="good_plugin")
    assert {row["name"]: row["status"] for row in rows}["good_plugin"] == "disabled"
    _, rows, err = _plugins(site, V2M_LOAD_PLUGINS="good_plugin")
    statuses = {row["name"]: row["status"] for row in rows}
    assert statuses["kazoo"] == "ok" and statuses["broken_plugin"] == "disabled" and "broken" not in err


def test_example_package_installs_and_is_found_through_its_entry_point(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "--target", str(target), str(REPO / "plugins" / "v2m-example")],
                   check=True, capture_output=True)
    code, before, _ = _plugins(tmp_path / "empty", "--kind", "renderer")
    assert code == 0 and "pedal" not in {row["name"] for row in before}
    code, rows, _ = _plugins(target, "--kind", "renderer")
    pedal = next(row for row in rows if row["name"] == "pedal")
    assert (pedal["package"], pedal["source"], pedal["status"]) == ("v2m-example", "entry-point", "ok")
