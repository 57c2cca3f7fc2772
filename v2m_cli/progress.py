"""A rich progress display with one bar per stage and time remaining; it clears itself when done."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn


@contextmanager
def stage_progress(console: Console) -> Iterator[Callable[[str, float], None]]:
    """Yield a callback(stage, fraction); each new stage gets its own bar. The display starts with the first
    stage, so an error found before any work prints alone, with no empty progress line before it."""
    columns = (TextColumn("{task.description:<11}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
               TextColumn("eta"), TimeRemainingColumn())
    progress = Progress(*columns, console=console, transient=True)
    tasks: dict[str, TaskID] = {}

    def report(stage: str, fraction: float) -> None:
        if not tasks:
            progress.start()
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=1.0)
        progress.update(tasks[stage], completed=min(1.0, max(0.0, fraction)))

    try:
        yield report
    finally:
        if tasks:
            progress.stop()
