#!/usr/bin/env bash
# The notebooks in a real browser: serves notebooks/*.ipynb and the representative Polyglot notebooks with Debian's
# classic Jupyter Notebook server on 127.0.0.1, drives headless Chromium (Selenium + chromedriver) to run every
# notebook through the UI (Cell > Run All), fails on any error output (outside cells tagged raises-exception), checks
# that figures render as inline SVG with a non-zero size, saves each executed notebook from the UI, exports one with
# nbconvert to HTML, opens that file in Chromium and checks its figures are non-empty images there too. Screenshots go
# to data/ci-screenshots/ (git-ignored; the path is printed) as CI artifacts.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian bookworm: jupyter-notebook 6.4, chromium + chromium-driver, python3-selenium 4, jupyter-nbconvert 6.5,
# python3-nbclient 0.7, pandoc (nbconvert's LaTeX export of markdown cells); librsvg2-bin renders the PNG twin of
# every SVG output (export); libzmq5 for the kernel.
pkgs=()
have() { dpkg -s "$1" >/dev/null 2>&1; }
for p in libzmq5 librsvg2-bin jupyter-notebook chromium chromium-driver python3-selenium jupyter-nbconvert python3-nbclient pandoc; do
  have "$p" || pkgs+=("$p")
done
if [ ${#pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: the browser check needs Debian packages (${pkgs[*]}) and is not root to install them" >&2
    exit 1
  fi
  echo "installing ${pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

dotnet build src/HarmoniousFeedback.Cli/HarmoniousFeedback.Cli.csproj -c Release -v quiet -nologo
hfb=(dotnet src/HarmoniousFeedback.Cli/bin/Release/net10.0/hfb.dll)

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The toolkit as the packages the notebooks' '#r "nuget: HarmoniousFeedback"' (and, in 06, "nuget: HarmoniousFeedback.MLNet",
# which depends on HarmoniousFeedback.Onnx) restore, in the kernel's local folder.
export HFB_LOCAL_PACKAGES="$work/packages" HFB_KERNEL_CACHE="$work/kernel-cache"
for p in HarmoniousFeedback HarmoniousFeedback.Onnx HarmoniousFeedback.MLNet; do
  dotnet pack "src/$p/$p.csproj" -c Release -o "$HFB_LOCAL_PACKAGES" -v quiet -nologo
done
"${hfb[@]}" kernel install --prefix "$work/jupyter" --polyglot-name
export JUPYTER_PATH="$work/jupyter/share/jupyter" JUPYTER_CONFIG_DIR="$work/jupyter-config" JUPYTER_RUNTIME_DIR="$work/jupyter-runtime"

# The served folder: a copy of the project's notebooks beside notebooks/ (so their ../experiments, ../data and
# ../results paths still hold, and saving executed notebooks from the UI leaves notebooks/ untouched), with the
# Polyglot notebooks (plus the converted .dib) in its polyglot/ subfolder.
served="$PWD/.ci-notebooks"
rm -rf "$served"
mkdir -p "$served/polyglot"
trap 'cleanup; rm -rf "$served"' EXIT
cp notebooks/*.ipynb "$served/"
cp tests/HarmoniousFeedback.Kernel.Tests/PolyglotNotebooks/*.ipynb "$served/polyglot/"
"${hfb[@]}" notebook convert tests/HarmoniousFeedback.Kernel.Tests/PolyglotNotebooks/03-polyglot-file.dib --out "$served/polyglot/03-polyglot-file.ipynb"

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(16))')
allow_root=(); [ "$(id -u)" = 0 ] && allow_root=(--allow-root)  # CI runs as root
jupyter notebook "${allow_root[@]}" --no-browser --ip=127.0.0.1 --port="$port" --NotebookApp.token="$token" \
  --NotebookApp.notebook_dir="$served" --NotebookApp.open_browser=False >"$work/server.log" 2>&1 &
server_pid=$!

shots="$PWD/data/ci-screenshots"
mkdir -p "$shots"
echo "screenshots: $shots"
notebooks=()
for nb in "$served"/*.ipynb "$served"/polyglot/*.ipynb; do notebooks+=("${nb#"$served"/}"); done
if ! /usr/bin/python3 .ci/checks/notebooks_browser.py --url "http://127.0.0.1:$port" --token "$token" --root "$served" \
     --screenshots "$shots" --export 01-features.ipynb --work "$work" \
     --min-figures "01-features.ipynb=5,04-teaching-feedback.ipynb=2,05-multimodal-and-audio-text.ipynb=3,06-mlnet-onnx-bridge.ipynb=1" \
     "${notebooks[@]}"; then
  echo "--- notebook server log (tail) ---"; tail -50 "$work/server.log"
  exit 1
fi
echo "browser check passed"
