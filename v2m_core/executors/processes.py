"""Run items in a pool of worker processes: one video per worker keeps memory per worker bounded.

Each worker gets an equal share of the CPU cores for its numeric libraries: left alone, every
worker's torch, OpenMP, BLAS and OpenCV would each start a thread per core, and N workers would
oversubscribe the machine N times over (slower than fewer threads, and noisier).

Workers die with the calling process (children.py): killed by the kernel when it dies, killed by it when
it is interrupted or stops reading results (waiting for the running items could take minutes), and deaf
to Ctrl-C themselves, so an interrupt prints no traceback per worker.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from pydantic import Field

from v2m_core.children import die_with_parent, interrupts_held
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


def start_worker(threads: int, parent: int) -> None:
    """Worker initialiser: die with `parent`, then size the thread pools."""
    die_with_parent(parent)
    limit_threads(threads)


def kill_workers(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Stop the pool now: shutdown() alone lets every running item finish first."""
    for process in list((pool._processes or {}).values()):  # Python 3.14 has pool.kill_workers()
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


class ProcessPoolExecutor(Executor[ProcessPoolConfig]):
    name = "processes"
    version = "1.0.0"
    description = "Runs work items in parallel worker processes (spawned, so no state leaks between runs)."

    def map(self, function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[tuple[Item, Result | BaseException]]:
        workers = self.config.workers or os.cpu_count() or 1
        threads = self.config.threads_per_worker or max(1, (os.cpu_count() or 1) // workers)
        context = multiprocessing.get_context("spawn")
        pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                      initializer=start_worker, initargs=(threads, os.getpid()))
        try:
            with interrupts_held():  # the workers start on the first submissions
                futures = {pool.submit(function, item): item for item in items}
            for future in concurrent.futures.as_completed(futures):
                error = future.exception()
                yield futures[future], (error if error is not None else future.result())
        except BaseException:  # interrupted, or the caller stopped reading
            kill_workers(pool)
            raise
        pool.shutdown()
