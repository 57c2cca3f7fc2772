"""v2m core: interfaces, plugin manager, schemas, pipeline engine and media I/O.

The library entry point is `from v2m_core import compose` (see docs/library.md); it is imported on first
use, so `import v2m_core` stays cheap for the CLI and for plugins.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("v2m")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

if TYPE_CHECKING:
    from v2m_core.compose.pipeline import compose

# `v2m_core.compose` names both the stage package (v2m_core/compose/) and the function. Python binds a
# subpackage to its parent's attribute when it is first imported, which would hide the function: so the
# package (a docstring, cheap) is imported now and its binding dropped, and the first `v2m_core.compose`
# lookup reaches __getattr__ below. Its modules are imported by full name (`from v2m_core.compose.mastering
# import master`), never as attributes of v2m_core.
importlib.import_module("v2m_core.compose")
del globals()["compose"]


def __getattr__(name: str) -> Any:
    if name == "compose":
        from v2m_core.compose.pipeline import compose

        globals()["compose"] = compose
        return compose
    raise AttributeError(f"module 'v2m_core' has no attribute {name!r}")


__all__ = ["__version__", "compose"]
