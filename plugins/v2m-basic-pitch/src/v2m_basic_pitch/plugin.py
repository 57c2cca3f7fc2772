"""Hook implementation: registers the transcription step (basic-pitch is imported only when it runs)."""

from __future__ import annotations

from v2m_core.plugins import hookimpl
from v2m_core.plugins.hookspecs import Register


@hookimpl
def register_steps(register: Register) -> None:
    from v2m_basic_pitch.step import BasicPitchStep

    register(BasicPitchStep)
