#!/usr/bin/env bash
# Installs the Debian packages the CI checks use, only when missing (a second run does nothing).
set -euo pipefail
pkgs=()
have() { dpkg -s "$1" >/dev/null 2>&1; }
# fluidsynth + SoundFont: FluidSynth renderer tests; ffmpeg: non-WAV decoding tests; librsvg2-bin: SVG render
# checks; libzmq5: the Jupyter kernel transport (so the kernel tests run in the main test pass); python3-onnx: the
# reference onnx.checker for exported ONNX files (OnnxCheckerTests).
for p in fluidsynth fluid-soundfont-gm ffmpeg librsvg2-bin libzmq5 python3-onnx; do have "$p" || pkgs+=("$p"); done
if [ ${#pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  else
    echo "warning: missing Debian packages (${pkgs[*]}) and not root; checks that need them will skip" >&2
  fi
fi
echo "system packages ready"
