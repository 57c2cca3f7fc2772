"""Errors the CLI turns into one red line and an exit code (1 failed run, 2 usage)."""

from __future__ import annotations


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
        super().__init__(f"unknown {kind} plugin '{name}'; valid names: {names}")


class MediaError(V2MError):
    """A media file is missing, unreadable or unusable; the message names the file."""

    def __init__(self, path: object, problem: str) -> None:
        self.path, self.problem = path, problem
        super().__init__(f"{path}: {problem}")
