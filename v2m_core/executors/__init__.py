"""Built-in executors: run independent work items serially or in a process pool."""

from __future__ import annotations

from typing import Any

from v2m_core.interfaces.executor import Executor


def local_executor(workers: int) -> Executor[Any]:
    """The serial executor for one worker, else a pool of `workers` processes on this machine."""
    from v2m_core.executors.processes import ProcessPoolConfig, ProcessPoolExecutor
    from v2m_core.executors.serial import SerialExecutor

    return SerialExecutor() if workers <= 1 else ProcessPoolExecutor(ProcessPoolConfig(workers=workers))
