"""Run items in a pool of worker processes: one video per worker keeps memory per worker bounded."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from pydantic import Field

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.executor import Executor

Item = TypeVar("Item")
Result = TypeVar("Result")


class ProcessPoolConfig(PluginConfig):
    workers: int = Field(default=0, ge=0, description="Worker processes; 0 means one per CPU core.")


class ProcessPoolExecutor(Executor):
    name = "processes"
    version = "1.0.0"
    description = "Runs work items in parallel worker processes (spawned, so no state leaks between runs)."
    Config = ProcessPoolConfig

    def map(self, function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[tuple[Item, Result | BaseException]]:
        assert isinstance(self.config, ProcessPoolConfig)
        workers = self.config.workers or os.cpu_count() or 1
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(function, item): item for item in items}
            for future in concurrent.futures.as_completed(futures):
                error = future.exception()
                yield futures[future], (error if error is not None else future.result())
