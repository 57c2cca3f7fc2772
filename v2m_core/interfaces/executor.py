"""Executors: how independent work items (videos, chunks) are run, serially or in parallel."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from v2m_core.children import worker_manager
from v2m_core.interfaces.base import ConfigT, Plugin, PluginKind

Item = TypeVar("Item")
Result = TypeVar("Result")


class WorkQueue(Protocol):
    """A queue `map`'s workers put on and the calling process gets from (progress events, say)."""

    def put(self, item: Any) -> None: ...

    def get(self) -> Any: ...


class Executor(Plugin[ConfigT]):
    kind = PluginKind.EXECUTOR

    @abstractmethod
    def map(self, function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[tuple[Item, Result | BaseException]]:
        """Yield (item, result) as items finish, or (item, exception): one failure never stops the rest."""

    @contextmanager
    def queue(self) -> Iterator[WorkQueue]:
        """A queue this executor's workers can reach. The default, a spawned manager's queue, reaches any
        process on this machine; an executor whose workers run elsewhere provides its own."""
        manager = worker_manager()
        try:
            yield manager.Queue()
        finally:
            manager.shutdown()
