# The two set-up commands of the README: `make demo` and `make test`.
.PHONY: setup demo test
setup:
	bash scripts/setup.sh

demo: setup
	.venv/bin/v2m demo -o demo

test: setup
	.venv/bin/python -m pytest -q tests plugins
