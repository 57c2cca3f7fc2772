"""Base classes for every model that crosses a boundary (files, plugins, processes)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class V2MModel(BaseModel):
    """Strict base: unknown keys are errors, so a typo in a file never passes silently."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class PersistedModel(V2MModel):
    """A model written to disk; `schema_version` lets readers refuse files they do not understand.

    Subclasses set `SCHEMA_VERSION`; bump it on any incompatible change and regenerate
    `schemas/` with `v2m schemas export` (a test fails while they are stale).
    """

    SCHEMA_VERSION: ClassVar[int] = 1
    schema_version: int = Field(default=1, description="Version of this file format.")

    @model_validator(mode="before")
    @classmethod
    def _default_version(cls, data: Any) -> Any:
        if isinstance(data, dict) and "schema_version" not in data:
            return {**data, "schema_version": cls.SCHEMA_VERSION}
        return data

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != cls.SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {value} is not supported (this v2m reads version {cls.SCHEMA_VERSION})"
            )
        return value
