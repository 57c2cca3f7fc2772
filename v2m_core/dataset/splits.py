"""Train/val/test assignment: seeded for a fresh dataset, preserved for an existing one.

A fresh split shuffles the sorted ids with the seed and cuts the split sizes off the front (test, then
val), so the same ids, seed and ratios always give the same split. Every split with a non-zero ratio
gets at least one video while there are videos to go round (train first, then val, then test): a
small dataset still has the val videos training needs. With `preserve`, videos already in the
dataset keep their split, so val and test results stay comparable across dataset versions, and new
ones join train once every such split has a video.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from v2m_core.schemas.manifest import SPLITS, SplitRatios


def split_sizes(count: int, ratios: SplitRatios) -> dict[str, int]:
    """Videos per split: one for each split with a non-zero ratio (in SPLITS order, while they last), then
    each further video to the split furthest below its share (ties in SPLITS order)."""
    shares = {name: getattr(ratios, name) / (ratios.train + ratios.val + ratios.test) for name in SPLITS}
    named = [name for name in SPLITS if shares[name] > 0]
    sizes = {name: int(name in named[:count]) for name in SPLITS}
    for _ in range(count - sum(sizes.values())):
        sizes[max(named, key=lambda name: count * shares[name] - sizes[name])] += 1
    return sizes


def fresh_splits(ids: Sequence[str], ratios: SplitRatios, seed: int) -> dict[str, str]:
    ordered = sorted(ids)
    sizes = split_sizes(len(ordered), ratios)
    permutation = np.random.default_rng(seed).permutation(len(ordered))
    splits: dict[str, str] = {}
    for rank, index in enumerate(permutation):
        splits[ordered[int(index)]] = ("test" if rank < sizes["test"] else
                                       "val" if rank < sizes["test"] + sizes["val"] else "train")
    return dict(sorted(splits.items()))


def assign_splits(ids: Sequence[str], previous: Mapping[str, str], ratios: SplitRatios, seed: int,
                  preserve: bool) -> dict[str, str]:
    """Split of every id: preserved from `previous`, or freshly drawn. New ids join train, except that a
    split with a non-zero share and no video (a dataset grown from one or two) takes one first, seeded."""
    if not (preserve and previous):
        return fresh_splits(ids, ratios, seed)
    splits = {identifier: previous[identifier] for identifier in ids if identifier in previous}
    new = sorted(identifier for identifier in ids if identifier not in previous)
    empty = [name for name in SPLITS if getattr(ratios, name) > 0 and name not in splits.values()]
    for rank, index in enumerate(np.random.default_rng(seed).permutation(len(new))):
        splits[new[int(index)]] = empty[rank] if rank < len(empty) else "train"
    return dict(sorted(splits.items()))
