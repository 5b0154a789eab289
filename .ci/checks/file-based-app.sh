#!/usr/bin/env bash
# The README's C# script (a .NET 10 file-based app, `#:project` to the library) runs as written: one model of the
# default ablation, the table printed, exit 0; an unknown model name is one error line and exit 2.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(dotnet run experiments/ablation.cs -- experiments/paper-table1-synthetic.json LDA)
echo "$out" | tail -8
echo "$out" | grep -q "^| LDA |" || { echo "experiments/ablation.cs did not print the LDA row" >&2; exit 1; }
set +e
err=$(dotnet run experiments/ablation.cs -- experiments/paper-table1-synthetic.json NoSuchModel 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ] || { echo "unknown model: expected one error line and exit 2, got $rc: $err" >&2; exit 1; }
echo "file-based app: ok"
