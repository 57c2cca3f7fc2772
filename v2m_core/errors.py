"""Errors the CLI turns into one red line and an exit code (1 failed run, 2 usage)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class V2MError(Exception):
    """A run failed for a reason the user can act on; the message is one line."""

    exit_code = 1


class UsageError(V2MError):
    """The command was asked for something invalid (bad option, malformed config)."""

    exit_code = 2


class UnknownPluginError(UsageError):
    def __init__(self, kind: str, name: str, valid: list[str]) -> None:
        self.kind, self.name, self.valid = kind, name, valid
        names = ", ".join(valid) if valid else "none installed"
        super().__init__(f"unknown {kind} plugin '{name}'{did_you_mean(name, valid)}; valid names: {names}")


def did_you_mean(name: str, valid: Iterable[str]) -> str:
    """" (did you mean 'pop'?)" when `name` is close to one of `valid` (difflib's ratio), else ""."""
    close = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class MediaError(V2MError):
    """A media file is missing, unreadable or unusable; the message names the file."""

    def __init__(self, path: object, problem: str) -> None:
        self.path, self.problem = path, problem
        super().__init__(f"{path}: {problem}")


class DiskFullError(V2MError):
    """Writing `path` failed because its file system is full (or the user's quota is used up)."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"no space left on {path}")


class MissingProgramError(V2MError):
    """A program v2m runs is not installed (or not on PATH); the message names the package that brings it."""

    PACKAGES = {"ffmpeg": ("ffmpeg", "ffmpeg"), "ffprobe": ("ffmpeg", "ffmpeg"), "fluidsynth": ("fluidsynth", "fluid-synth")}
    """Program -> (Debian/Ubuntu package, Homebrew formula)."""

    def __init__(self, program: str) -> None:
        self.program = program
        debian, homebrew = self.PACKAGES.get(program, (None, None))
        hint = f": apt-get install {debian} (Debian/Ubuntu) or brew install {homebrew} (macOS)" if debian else ""
        super().__init__(f"{program} is not installed (not found on PATH){hint}")
