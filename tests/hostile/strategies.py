"""What the property-based hostile tests share: hostile numbers and text, and what a clear error is."""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Iterator

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from v2m_core.errors import V2MError


def hostile_settings(max_examples: int) -> settings:
    """The same examples on every run (derandomized, no example database): a failure reproduces anywhere. Tests
    write their files into one tmp_path, each example overwriting the last."""
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


EXTREMES = (0, -1, 1, 2**31, 2**32, 2**63, 2**64, -(2**63), 1e308, -1e308, 5e-324, 1e-9, float("nan"),
            float("inf"), float("-inf"))

hostile_numbers = st.one_of(
    st.sampled_from(EXTREMES),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
)
"""nan, infinities, huge, tiny, negative, and ordinary numbers."""

number_text = st.one_of(
    hostile_numbers.map(repr),
    st.sampled_from(["nan", "NaN", "-inf", "infinity", "1e999", "-0", "0x10", "1_000", "", "1.2.3", "٣", "1e-400"]),
    st.text(alphabet="0123456789.-+eE", max_size=8),
)
"""How a number may be written in a file: Python's own spellings, ones float() takes, and near misses."""


def toml_literal(value: int | float) -> str:
    """`value` as TOML writes it (nan and inf included)."""
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return repr(value)


def assert_clear(error: BaseException, *mentions: str) -> None:
    """One of v2m's own errors, one line long, no pydantic dump, naming each of `mentions`."""
    assert isinstance(error, V2MError), f"{type(error).__name__}: {error}"
    text = str(error)
    assert text and "\n" not in text and "errors.pydantic.dev" not in text, text
    for mention in mentions:
        assert mention in text, (mention, text)


def _numeric(annotation: object) -> bool:
    arguments = [a for a in typing.get_args(annotation) if a is not types.NoneType]
    if typing.get_origin(annotation) is typing.Annotated:
        return _numeric(arguments[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return all(_numeric(a) for a in arguments)
    return annotation in (int, float)


def numeric_keys(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    """Dotted key of every int or float setting of `model` and its nested models; a mapping of numbers gets one
    sample key (`compose.instruments.melody`)."""
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from numeric_keys(annotation, f"{prefix}{name}.")
        elif typing.get_origin(annotation) is dict and _numeric(typing.get_args(annotation)[1]):
            yield f"{prefix}{name}.melody"
        elif _numeric(annotation):
            yield f"{prefix}{name}"


def non_finite(data: object, where: str = "") -> list[str]:
    """Where `data` (a model, or what model_dump gives) holds nan or an infinity."""
    if isinstance(data, BaseModel):
        return non_finite(data.model_dump(), where)
    if isinstance(data, dict):
        return [w for key, value in data.items() for w in non_finite(value, f"{where}.{key}")]
    if isinstance(data, (list, tuple)):
        return [w for i, value in enumerate(data) for w in non_finite(value, f"{where}[{i}]")]
    return [where] if isinstance(data, float) and not math.isfinite(data) else []
