"""Built-in planners."""

from v2m_core.planners.rules import RulePlanner

__all__ = ["RulePlanner"]
