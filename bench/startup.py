"""Start-up time of `v2m --help`: what a person waits for before the first line of help.

Runs `python -m v2m_cli --help` (this interpreter) `--runs` times in fresh processes and prints the
median, min and max wall time, the median CPU time (user + system: what the process itself costs, less
swayed than wall time by other work on a shared machine), Python's own start-up (`python -c pass`), and the
modules that cost most to import (`python -X importtime`, cumulative). `--source DIR` times another
checkout (e.g. `mkdir /tmp/before && git archive HEAD~1 | tar -x -C /tmp/before`): run from there, its
packages shadow the installed ones. Several `--source`s are run in turn, round after round, so a load
that comes and goes weighs on each the same.

    .venv/bin/python bench/startup.py [--runs 10] [--source DIR ...] [--top 8]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `command`."""
    cpu, began = _cpu_of_children(), time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began, _cpu_of_children() - cpu


def _costliest_imports(cwd: Path, top: int) -> list[tuple[float, str]]:
    """(cumulative ms, module) of the slowest imports, top-level packages and v2m's own modules only."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "v2m_cli", "--help"], cwd=cwd,
                            capture_output=True, text=True, check=True)
    costs = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        module = name.strip()
        if "." not in module or module.startswith("v2m_"):
            costs.append((int(cumulative) / 1000, module))
    return sorted(costs, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--source", type=Path, action="append", help="Checkout to run from (default: this one); repeat to compare.")
    parser.add_argument("--top", type=int, default=8, help="How many of the costliest imports to list.")
    args = parser.parse_args()
    sources = [source.resolve() for source in args.source or [REPO]]
    helps: dict[Path, list[tuple[float, float]]] = {source: [] for source in sources}
    bare: list[tuple[float, float]] = []
    for source in sources:
        _timed([sys.executable, "-m", "v2m_cli", "--help"], source)  # warm the file cache and the .pyc files
    for _ in range(args.runs):
        bare.append(_timed([sys.executable, "-c", "pass"], REPO))
        for source in sources:
            helps[source].append(_timed([sys.executable, "-m", "v2m_cli", "--help"], source))
    print(f"python -c pass: median {statistics.median(w for w, _ in bare):.3f} s wall, "
          f"{statistics.median(c for _, c in bare):.3f} s CPU ({args.runs} runs)")
    for source, runs in helps.items():
        walls = [wall for wall, _ in runs]
        print(f"v2m --help from {source}: median {statistics.median(walls):.3f} s wall (min {min(walls):.3f}, "
              f"max {max(walls):.3f}), {statistics.median(cpu for _, cpu in runs):.3f} s CPU ({args.runs} runs)")
        for milliseconds, module in _costliest_imports(source, args.top):
            print(f"  {milliseconds:7.1f} ms  {module}")


if __name__ == "__main__":
    main()
