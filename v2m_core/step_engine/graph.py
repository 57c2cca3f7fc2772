"""Questions about an ordered step graph: who writes a file, what depends on a step, and what a step depends on."""

from __future__ import annotations

from collections.abc import Sequence

from v2m_core.step_engine.order import StepClass, producers


def downstream(ordered: Sequence[StepClass], name: str) -> set[str]:
    """`name` and every step that reads, directly or not, a file it writes."""
    writers = producers(ordered)
    affected = {name}
    for step in ordered:
        if any(writers[needed].name in affected for needed in step.inputs if needed in writers):
            affected.add(step.name)
    return affected


def upstream(ordered: Sequence[StepClass], name: str) -> set[str]:
    """`name` and every step whose outputs it reads, directly or not: what must run to make its outputs."""
    writers = producers(ordered)
    needed = {name}
    for step in reversed(ordered):
        if step.name in needed:
            needed |= {writers[file].name for file in step.inputs if file in writers}
    return needed


def upstream_outputs(ordered: Sequence[StepClass], step: StepClass, excluded: set[str]) -> dict[str, str]:
    """Inputs of `step` written by a step in `excluded`: file -> that step's name."""
    writers = producers(ordered)
    return {needed: writers[needed].name for needed in step.inputs
            if needed in writers and writers[needed].name in excluded}
