#!/usr/bin/env bash
# The C# Jupyter kernel in real Jupyter: installs libzmq + Debian's Jupyter client stack when missing, builds the CLI,
# installs the kernelspecs 'hfb-csharp' and '.net-csharp' (--polyglot-name) into a temporary prefix, runs
# jupyter_kernel_test (.ci/checks/kernel_test.py) with Debian's /usr/bin/python3, then executes the representative
# Polyglot notebooks (tests/HarmoniousFeedback.Kernel.Tests/PolyglotNotebooks: .ipynb as they are, opening with the
# '.net-csharp' kernelspec their metadata names, and the .dib through 'hfb notebook convert') with nbclient and fails
# on an error output outside the cells tagged raises-exception. The project's notebooks/*.ipynb run in the browser
# check (notebooks-browser.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian package names checked with apt-cache (bookworm): libzmq5 4.3.4, jupyter-client/python3-jupyter-client 7.4,
# python3-nbclient 0.7, jupyter-nbconvert 6.5, python3-jupyter-kernel-test 0.4.5.
pkgs=()
have() { dpkg -s "$1" >/dev/null 2>&1; }
zmq_was_missing=0
have libzmq5 || zmq_was_missing=1
for p in libzmq5 jupyter-client python3-jupyter-client python3-nbclient jupyter-nbconvert python3-jupyter-kernel-test; do
  have "$p" || pkgs+=("$p")
done
if [ ${#pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: kernel check needs Debian packages (${pkgs[*]}) and is not root to install them" >&2
    exit 1
  fi
  echo "installing ${pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

dotnet build src/HarmoniousFeedback.Cli/HarmoniousFeedback.Cli.csproj -c Release -v quiet -nologo
hfb=(dotnet src/HarmoniousFeedback.Cli/bin/Release/net10.0/hfb.dll)

if [ "$zmq_was_missing" = 1 ]; then
  # The solution-wide test run before this check skipped the ZeroMQ tests (libzmq was absent then): run them now.
  dotnet test tests/HarmoniousFeedback.Kernel.Tests -c Release
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${hfb[@]}" kernel install --prefix "$work" --polyglot-name
export JUPYTER_PATH="$work/share/jupyter"
export HFB_KERNEL_CACHE="$work/kernel-cache"  # NuGet restores of this run only
jupyter kernelspec list

echo "jupyter_kernel_test on hfb-csharp"
(cd .ci/checks && HFB_KERNEL_NAME=hfb-csharp /usr/bin/python3 -m unittest -v kernel_test)

polyglot=tests/HarmoniousFeedback.Kernel.Tests/PolyglotNotebooks
mkdir -p "$work/polyglot"
cp "$polyglot"/*.ipynb "$work/polyglot/"
"${hfb[@]}" notebook convert "$polyglot/03-polyglot-file.dib" --out "$work/polyglot/03-polyglot-file.ipynb"
for nb in "$work"/polyglot/*.ipynb; do
  echo "executing $(basename "$nb") (kernelspec from its metadata)"
  # No kernel_name: the notebook's own kernelspec ('.net-csharp' for Polyglot notebooks) must resolve to hfb-kernel.
  (cd "$work/polyglot" && jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
    --output "executed-$(basename "$nb")" "$nb")
  /usr/bin/python3 - "$work/polyglot/executed-$(basename "$nb")" <<'PY'
import json, sys
nb = json.load(open(sys.argv[1]))
bad = [(i, o) for i, c in enumerate(nb["cells"]) for o in c.get("outputs", [])
       if o.get("output_type") == "error" and "raises-exception" not in c.get("metadata", {}).get("tags", [])]
if bad:
    print(f"{sys.argv[1]}: {len(bad)} unexpected error output(s): " + "; ".join(f"cell {i}: {o['ename']}: {o['evalue']}" for i, o in bad))
    sys.exit(1)
tagged = [c for c in nb["cells"] if "raises-exception" in c.get("metadata", {}).get("tags", [])]
missing = [c for c in tagged if not any(o.get("output_type") == "error" for o in c.get("outputs", []))]
if missing:
    print(f"{sys.argv[1]}: {len(missing)} cell(s) tagged raises-exception did not fail")
    sys.exit(1)
print(f"{sys.argv[1]}: {sum(c['cell_type'] == 'code' for c in nb['cells'])} code cells, no unexpected error")
PY
done
echo "kernel check passed"
