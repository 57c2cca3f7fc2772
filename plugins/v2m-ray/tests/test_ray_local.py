"""`v2m dataset build --executor ray` with no cluster given: a local Ray is started for the build and
stopped after it, and the dataset equals the serial build's."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ray")

from tests.dataset.music_videos import copy_videos, make_music_video  # noqa: E402
from tests.dataset.test_dataset_build import tree_digest  # noqa: E402
from v2m_cli.app import main  # noqa: E402
from v2m_core.errors import V2MError  # noqa: E402
from v2m_core.interfaces.base import PluginKind  # noqa: E402
from v2m_core.testing import isolated_manager  # noqa: E402
from v2m_ray import plugin  # noqa: E402
from v2m_ray.plugin import RayConfig, RayExecutor  # noqa: E402

BUILD = ("--steps", "frames,scenes,affect,audio,loudness,chords", "--semantic", "", "--emotion", "emotion-affect",
         "--recognizer", "chroma-template")


def test_the_plugin_registers_the_ray_executor_with_its_settings() -> None:
    executor = isolated_manager(plugin).create(PluginKind.EXECUTOR, "ray", {"cpus_per_task": 2, "memory_mb": 512})
    assert isinstance(executor, RayExecutor) and executor.config == RayConfig(cpus_per_task=2, memory_mb=512)


def test_an_unreachable_cluster_is_one_clear_error_in_seconds() -> None:
    executor = RayExecutor(RayConfig(address="127.0.0.1:1"))  # port 1: nothing listens there
    with pytest.raises(V2MError, match="nothing answers at 127.0.0.1:1"), executor.connected():
        pass


@pytest.mark.slow
def test_cli_build_on_a_local_ray_equals_the_serial_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ray

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    video = make_music_video(tmp_path / "gamma.mp4", ["D:min", "G:maj", "C:maj", "E:min"]).path
    videos = copy_videos([video], tmp_path / "videos")
    assert main(["dataset", "build", str(videos), "-o", str(tmp_path / "serial"), *BUILD]) == 0
    assert main(["dataset", "build", str(videos), "-o", str(tmp_path / "ray"), *BUILD, "--executor", "ray",
                 "-s", "plugins.settings.ray.local_cpus=1"]) == 0
    assert tree_digest(tmp_path / "ray") == tree_digest(tmp_path / "serial")
    assert not ray.is_initialized(), "the local Ray started for the build is stopped after it"
