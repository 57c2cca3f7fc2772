"""Fake installed distributions for plugin-discovery tests: a module and its dist-info on a sys.path folder."""

from __future__ import annotations

from pathlib import Path


def install_distribution(site: Path, name: str, module_source: str) -> None:
    """A distribution `name` whose `v2m` entry point is the module `name`, with `module_source`, in `site`."""
    (site / f"{name}.py").write_text(module_source)
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[v2m]\n{name} = {name}\n")
