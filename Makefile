# The two set-up commands of the README: `make demo` (a light environment: what `v2m compose` needs, no
# torch) and `make test` (everything: torch, every plugin, the test tools, the linters).
.PHONY: setup setup-demo demo lint test
setup:
	bash scripts/setup.sh

setup-demo:
	bash scripts/setup.sh --demo

demo: setup-demo
	.venv-demo/bin/v2m demo -o demo

# Seconds, so they run first: style and mistakes (ruff), types (mypy), the package layers (import-linter;
# docs/architecture.md draws the map).
lint: setup
	.venv/bin/ruff check --no-cache .
	.venv/bin/mypy
	.venv/bin/lint-imports --no-cache

test: lint
	.venv/bin/python -m pytest -q tests plugins
