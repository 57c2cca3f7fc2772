"""Order steps so each runs after the steps that write its inputs (a topological sort)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from v2m_core.errors import UsageError
from v2m_core.interfaces.step import ExtractorStep

StepClass = type[ExtractorStep[Any]]


def producers(steps: Iterable[StepClass]) -> dict[str, StepClass]:
    """Output file -> the step that writes it; two writers of one file is an error."""
    writers: dict[str, StepClass] = {}
    for step in steps:
        for output in step.outputs:
            if output in writers:
                raise UsageError(f"steps '{writers[output].name}' and '{step.name}' both write '{output}'")
            writers[output] = step
    return writers


def order_steps(wanted: Sequence[StepClass], available: Iterable[StepClass] = (), present: Iterable[str] = ()) -> list[StepClass]:
    """`wanted` plus every step they need from `available`, dependencies first.

    Inputs listed in `present` (files already in the work folder) need no producer. Two wanted steps that write
    one file are an error; among `available` (every installed step, say), only a needed file that two write is.
    """
    writers = producers(wanted)
    offered: dict[str, list[StepClass]] = {}
    for step in available:
        if step not in wanted:
            for output in step.outputs:
                offered.setdefault(output, []).append(step)
    have = set(present)
    ordered: list[StepClass] = []
    visiting: set[str] = set()

    def writer(needed: str, reader: StepClass) -> StepClass | None:
        if needed in writers:
            return writers[needed]
        found = offered.get(needed, [])
        if len(found) > 1:
            raise UsageError(f"steps '{found[0].name}' and '{found[1].name}' both write '{needed}', which step "
                             f"'{reader.name}' reads: disable one (plugins.disabled)")
        return found[0] if found else None

    def visit(step: StepClass) -> None:
        if step in ordered:
            return
        if step.name in visiting:
            raise UsageError(f"steps form a cycle through '{step.name}'")
        visiting.add(step.name)
        for needed in step.inputs:
            producer = writer(needed, step)
            if producer is not None:
                visit(producer)
            elif needed not in have:
                raise UsageError(f"step '{step.name}' needs '{needed}', which no step writes")
        visiting.discard(step.name)
        ordered.append(step)

    for step in wanted:
        visit(step)
    return ordered
