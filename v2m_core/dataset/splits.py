"""Train/val/test assignment: seeded for a fresh dataset, preserved for an existing one.

A fresh split shuffles the sorted ids with the seed and cuts the ratios off the front (test, then
val), so the same ids, seed and ratios always give the same split. With `preserve`, videos already
in the dataset keep their split and new ones join train: val and test results stay comparable
across dataset versions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from v2m_core.schemas.manifest import SplitRatios


def fresh_splits(ids: Sequence[str], ratios: SplitRatios, seed: int) -> dict[str, str]:
    ordered = sorted(ids)
    total = ratios.train + ratios.val + ratios.test
    test_count = int(round(len(ordered) * ratios.test / total))
    val_count = int(round(len(ordered) * ratios.val / total))
    permutation = np.random.default_rng(seed).permutation(len(ordered))
    splits: dict[str, str] = {}
    for rank, index in enumerate(permutation):
        splits[ordered[int(index)]] = "test" if rank < test_count else "val" if rank < test_count + val_count else "train"
    return dict(sorted(splits.items()))


def assign_splits(ids: Sequence[str], previous: Mapping[str, str], ratios: SplitRatios, seed: int,
                  preserve: bool) -> dict[str, str]:
    """Split of every id: preserved from `previous` (new ids to train) or freshly drawn."""
    if preserve and previous:
        return {identifier: previous.get(identifier, "train") for identifier in sorted(ids)}
    return fresh_splits(ids, ratios, seed)
