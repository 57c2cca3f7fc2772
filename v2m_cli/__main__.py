"""`python -m v2m_cli` runs the `v2m` command."""

from v2m_cli.script import run

run()
