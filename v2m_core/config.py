"""Loading `v2m.toml` with CLI overrides, remembering where each effective value came from.

Layers, later wins: defaults (the V2MConfig model) < the config file < `--set key=value` overrides.
The file is the one given (`--config`), else `$V2M_CONFIG`, else `./v2m.toml` when present.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from v2m_core.errors import UsageError
from v2m_core.schemas.base import validation_problem
from v2m_core.schemas.config import V2MConfig

CONFIG_ENV = "V2M_CONFIG"
DEFAULT_FILE = "v2m.toml"


@dataclass(frozen=True)
class LoadedConfig:
    config: V2MConfig
    path: Path | None
    sources: dict[str, str]
    """Dotted key -> 'default', 'file <path>' or 'cli'."""


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested tables to dotted keys: {"compose": {"seed": 1}} -> {"compose.seed": 1}."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def parse_override(text: str) -> dict[str, Any]:
    """'compose.seed=3' -> {'compose': {'seed': 3}}; the value is read as TOML, else as a string."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"--set {text!r}: expected KEY=VALUE, e.g. compose.seed=3")
    try:
        value: Any = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    except RecursionError:
        raise UsageError(f"--set {key.strip()}: the value is nested too deeply") from None
    nested: dict[str, Any] = {}
    cursor = nested
    parts = key.strip().split(".")
    for part in parts[:-1]:
        cursor = cursor.setdefault(part, {})
    cursor[parts[-1]] = value
    return nested


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise UsageError(f"{path}: config file not found") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: invalid TOML: {error}") from None
    except RecursionError:
        raise UsageError(f"{path}: invalid TOML: nested too deeply") from None
    except UnicodeDecodeError as error:
        line = error.object[:error.start].count(b"\n") + 1
        raise UsageError(f"{path}: invalid TOML: not UTF-8 text (byte {error.object[error.start]:#04x} on line {line})"
                         ) from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read config file: {error.strerror}") from None


def _validate(data: dict[str, Any], where: Mapping[str, str]) -> V2MConfig:
    try:
        return V2MConfig.model_validate(data)
    except ValidationError as error:
        key = ".".join(str(part) for part in error.errors()[0]["loc"])
        origin = next((where[k] for k in where if key == k or key.startswith(k + ".") or k.startswith(key + ".")),
                      "config")
        raise UsageError(f"{origin}: {validation_problem(error)}") from None


def find_config_file(explicit: Path | None, environ: Mapping[str, str] | None = None) -> Path | None:
    environ = os.environ if environ is None else environ
    if explicit is not None:
        return explicit
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV])
    local = Path.cwd() / DEFAULT_FILE
    return local if local.is_file() else None


def load_config(path: Path | None = None, overrides: Iterable[str] = (),
                environ: Mapping[str, str] | None = None) -> LoadedConfig:
    """The effective configuration; malformed files or overrides raise UsageError naming file and key."""
    file = find_config_file(path, environ)
    file_data = _read_file(file) if file else {}
    data: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for layer, label in [(file_data, f"file {file}"), *((parse_override(o), "cli") for o in overrides)]:
        data = _merge(data, layer)
        origin.update({key: label for key in flatten(layer)})
    config = _validate(data, {k: ("command line" if v == "cli" else str(file)) for k, v in origin.items()})
    effective = flatten(config.model_dump(mode="json"))
    sources = {key: next((origin[k] for k in origin if key == k or key.startswith(k + ".")), "default")
               for key in effective}
    return LoadedConfig(config=config, path=file, sources=sources)
