"""torch's CPU thread count for one block of work, restored afterwards.

Small models (the drum and melody GRUs, one BTC batch) run faster on one thread than on several:
their matrices are too small to split, and spare threads only contend with the rest of the
machine. torch's setting is per process, so it is set around the work rather than once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def torch_threads(count: int | None) -> Iterator[None]:
    """Run the block with `count` torch threads (None keeps the current number)."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(count or previous)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
