#!/usr/bin/env bash
# The README's install line works: pack the CLI into a local folder and install it as a .NET tool (into a temporary
# --tool-path instead of --global, so CI leaves the machine as it was); the installed `hfb` runs and reports errors
# as one line with exit code 2.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet pack src/HarmoniousFeedback.Cli -c Release -o "$work/packages" -p:ContinuousIntegrationBuild=true --nologo -v quiet
dotnet tool install HarmoniousFeedback.Cli --tool-path "$work/tools" --add-source "$work/packages"
"$work/tools/hfb" --version
set +e
err=$("$work/tools/hfb" reproduce --bogus-option 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ] || { echo "installed hfb: expected one error line and exit 2, got $rc: $err" >&2; exit 1; }
# The installed tool carries the default teaching-feedback model (an embedded resource): hfb feedback without --model
# loads it before it reads the recording, so a missing recording is the error, not a missing model.
set +e
err=$("$work/tools/hfb" feedback "$work/missing.wav" --reference "$work/missing.mid" 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" = 2 ] && echo "$err" | grep -q "missing.wav" || { echo "installed hfb feedback: expected the default model to load and a missing-recording error, got $rc: $err" >&2; exit 1; }
echo "tool install: ok ($err)"
