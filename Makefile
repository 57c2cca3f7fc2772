# The two set-up commands of the README: `make demo` (a light environment: what `v2m compose` needs, no
# torch) and `make test` (everything: torch, every plugin, the test tools).
.PHONY: setup setup-demo demo test
setup:
	bash scripts/setup.sh

setup-demo:
	bash scripts/setup.sh --demo

demo: setup-demo
	.venv-demo/bin/v2m demo -o demo

test: setup
	.venv/bin/python -m pytest -q tests plugins
