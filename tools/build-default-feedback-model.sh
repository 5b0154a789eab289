#!/usr/bin/env bash
# Rebuilds the teaching-feedback model that ships inside hfb (DefaultFeedbackModel, docs/feedback.md): trains HFN–HFI
# with the fixed recipe (`hfb feedback-train --default-model-recipe`: 40 synthetic pieces × 6 renditions × builtin and
# builtin-upright, 3 s clips, channels 8-16-32-32, HFI K = 2, the note comparison with the score and its local contrasts, modality
# dropout 0.5, deciding from the notes, seed 1, tested on 8 unseen pieces) and writes the
# checkpoint and its provenance (MODEL.provenance.json: command, corpus hashes, toolkit version and commit, metrics)
# into src/HarmoniousFeedback.Cli/DefaultModel/. Same seed → same weights (the engine's results do not depend on the
# thread count). Commit first: the provenance records the commit the CLI was built from. Usage: tools/build-default-feedback-model.sh [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-data}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
dotnet build src/HarmoniousFeedback.Cli -c Release --nologo -v quiet -o "$bin"
dotnet "$bin/hfb.dll" feedback-train --default-model-recipe --threads 1 --data "$data" \
  --out src/HarmoniousFeedback.Cli/DefaultModel/hfn-hfi-default-v6.hfbckpt
ls -l src/HarmoniousFeedback.Cli/DefaultModel/
