"""The `ray` executor: one Ray task per work item, on whichever node of a cluster has room.

A task reserves `cpus_per_task` CPUs and `memory_mb` of memory, so Ray never starts more videos on
a node than it can hold, and its numeric libraries get as many threads as it reserved (set in the
environment of its worker process, before anything there imports them). A task whose worker or
node dies is run again elsewhere (`max_retries`); a dataset build caches each finished step in the
dataset folder, so a retry redoes only the step that was cut short. Items, results and progress
events are small (paths, outcomes) and travel through Ray; videos and step outputs stay on storage
every node mounts at the same path.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic import Field

from v2m_core.errors import V2MError
from v2m_core.executors.processes import THREAD_VARIABLES
from v2m_core.interfaces import PluginConfig
from v2m_core.interfaces.executor import Executor, WorkQueue
from v2m_core.plugins import hookimpl
from v2m_core.plugins.hookspecs import Register

Item = TypeVar("Item")
Result = TypeVar("Result")


class RayConfig(PluginConfig):
    address: str = Field(default="", description="Cluster to run on (HOST:6379, or ray://HOST:10001 through Ray "
                                                 "Client); empty: $RAY_ADDRESS, else a local Ray started for the run.")
    cpus_per_task: int = Field(default=1, ge=1, description="CPUs each task reserves; its torch, OpenMP, MKL, OpenBLAS "
                                                            "and OpenCV threads are capped at this.")
    memory_mb: int = Field(default=2048, ge=0, description="Memory each task reserves (MiB), so a node runs only as "
                                                           "many tasks as fit; 0 reserves none.")
    max_retries: int = Field(default=3, ge=0, description="How often a task whose worker or node died is run again.")
    local_cpus: int = Field(default=0, ge=0, description="CPUs of the local Ray started when no cluster is given; "
                                                         "0: every core.")


def check_reachable(address: str) -> None:
    """Fail in seconds where Ray would try an unreachable cluster again and again."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto" and the like: Ray resolves them itself
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except OSError as error:
        raise V2MError(f"ray: nothing answers at {address} ({error.strerror or error}); start the cluster "
                       "(`ray start --head`) or correct plugins.settings.ray.address or $RAY_ADDRESS") from None


def call(function: Callable[[Item], Result], item: Item) -> Result:
    """The body of every task: Ray runs functions it can import, and `function` may be any callable."""
    return function(item)


class RayExecutor(Executor[RayConfig]):
    name = "ray"
    version = "0.1.0"
    description = "Runs work items as Ray tasks on a cluster (or a local Ray), retrying those whose node died."

    @property
    def settings(self) -> RayConfig:
        return self.config

    @contextmanager
    def connected(self) -> Iterator[None]:
        """Ray connected for the block: to the configured cluster, else to a local one started for it.
        A connection made outside (by the caller, or an enclosing block) is used and left open."""
        import ray

        if ray.is_initialized():
            yield
            return
        address = self.settings.address or os.environ.get("RAY_ADDRESS", "")
        if address:
            check_reachable(address)
        local: dict[str, Any] = {} if address else {"num_cpus": self.settings.local_cpus or None,
                                                     "include_dashboard": False}
        try:
            ray.init(address=address or "local", logging_level=logging.ERROR, log_to_driver=False, **local)
        except (ConnectionError, ValueError, RuntimeError) as error:
            raise V2MError(f"ray: cannot connect to {address or 'a local Ray'}: {' '.join(str(error).split())}") from None
        try:
            yield
        finally:
            ray.shutdown()

    @contextmanager
    def queue(self) -> Iterator[WorkQueue]:
        """A Ray queue pinned to this node: it lives as long as the driver, whichever workers die."""
        import ray
        from ray.util.queue import Queue
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        with self.connected():
            here = NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=False)
            channel = Queue(actor_options={"num_cpus": 0, "scheduling_strategy": here})
            try:
                yield channel
            finally:
                channel.shutdown()

    def map(self, function: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[tuple[Item, Result | BaseException]]:
        import ray
        from ray.exceptions import RayError, RayTaskError

        settings = self.settings
        threads = {name: str(settings.cpus_per_task) for name in THREAD_VARIABLES}
        with self.connected():
            task = ray.remote(call).options(
                num_cpus=settings.cpus_per_task, memory=settings.memory_mb * 2**20 or None,
                max_retries=settings.max_retries, retry_exceptions=False, runtime_env={"env_vars": threads})
            shared = ray.put(function)  # pickled once, whatever the number of items
            submitted = {task.remote(shared, item): item for item in items}
            pending = list(submitted)
            while pending:
                done, pending = ray.wait(pending, num_returns=1)
                try:
                    result: Result | BaseException = ray.get(done[0])
                except RayTaskError as error:  # the function raised: hand back its own exception
                    result = error.cause if isinstance(error.cause, BaseException) else error
                except RayError as error:  # the worker or node died more often than max_retries allows
                    result = error
                yield submitted[done[0]], result


@hookimpl
def register_executors(register: Register) -> None:
    register(RayExecutor)
