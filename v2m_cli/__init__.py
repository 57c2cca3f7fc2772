"""The `v2m` command line (Typer)."""
