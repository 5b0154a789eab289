#!/usr/bin/env bash
# The "Using ML.NET" program (examples/MlNetQuickstart, shown in docs/mlnet.md and the README) runs as written on a
# fresh clone: it prepares a small synthetic corpus, fits a pipeline mixing toolkit and ML.NET steps, evaluates,
# saves, loads and predicts. Then a second, new process loads the saved model and must print identical predictions.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d "${TMPDIR:-/tmp}/hfb-mlnet-example.XXXXXX")
trap 'rm -rf "$out"' EXIT
# The README shows this program unchanged.
python3 - <<'PY'
import re, sys
readme = open("README.md", encoding="utf-8").read()
section = readme[readme.index("## Using ML.NET"):]
shown = re.search(r"```csharp\n(.*?)\n```", section, re.S).group(1)
code = open("examples/MlNetQuickstart/Program.cs", encoding="utf-8").read().rstrip("\n")
if shown != code:
    sys.exit("mlnet-example: the README's 'Using ML.NET' program differs from examples/MlNetQuickstart/Program.cs")
print("mlnet-example: README program == examples/MlNetQuickstart/Program.cs")
PY
rm -rf data/mlnet-quickstart
dotnet build examples/MlNetQuickstart/MlNetQuickstart.csproj -c Release --nologo -v quiet
start=$(date +%s)
dotnet run --project examples/MlNetQuickstart -c Release --no-build | tee "$out/train.txt"
echo "mlnet-example: training run took $(( $(date +%s) - start )) s"
grep -Eq '^test clips: [0-9]+, accuracy: [0-9.]+, macro accuracy: [0-9.]+$' "$out/train.txt" \
  || { echo "mlnet-example: no evaluation line" >&2; exit 1; }
grep '^prediction ' "$out/train.txt" > "$out/in-process.txt"
n=$(wc -l < "$out/in-process.txt")
[ "$n" -gt 0 ] || { echo "mlnet-example: no predictions printed" >&2; exit 1; }
dotnet run --project examples/MlNetQuickstart -c Release --no-build -- predict | grep '^prediction ' > "$out/new-process.txt"
if ! diff -u "$out/in-process.txt" "$out/new-process.txt"; then
  echo "mlnet-example: the saved model predicts differently in a new process" >&2
  exit 1
fi
echo "mlnet-example: $n predictions identical in a new process"
