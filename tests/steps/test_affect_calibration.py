"""The colour/motion affect on ordinary footage: a bright, calm or warm scene is not "sad".

Each profile is a box of per-scene features (mean luma, colourfulness as Hasler & Suesstrunk M / 120,
mean frame difference per 0.1 s) that such shots show; a minute of scenes drawn from the box is run
through the step's own computation, and the share of seconds in each class is checked.
"""

from __future__ import annotations

import numpy as np
import pytest

from v2m_core.schemas.analysis import EMOTIONS
from v2m_core.steps.affect import AffectConfig, affect_rows
from v2m_core.steps.frame_analysis import BRIGHTNESS, COLOURFULNESS, MOTION, SATURATION

Box = tuple[tuple[float, float], tuple[float, float], tuple[float, float]]

FOOTAGE: dict[str, Box] = {
    # exposed near middle grey or above, grey asphalt and facades with some colour (M 22-45), walking pace
    "daylight street": ((0.42, 0.62), (0.18, 0.38), (0.008, 0.03)),
    # warm tungsten light a little under middle grey, a warm cast adds colourfulness, people seated
    "dinner": ((0.30, 0.45), (0.25, 0.45), (0.003, 0.012)),
    # daylight or floodlights, grass and jerseys (M 42-72), fast play and pans
    "sport": ((0.42, 0.60), (0.35, 0.60), (0.03, 0.08)),
    # street lights in the dark, little colour, still or slow
    "night": ((0.06, 0.20), (0.05, 0.20), (0.003, 0.02)),
    # a dark, desaturated corridor, nervous handheld camera
    "horror corridor": ((0.05, 0.16), (0.02, 0.10), (0.02, 0.06)),
}
DARK = ("sad", "fearful", "tense")


def class_shares(box: Box, seed: int, seconds: int = 60) -> dict[str, float]:
    """Share of seconds per emotion class over scenes of 3-8 s drawn from `box`, with per-second jitter."""
    rng = np.random.default_rng(seed)
    visual = np.zeros((seconds, 4))
    scene_ids = np.zeros(seconds, dtype=int)
    start, scene = 0, 0
    while start < seconds:
        end = min(seconds, start + int(rng.integers(3, 9)))
        (b_low, b_high), (c_low, c_high), (m_low, m_high) = box
        length = end - start
        visual[start:end, BRIGHTNESS] = rng.uniform(b_low, b_high) + rng.normal(0, 0.01, length)
        visual[start:end, COLOURFULNESS] = rng.uniform(c_low, c_high) + rng.normal(0, 0.01, length)
        visual[start:end, MOTION] = np.exp(rng.uniform(np.log(m_low), np.log(m_high))) * rng.lognormal(0, 0.2, length)
        visual[start:end, SATURATION] = visual[start:end, COLOURFULNESS]
        scene_ids[start:end] = scene
        start, scene = end, scene + 1
    classes = affect_rows(np.clip(visual, 0, 1), scene_ids, AffectConfig())[:, 2:].argmax(axis=1)
    return {name: float(np.mean(classes == i)) for i, name in enumerate(EMOTIONS)}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ordinary_footage_is_classed_sensibly(seed: int) -> None:
    shares = {name: class_shares(box, seed) for name, box in FOOTAGE.items()}
    for bright in ("daylight street", "dinner", "sport"):
        assert shares[bright]["sad"] <= 0.05, (bright, shares[bright])
    assert shares["daylight street"]["fearful"] + shares["daylight street"]["tense"] <= 0.05
    assert shares["dinner"]["relaxing"] + shares["dinner"]["neutral"] >= 0.9
    assert shares["sport"]["exciting"] >= 0.8
    for dark in ("night", "horror corridor"):
        assert sum(shares[dark][name] for name in DARK) >= 0.9, (dark, shares[dark])


def test_a_still_picture_is_calm_and_brightness_raises_valence() -> None:
    visual = np.zeros((4, 4))
    visual[:, BRIGHTNESS] = [0.1, 0.3, 0.5, 0.7]
    visual[:, COLOURFULNESS] = 0.3
    rows = affect_rows(visual, np.arange(4), AffectConfig())
    assert np.all(np.diff(rows[:, 0]) > 0) and np.all(rows[:, 1] < 0)
    assert np.all(np.abs(rows[:, :2]) <= 1) and np.allclose(rows[:, 2:].sum(axis=1), 1)
