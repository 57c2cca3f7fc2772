"""v2m core: interfaces, plugin manager, schemas, pipeline engine and media I/O."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("v2m")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
