"""Data-parallel training: one process per device, started by torchrun (or `v2m train --nproc N`).

torchrun gives each process RANK, LOCAL_RANK and WORLD_SIZE; the processes join one group (gloo on
CPU, NCCL on GPU), each trains on its share of every global batch, and DistributedDataParallel
averages their gradients. Only rank 0 writes files and reports progress.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import torch
import torch.distributed as dist

from v2m_core.errors import UsageError, V2MError


@dataclass(frozen=True)
class Ranks:
    """This process's place among those training together (rank 0 of 1 when alone)."""

    rank: int = 0
    world: int = 1
    local: int = 0
    """Rank among the processes of this machine: the index of its GPU."""

    @property
    def main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world > 1

    def device(self, kind: str) -> torch.device:
        return torch.device("cuda", self.local) if kind == "cuda" else torch.device(kind)


def launched_ranks() -> Ranks:
    """The ranks torchrun set in the environment; rank 0 of 1 for a process started any other way."""
    return Ranks(int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1")),
                 int(os.environ.get("LOCAL_RANK", "0")))


@contextmanager
def process_group(device: str) -> Iterator[Ranks]:
    """Join the launched processes' group for the block (nothing to join when alone)."""
    ranks = launched_ranks()
    if not ranks.distributed:
        yield ranks
        return
    if device == "cuda":
        torch.cuda.set_device(ranks.local)
    dist.init_process_group("nccl" if device == "cuda" else "gloo")
    try:
        yield ranks
    finally:
        dist.destroy_process_group()


def all_sum(values: Sequence[float], ranks: Ranks, device: torch.device) -> list[float]:
    """Each value summed over the ranks (float64, so the order of addition barely matters)."""
    if not ranks.distributed:
        return list(values)
    total = torch.tensor(list(values), dtype=torch.float64, device=device)
    dist.all_reduce(total)
    return total.tolist()


def wait_for_all(ranks: Ranks) -> None:
    """Every rank reaches this point before any goes on (e.g. until rank 0 has written a file)."""
    if ranks.distributed:
        dist.barrier()


def launch(nproc: int, arguments: Sequence[str]) -> None:
    """`python -m v2m_cli ARGUMENTS` in `nproc` processes on this machine, through torch.distributed.run
    (what `torchrun --standalone --nproc-per-node N -m v2m_cli ...` runs)."""
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.run import main as torchrun

    if launched_ranks().distributed:
        raise UsageError("--nproc inside a torchrun launch: give one or the other")
    # each process's torch, OpenMP and MKL get an equal share of the cores (torchrun's default is one)
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // nproc)))
    try:
        torchrun(["--standalone", f"--nproc-per-node={nproc}", "-m", "v2m_cli", *arguments])
    except ChildFailedError as error:
        rank, failure = error.get_first_failure()
        failed = UsageError if failure.exitcode == UsageError.exit_code else V2MError
        raise failed(f"training process {rank} of {nproc} failed (exit code {failure.exitcode}); its error is "
                     "printed above") from None
