"""Where a command may write, and how its outputs appear there.

Where: never over one of its inputs, and only a file of the kind it writes; checked before any work starts,
so a mistyped `-o` costs nothing and destroys nothing. How: all at once (`StagedOutputs`), so a run that
fails leaves no new output, neither a half-written one nor some of several.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType

from v2m_core.atomic import atomic_path
from v2m_core.errors import MediaError, UsageError
from v2m_core.scratch import owner_mark


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


class StagedOutputs:
    """A run's new outputs, each written under a temporary name beside its target and renamed into place by
    `commit()` once all are complete (renames within each folder: nothing left to fail but the disk itself).
    Leaving the `with` block without a commit (an error, an interrupt) removes the temporaries and the folders
    made for them, so a failed run leaves every output as it was. Temporaries carry the owner mark of
    `scratch.py`, so those a killed run leaves are swept by a later one."""

    def __init__(self) -> None:
        self._files = ExitStack()
        self._folders: list[tuple[Path, Path, bool]] = []
        self._made: list[Path] = []
        """Folders created for the outputs, outermost first."""

    def __enter__(self) -> StagedOutputs:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.discard(kind, error, traceback)

    def make_folder_for(self, target: Path) -> None:
        """Create the folder `target` goes in when missing, and prove that a file can be created there (the only
        reliable test: root passes os.access everywhere, e.g. in /proc)."""
        parent = Path(target).absolute().parent
        missing = [folder for folder in (parent, *parent.parents) if not folder.exists()]
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise MediaError(target, f"cannot create the folder {parent}: a file is in the way") from None
        except OSError as error:
            raise MediaError(target, f"cannot create the folder {parent} ({error.strerror or error})") from None
        self._made += [folder for folder in reversed(missing) if folder not in self._made]
        try:
            with tempfile.TemporaryFile(dir=parent):
                pass
        except OSError as error:
            raise MediaError(target, f"cannot write here ({error.strerror or error})") from None

    def file(self, target: Path) -> Path:
        """A temporary path beside `target` (`atomic_path`'s, with the same suffix) for the new file."""
        return self._files.enter_context(atomic_path(Path(target)))

    def folder(self, target: Path, merge: bool = False) -> Path:
        """A new empty folder beside `target` for the new one. At the commit it replaces `target` whole; with
        `merge`, its entries replace those of the same names in an existing `target` and the others stay (a
        folder the user named, which may hold more than this run writes)."""
        target = Path(target)
        temporary = _new_folder(target, "tmp")
        self._folders.append((temporary, target, merge))
        return temporary

    def commit(self) -> None:
        """Rename every temporary onto its target."""
        self._files.close()
        for temporary, target, merge in self._folders:
            if merge and target.is_dir():
                for entry in sorted(temporary.iterdir()):
                    _replace(entry, target / entry.name)
                temporary.rmdir()
            else:
                _replace(temporary, target)
        self._folders, self._made = [], []

    def discard(self, kind: type[BaseException] | None = None, error: BaseException | None = None,
                traceback: TracebackType | None = None) -> None:
        """Remove what was not committed: the temporaries, then the folders made for them if they are empty."""
        try:
            self._files.__exit__(kind or RuntimeError, error or RuntimeError("discarded"), traceback)
        finally:
            for temporary, _, _ in self._folders:
                shutil.rmtree(temporary, ignore_errors=True)
            for folder in reversed(self._made):
                try:
                    folder.rmdir()
                except OSError:
                    pass
            self._folders, self._made = [], []


def _new_folder(beside: Path, kind: str) -> Path:
    """A new folder next to `beside`, named like `atomic_path`'s temporaries; made by os.mkdir, so it gets the
    mode the umask gives a new folder (mkdtemp's is private)."""
    while True:
        folder = beside.parent / f".{beside.name}.{owner_mark(kind)}.{secrets.token_hex(4)}"
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def _replace(new: Path, target: Path) -> None:
    """`new` (a file or folder) in place of `target`; an existing folder is moved aside first and then deleted,
    as a rename cannot replace a folder that is not empty."""
    if not (target.is_dir() and not target.is_symlink()):
        os.replace(new, target)
        return
    aside = _new_folder(target, "old")
    os.replace(target, aside / target.name)
    os.replace(new, target)
    shutil.rmtree(aside, ignore_errors=True)
