"""Executors: how independent work items (videos, chunks) are run, serially or in parallel."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from v2m_core.interfaces.base import Plugin, PluginKind

Item = TypeVar("Item")
Result = TypeVar("Result")


class Executor(Plugin):
    kind = PluginKind.EXECUTOR

    @abstractmethod
    def map(self, function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[tuple[Item, Result | BaseException]]:
        """Yield (item, result) as items finish, or (item, exception): one failure never stops the rest."""
