#!/usr/bin/env bash
# Create or refresh a virtual environment for v2m; safe to run again (idempotent).
#
#   scripts/setup.sh           .venv: everything the tests need (torch, every plugin, test tools), exactly
#                              as locked in requirements.txt (`make test`)
#   scripts/setup.sh --demo    .venv-demo: only what `v2m compose` needs, a plain install of v2m under
#                              requirements.txt's pins, no torch (`make demo`)
#
# V2M_VENV=PATH makes the environment there instead. Debian packages are installed when missing: ffmpeg,
# fluidsynth and General MIDI soundfonts; for the tests also chromium and espeak-ng.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

mode=test
case "${1:-}" in
  "") ;;
  --demo) mode=demo ;;
  *) echo "usage: scripts/setup.sh [--demo]" >&2; exit 2 ;;
esac
default_venv=.venv
[ "$mode" = demo ] && default_venv=.venv-demo
venv=${V2M_VENV:-$default_venv}

need_apt=()
command -v ffmpeg >/dev/null 2>&1 || need_apt+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || need_apt+=(ffmpeg)
command -v fluidsynth >/dev/null 2>&1 || need_apt+=(fluidsynth)
[ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || need_apt+=(fluid-soundfont-gm)
if [ "$mode" = test ]; then
  [ -f /usr/share/sounds/sf2/TimGM6mb.sf2 ] || need_apt+=(timgm6mb-soundfont)  # the soundfont tests use both
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)  # `v2m report`'s test opens the page headless
  command -v espeak-ng >/dev/null 2>&1 || need_apt+=(espeak-ng)  # speaks the dialogue of tests/compose/test_dialogue_mix.py
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${need_apt[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

python=${PYTHON:-python3}
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check)
stamp=$venv/.v2m-setup-stamp
shopt -s nullglob
inputs=$( (echo "$mode"; cat requirements.txt pyproject.toml plugins/*/pyproject.toml scripts/setup.sh) | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
  echo "setup: $venv is up to date"
  exit 0
fi
echo "setup: installing Python packages into $venv"

if [ "$mode" = demo ]; then
  # What a user gets from `pip install v2m`: the declared dependencies, pinned by the lock (-c), editable
  # so the demo runs this checkout.
  "${pip[@]}" -c requirements.txt -e .
  echo "$inputs" > "$stamp"
  echo "setup: done ($(du -sh "$venv" | cut -f1) in $venv)"
  exit 0
fi

# torch first and alone: torch==2.13.0 is the local CPU wheel on this machine kind; later pins it satisfies add nothing.
"$venv/bin/python" -c 'import torch, sys; sys.exit(torch.__version__.split("+")[0] != "2.13.0")' 2>/dev/null \
  || "${pip[@]}" torch==2.13.0
"${pip[@]}" "setuptools<81" wheel
# Environments made before v2m declared scenedetect-headless hold `scenedetect` (the same module, published
# with opencv-python as its dependency) installed --no-deps: remove it, so one distribution owns scenedetect/.
if "$venv/bin/python" -m pip show -q scenedetect >/dev/null 2>&1; then
  "$venv/bin/python" -m pip uninstall -y -q scenedetect
fi
"${pip[@]}" -r requirements.txt
"${pip[@]}" --no-build-isolation --no-deps -e .
# The v2m-basic-pitch plugin's basic-pitch: its metadata pulls TensorFlow, but its shipped ONNX model needs
# only what plugins/v2m-basic-pitch/pyproject.toml declares, so it is installed alone (see its README).
"${pip[@]}" --no-deps basic-pitch==0.4.0
for plugin in plugins/*/; do
  [ -f "$plugin/pyproject.toml" ] || continue
  case "$plugin" in */v2m-example/) continue ;; esac  # the tests install the example plugin themselves
  "${pip[@]}" --no-build-isolation -e "$plugin"
done
echo "$inputs" > "$stamp"
echo "setup: done"
