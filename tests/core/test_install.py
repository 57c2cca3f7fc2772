"""What a user gets from `pip install v2m`: every import declared, pinned by the lock, no torch on the
compose path, a `v2m --help` that imports nothing heavy, and `from v2m_core import compose`.

The real check (a fresh venv, `pip install .`, `v2m compose`) takes minutes and the network: it is done by
hand and written down in docs/install.md. These are its cheap stand-ins.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from v2m_core.media.synthetic import SceneSpec, make_video

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PLUGIN_PROJECTS = [tomllib.loads(path.read_text())["project"] for path in sorted(ROOT.glob("plugins/*/pyproject.toml"))]
HEAVY_FOR_HELP = ("scipy", "mir_eval", "torch", "librosa", "matplotlib", "cv2", "av", "soundfile", "pyloudnorm",
                  "scenedetect", "pretty_midi", "v2m_core.schemas", "v2m_core.compose.pipeline", "v2m_core.chords")
"""Imported by commands when they run, never to print help."""


def _names(specs: Iterable[str]) -> set[str]:
    return {canonicalize_name(Requirement(spec).name) for spec in specs}


REQUIRED = _names(PROJECT["dependencies"])
EXTRAS = {extra: _names(specs) for extra, specs in PROJECT["optional-dependencies"].items()}


@cache
def _packages() -> dict[str, list[str]]:
    """Top-level module -> the installed distributions that provide it (slow to compute: once)."""
    return packages_distributions()


def _distributions(module: str) -> set[str]:
    return {canonicalize_name(name) for name in _packages().get(module, [])}


def _third_party_imports() -> dict[str, set[str]]:
    """Top-level module -> files of v2m_core and v2m_cli that import it (anywhere in the file)."""
    found: dict[str, set[str]] = {}
    for path in [*ROOT.glob("v2m_core/**/*.py"), *ROOT.glob("v2m_cli/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.partition(".")[0]
                if top not in sys.stdlib_module_names and top not in {"v2m_core", "v2m_cli", "__future__"}:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _required_closure() -> set[str]:
    """The distributions `pip install v2m` brings: the required ones and, recursively, theirs."""
    closure: set[str] = set()
    pending = list(REQUIRED)
    while pending:
        name = pending.pop()
        if name in closure:
            continue
        closure.add(name)
        try:
            specs = requires(name) or []
        except PackageNotFoundError:
            continue
        pending += [canonicalize_name(r.name) for r in map(Requirement, specs)
                    if r.marker is None or r.marker.evaluate({"extra": ""})]
    return closure


def _run_python(code: str, **environment: str) -> dict[str, object]:
    """Run `code` in a fresh interpreter (so nothing this test process imported counts); it prints JSON last."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False,
                            env={**os.environ, **environment})
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_third_party_import_is_declared() -> None:
    declared = REQUIRED.union(*EXTRAS.values())
    undeclared = {module: sorted(files) for module, files in _third_party_imports().items()
                  if not _distributions(module) & declared}
    assert not undeclared, f"imported but not in pyproject.toml's dependencies or extras: {undeclared}"


def test_one_opencv_the_headless_one() -> None:
    everything = [*PROJECT["dependencies"], *(s for specs in PROJECT["optional-dependencies"].values() for s in specs),
                  *(s for project in PLUGIN_PROJECTS for s in project.get("dependencies", []))]
    assert not _names(everything) & {"opencv-python", "opencv-contrib-python", "scenedetect"}
    assert _distributions("cv2") == {"opencv-python-headless"}
    assert _distributions("scenedetect") == {"scenedetect-headless"}


def test_the_lock_pins_every_declared_dependency_exactly() -> None:
    lock: dict[str, str] = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            pinned = [spec for spec in requirement.specifier if spec.operator == "=="]
            assert len(pinned) == 1 and len(requirement.specifier) == 1, f"requirements.txt: {line!r} is not name==version"
            lock[canonicalize_name(requirement.name)] = pinned[0].version
    declared = [*PROJECT["dependencies"], *(s for specs in PROJECT["optional-dependencies"].values() for s in specs),
                *(s for project in PLUGIN_PROJECTS for s in project.get("dependencies", []))]
    for spec in declared:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        if name == "v2m":
            continue
        assert name in lock, f"{spec}: not pinned in requirements.txt"
        assert requirement.specifier.contains(lock[name], prereleases=True), f"{spec}: the lock pins {lock[name]}"


def test_help_imports_nothing_heavy() -> None:
    loaded = _run_python("import json, sys\nfrom v2m_cli.app import main\nassert main(['--help']) == 0\n"
                         "print(json.dumps({'modules': sorted(sys.modules)}))")["modules"]
    assert isinstance(loaded, list)
    heavy = sorted({name for name in loaded for prefix in HEAVY_FOR_HELP
                    if name == prefix or name.startswith(prefix + ".")})
    assert not heavy, f"`v2m --help` imported {heavy}"


def test_compose_runs_with_only_what_pip_install_brings(tmp_path: Path) -> None:
    """`v2m compose` where every installed package outside v2m's required dependencies (and theirs) is
    unimportable, as in a fresh venv after `pip install v2m`: no torch, librosa, plugins or test tools."""
    video = tmp_path / "clip.mp4"
    make_video(video, [SceneSpec(1.5, "testsrc2"), SceneSpec(1.5, "smptebars", motion="fast")], size=(96, 54), fps=10)
    brought = _required_closure() | {"v2m"}
    absent = sorted(module for module, names in _packages().items()
                    if not {canonicalize_name(name) for name in names} & brought)
    assert {"torch", "librosa", "pytest"} <= set(absent)
    code = ("import json, sys\n"
            "class Absent:  # finds nothing: each of these packages is missing, as if never installed\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            f"        if name.partition('.')[0] in {absent!r}:\n"
            "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
            "sys.meta_path.insert(0, Absent())\n"
            "from v2m_cli.app import main\n"
            f"print(json.dumps({{'code': main(['compose', {str(video)!r}, '-o', {str(tmp_path / 'out.mp4')!r}])}}))")
    assert _run_python(code, V2M_LOAD_PLUGINS="")["code"] == 0
    assert (tmp_path / "out.mp4").stat().st_size > 0


def test_compose_is_the_library_entry_point_whatever_was_imported_first() -> None:
    import v2m_core.music.midi_file  # noqa: F401 - the stage package first, as a plugin might
    from v2m_core import compose
    from v2m_core.compose.pipeline import compose as pipeline_compose

    assert compose is pipeline_compose


def test_library_use_with_settings_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/library.md's example: settings from v2m.toml, music to a WAV, the notes on the result."""
    from v2m_core import compose
    from v2m_core.music.midi_file import write_midi
    from v2m_core.config import load_config
    from v2m_core.plugins import PluginManager

    video = tmp_path / "clip.mp4"
    make_video(video, [SceneSpec(2.0, "testsrc2")], size=(96, 54), fps=10)
    (tmp_path / "v2m.toml").write_text('[compose]\nstyle = "ambient"\nseed = 5\nrenderers = ["chords", "bass"]\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("V2M_CONFIG", raising=False)
    settings = load_config().config  # ./v2m.toml
    composition = compose(video, tmp_path / "music.wav", settings.compose, plugin_settings=settings.plugins.settings,
                          plugins=PluginManager(disabled=settings.plugins.disabled))
    assert composition.plan.style == "ambient"
    assert composition.audio == str(tmp_path / "music.wav") and (tmp_path / "music.wav").stat().st_size > 0
    assert composition.midi is None  # nothing kept: the notes are on the result instead
    assert {track.role for track in composition.tracks} == {"chords", "bass"}
    assert all(track.notes for track in composition.tracks)
    write_midi(composition.tracks, tmp_path / "music.mid", composition.plan)
    assert (tmp_path / "music.mid").stat().st_size > 0


def test_a_missing_program_names_the_package_that_brings_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from v2m_core.errors import MissingProgramError
    from v2m_core.media.probe import probe
    from v2m_core.synthesizers.fluidsynth import FluidSynthSynthesizer

    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\0" * 64)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(MissingProgramError, match=r"^ffprobe is not installed .*apt-get install ffmpeg .*brew install ffmpeg"):
        probe(video)
    with pytest.raises(MissingProgramError, match=r"^fluidsynth is not installed .*brew install fluid-synth"):
        FluidSynthSynthesizer().synthesize(tmp_path / "music.mid", tmp_path / "music.wav", 44100)
