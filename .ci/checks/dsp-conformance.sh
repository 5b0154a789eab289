#!/usr/bin/env bash
# DSP conformance: runs `hfb features <kind>` on every case of ../shared/anchors/dsp/cases.json and compares the
# CSVs with the references using the anchors' own checker (check_features.py). Fails on any FAIL line.
# Skips (exit 0, with a message) when the shared anchors are not present beside the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
anchors="${HFB_SHARED:-$repo/../shared}/anchors/dsp"
if [ ! -f "$anchors/cases.json" ] || [ ! -f "$anchors/check_features.py" ]; then
  echo "dsp-conformance: SKIPPED — no DSP anchors at $anchors (set HFB_SHARED to the shared folder)"
  exit 0
fi
py=$(command -v python3 || true)
if [ -z "$py" ]; then echo "dsp-conformance: python3 is required for check_features.py" >&2; exit 1; fi

dotnet build src/HarmoniousFeedback.Cli/HarmoniousFeedback.Cli.csproj -c Release --nologo -v quiet
dll="$repo/src/HarmoniousFeedback.Cli/bin/Release/net10.0/hfb.dll"
[ -f "$dll" ] || { echo "dsp-conformance: $dll was not built" >&2; exit 1; }

out=$(mktemp -d "${TMPDIR:-/tmp}/hfb-dsp-conformance.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$py" "$anchors/check_features.py" "$anchors/cases.json" "$out" --commands --tool "dotnet $dll" > "$out/run_all.sh"
n=$(wc -l < "$out/run_all.sh")
echo "dsp-conformance: running $n cases"
if ! sh -e "$out/run_all.sh"; then echo "dsp-conformance: a command failed" >&2; exit 1; fi
set +e
"$py" "$anchors/check_features.py" "$anchors/cases.json" "$out" | tee "$out/report.txt"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ] || grep -q '^FAIL' "$out/report.txt"; then
  echo "dsp-conformance: FAILED" >&2
  exit 1
fi
echo "dsp-conformance: all cases passed"
