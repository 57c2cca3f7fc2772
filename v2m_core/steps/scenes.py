"""Scene index and time since the scene started, per second (Video2Music's scene and scene-offset features)."""

from __future__ import annotations

import bisect
from typing import ClassVar

import numpy as np

from v2m_core.interfaces.base import PluginConfig
from v2m_core.interfaces.step import ExtractorStep, StepContext
from v2m_core.steps.files import read_json, read_probe, second_count, write_array


def scene_rows(duration: float, cuts: list[float]) -> np.ndarray:
    """(seconds x 2): the scene holding each second's start, and how long that scene has been running."""
    starts = [0.0, *sorted(cuts)]
    rows = np.zeros((second_count(duration), 2), dtype=np.float32)
    for second in range(rows.shape[0]):
        scene = bisect.bisect_right(starts, second + 1e-9) - 1
        rows[second] = (scene, second - starts[scene])
    return rows


class SceneStep(ExtractorStep[PluginConfig]):
    """Turns cut times into per-second scene ids and offsets."""

    name: ClassVar[str] = "scenes"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Per-second scene id and seconds since the scene started, from the hard cuts."
    inputs: ClassVar[tuple[str, ...]] = ("probe.json", "cuts.json")
    outputs: ClassVar[tuple[str, ...]] = ("scenes.npy",)

    def run(self, context: StepContext) -> None:
        info = read_probe(context.path("probe.json"))
        cuts = [float(cut) for cut in read_json(context.path("cuts.json"))]
        write_array(context.path("scenes.npy"), scene_rows(info.duration, cuts))
        context.progress(1.0)
