#!/usr/bin/env bash
# The C# Jupyter kernel in real Jupyter: installs libzmq + Debian's Jupyter client stack when missing, builds the CLI,
# installs the kernelspec 'hfb-csharp' into a temporary prefix, runs jupyter_kernel_test (.ci/checks/kernel_test.py)
# with Debian's /usr/bin/python3, then executes every notebooks/*.ipynb (if any) and fails on an error output.
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
"${hfb[@]}" kernel install --prefix "$work"
export JUPYTER_PATH="$work/share/jupyter"
jupyter kernelspec list

echo "jupyter_kernel_test on hfb-csharp"
(cd .ci/checks && HFB_KERNEL_NAME=hfb-csharp /usr/bin/python3 -m unittest -v kernel_test)

shopt -s nullglob
notebooks=(notebooks/*.ipynb)
if [ ${#notebooks[@]} -eq 0 ]; then
  echo "no notebooks/*.ipynb to execute"
else
  for nb in "${notebooks[@]}"; do
    echo "executing $nb"
    jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=hfb-csharp \
      --ExecutePreprocessor.timeout=600 --output-dir "$work/executed" "$nb"
    /usr/bin/python3 - "$work/executed/$(basename "$nb")" <<'PY'
import json, sys
nb = json.load(open(sys.argv[1]))
errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
if errors:
    print(f"{sys.argv[1]}: {len(errors)} error output(s): " + "; ".join(f"{e['ename']}: {e['evalue']}" for e in errors))
    sys.exit(1)
PY
  done
fi
echo "kernel check passed"
