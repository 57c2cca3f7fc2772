"""Run items one after another in this process (the default; easiest to debug)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from queue import SimpleQueue
from typing import TypeVar

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.executor import Executor, WorkQueue

Item = TypeVar("Item")
Result = TypeVar("Result")


class SerialExecutor(Executor[PluginConfig]):
    name = "serial"
    version = "1.0.0"
    description = "Runs work items one at a time in the current process."

    def map(self, function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[tuple[Item, Result | BaseException]]:
        for item in items:
            try:
                yield item, function(item)
            except Exception as error:  # noqa: BLE001 - reported per item, never stops the rest
                yield item, error

    @contextmanager
    def queue(self) -> Iterator[WorkQueue]:
        """Work runs in this process, so a plain in-process queue will do."""
        yield SimpleQueue()
