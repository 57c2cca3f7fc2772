"""Run items in a pool of worker processes: one video per worker keeps memory per worker bounded.

Each worker gets an equal share of the CPU cores for its numeric libraries: left alone, every
worker's torch, OpenMP, BLAS and OpenCV would each start a thread per core, and N workers would
oversubscribe the machine N times over (slower than fewer threads, and noisier).
"""

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


THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENCV_FOR_THREADS_NUM")
"""Read by torch, OpenMP, MKL, OpenBLAS and OpenCV when they start their thread pools."""


class ProcessPoolConfig(PluginConfig):
    workers: int = Field(default=0, ge=0, description="Worker processes; 0 means one per CPU core.")
    threads_per_worker: int = Field(default=0, ge=0, description="Threads each worker's numeric libraries may use; "
                                                                 "0 shares the cores out (at least one each).")


def limit_threads(count: int) -> None:
    """Worker initialiser: set before the libraries start their pools (a fresh spawned worker has not)."""
    for name in THREAD_VARIABLES:
        os.environ[name] = str(count)


class ProcessPoolExecutor(Executor):
    name = "processes"
    version = "1.0.0"
    description = "Runs work items in parallel worker processes (spawned, so no state leaks between runs)."
    Config = ProcessPoolConfig

    def map(self, function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[tuple[Item, Result | BaseException]]:
        assert isinstance(self.config, ProcessPoolConfig)
        workers = self.config.workers or os.cpu_count() or 1
        threads = self.config.threads_per_worker or max(1, (os.cpu_count() or 1) // workers)
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                    initializer=limit_threads, initargs=(threads,)) as pool:
            futures = {pool.submit(function, item): item for item in items}
            for future in concurrent.futures.as_completed(futures):
                error = future.exception()
                yield futures[future], (error if error is not None else future.result())
