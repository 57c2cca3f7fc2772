"""Hook implementations: the embedding and zero-shot emotion steps (torch is imported only when they run)."""

from __future__ import annotations

from v2m_core.plugins import hookimpl
from v2m_core.plugins.hookspecs import Register


@hookimpl
def register_steps(register: Register) -> None:
    from v2m_semantic.clip import ClipEmotionStep, ClipSemanticStep
    from v2m_semantic.efficientnet import EfficientNetSemanticStep

    register(EfficientNetSemanticStep)
    register(ClipSemanticStep)
    register(ClipEmotionStep)
