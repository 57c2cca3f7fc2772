"""The ray executor on a two-node Ray cluster on this machine: a build equal to the serial one byte for
byte, with a node killed in the middle of a video; thread caps in the workers."""

from __future__ import annotations

import functools
import operator
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("ray")

import ray  # noqa: E402
from ray.cluster_utils import Cluster  # noqa: E402
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy  # noqa: E402

from tests.dataset.music_videos import copy_videos, core_config, make_music_video  # noqa: E402
from tests.dataset.test_dataset_build import tree_digest  # noqa: E402
from v2m_core.dataset.build import build_dataset  # noqa: E402
from v2m_core.dataset.runner import StepEvent  # noqa: E402
from v2m_core.executors.processes import THREAD_VARIABLES  # noqa: E402
from v2m_core.testing import isolated_manager  # noqa: E402
from v2m_ray import plugin  # noqa: E402
from v2m_ray.plugin import RayConfig, RayExecutor  # noqa: E402

pytestmark = pytest.mark.slow
FAST_FAILURE_DETECTION = {"health_check_initial_delay_ms": 0, "health_check_period_ms": 500,
                          "health_check_failure_threshold": 2}
"""A killed node is declared dead within about a second (the default takes half a minute)."""


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """Two nodes of one CPU each: the head (where the driver's progress queue lives) and a worker node."""
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "_system_config": FAST_FAILURE_DETECTION})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    ray.init(address=cluster.address)  # the executor uses this connection and leaves it open
    yield cluster
    ray.shutdown()
    cluster.shutdown()


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ray-videos")
    return copy_videos([make_music_video(folder / "alpha.mp4", ["C:maj", "G:maj", "A:min", "F:maj"]).path],
                       folder / "videos")


def test_tasks_run_with_their_thread_caps(cluster: Cluster) -> None:
    import torch

    executor = RayExecutor(RayConfig(address=cluster.address, memory_mb=0))
    readers = [functools.partial(os.getenv, name) for name in THREAD_VARIABLES] + [torch.get_num_threads]
    caps = [result for _, result in executor.map(operator.call, readers)]
    assert caps == ["1"] * len(THREAD_VARIABLES) + [1]


def test_a_node_killed_mid_video_is_retried_elsewhere_and_the_build_equals_serial(
        cluster: Cluster, videos: Path, tmp_path: Path) -> None:
    build_dataset(videos, tmp_path / "serial", core_config(), isolated_manager())
    # the head's CPU is held, so the video starts on the worker node
    head = NodeAffinitySchedulingStrategy(cluster.head_node.node_id, soft=False)
    holder = ray.remote(plugin.call).options(num_cpus=1, scheduling_strategy=head).remote(time.sleep, 600)
    deadline = time.monotonic() + 60
    while ray.available_resources().get("CPU", 0) > 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ray.available_resources().get("CPU", 0) == 1, "the head's CPU was never taken"
    events: list[StepEvent] = []

    def kill_the_busy_node(event: StepEvent) -> None:
        """After the video's first step its node dies, and the head's CPU is set free."""
        events.append(event)
        if len(events) == 1:
            [busy] = cluster.worker_nodes
            cluster.remove_node(busy, allow_graceful=False)
            ray.cancel(holder, force=True)

    settings = {"ray": {"address": cluster.address, "memory_mb": 256}}
    result = build_dataset(videos, tmp_path / "ray", core_config(executor="ray"), isolated_manager(plugin),
                           settings, on_event=kill_the_busy_node)
    assert not result.failures
    assert tree_digest(tmp_path / "ray") == tree_digest(tmp_path / "serial")
    first = events[0]
    again = [e.status for e in events if (e.video, e.step) == (first.video, first.step)]
    assert again == ["ran", "cached"], "the killed video is retried on the other node and reuses its finished step"
