"""Command-line options that set configuration, as `--set` overrides: flags, v2m.toml, $V2M_CONFIG and `--set` then
merge in one place (`v2m_core.config.load_config`), and `v2m config show -s KEY=VALUE` shows what a flag does."""

from __future__ import annotations

import json


def option_overrides(table: str, **options: object) -> list[str]:
    """`TABLE.KEY=VALUE` for every option given (None: not given); list items may be comma-separated."""
    overrides = []
    for key, value in options.items():
        if value is None:
            continue
        if isinstance(value, list):
            value = [part.strip() for item in value for part in str(item).split(",") if part.strip()]
        overrides.append(f"{table}.{key}={json.dumps(value)}")
    return overrides
