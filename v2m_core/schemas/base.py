"""Base classes for every model that crosses a boundary (files, plugins, processes)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from v2m_core.errors import UsageError

M = TypeVar("M", bound=BaseModel)

Seed = Annotated[int, Field(ge=0, le=2**32 - 1, description="Random seed, 0..4294967295: the same seed, the same result.")]
"""The range every random generator v2m seeds accepts (numpy refuses negative seeds, torch ones past 64 bits)."""


class V2MModel(BaseModel):
    """Strict base: unknown keys are errors, so a typo in a file never passes silently; nan and infinity are
    refused in every float, so a non-finite value from a file or an option never reaches a computation."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


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


def validation_problem(error: ValidationError) -> str:
    """The first problem pydantic found, as one line: "key 'compose.tempo': Input should be a finite number (got inf)".

    pydantic's own text spans several lines and ends in a URL; a user needs the key, the rule and the value.
    """
    first = error.errors()[0]
    dotted = ".".join(str(part) for part in first["loc"])
    where = "".join(c if c.isprintable() else repr(c)[1:-1] for c in dotted[:60])  # keys from files: any text
    message = " ".join(first["msg"].removeprefix("Value error, ").split())
    value = first.get("input")
    shown = repr(value) if isinstance(value, (int, float, str)) and first["type"] != "missing" else ""
    got = f" (got {shown if len(shown) <= 40 else shown[:37] + '...'})" if shown else ""
    return f"key '{where}': {message}{got}" if where else f"{message}{got}"


def read_model_file(path: Path, model: type[M]) -> M:
    """The JSON file at `path` as `model`; unreadable, not JSON or not valid is one UsageError naming the file."""
    try:
        return model.model_validate_json(Path(path).read_bytes())
    except OSError as error:
        raise UsageError(f"{path}: cannot read ({error.strerror})") from None
    except ValidationError as error:
        raise UsageError(f"{path}: not a v2m {model.__name__} file: {validation_problem(error)}") from None
