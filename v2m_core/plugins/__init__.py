"""Plugin discovery and lookup; see docs/plugins.md for how to write one."""

from v2m_core.plugins.hookspecs import hookimpl
from v2m_core.plugins.manager import DISABLED_ENV, ENTRY_POINT_GROUP, LOAD_ENV, PluginManager
from v2m_core.plugins.records import PluginRecord

__all__ = ["DISABLED_ENV", "ENTRY_POINT_GROUP", "LOAD_ENV", "PluginManager", "PluginRecord", "hookimpl"]
