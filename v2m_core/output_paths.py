"""Where a command may write: never over one of its inputs, and only a file of the kind it writes.

Checked before any work starts, so a mistyped `-o` costs nothing and destroys nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from v2m_core.errors import UsageError


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file: equal after resolving links, or hard links to one inode."""
    if Path(first).resolve() == Path(second).resolve():
        return True
    try:
        return Path(first).exists() and Path(second).exists() and os.path.samefile(first, second)
    except OSError:
        return False


def check_output_file(output: Path, inputs: Sequence[Path], suffixes: Sequence[str], what: str) -> None:
    """Refuse an output file that is an input (or a link to one), an existing file inside an input folder,
    anything but a regular file, or a name not ending in one of `suffixes`."""
    output = Path(output)
    _check_not_an_input(output, inputs)
    if output.exists() and not output.is_file():
        kind = "a folder" if output.is_dir() else "not a regular file"
        raise UsageError(f"{output}: is {kind}; give a file path for the {what}")
    if suffixes and output.suffix.lower() not in suffixes:
        raise UsageError(f"{output}: {what} goes to a file ending in {' or '.join(suffixes)}")


def check_output_folder(output: Path, inputs: Sequence[Path], what: str) -> None:
    """Refuse an output folder that is an existing file, an input, or inside an input folder."""
    output = Path(output)
    if output.exists() and not output.is_dir():
        raise UsageError(f"{output}: is a file; give a folder for the {what}")
    _check_not_an_input(output, inputs)


def _check_not_an_input(output: Path, inputs: Sequence[Path]) -> None:
    for source in inputs:
        source = Path(source)
        if same_file(source, output):
            raise UsageError(f"{output}: is an input of this command; writing there would destroy it")
        if source.is_dir() and output.exists() and output.resolve().is_relative_to(source.resolve()):
            raise UsageError(f"{output}: is inside the input folder {source}; writing there would replace an input")
