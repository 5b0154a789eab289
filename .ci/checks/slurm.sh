#!/usr/bin/env bash
# The Slurm backend on a single-node cluster started here (slurmctld + slurmd + munge, config .ci/slurm/slurm.conf.in):
#  1. hfb reproduce --backend slurm runs a small spec as a job array; its metrics.json equals --backend local's, byte for byte;
#  2. one array task is killed mid-run (scancel): the summary never runs; rerunning the same command completes the run,
#     recomputing only the killed/unfinished units (completed unit files stay untouched) and giving the same metrics.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
hfb=(dotnet "$repo/src/HarmoniousFeedback.Cli/bin/Release/net10.0/hfb.dll")
spec="$repo/.ci/slurm/tiny.json"

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
  else
    echo "SKIPPED: slurm-wlm/munge are not installed and this is not root"; exit 0
  fi
fi

state=$(mktemp -d /tmp/hfb-slurm-XXXXXX)
work=$(mktemp -d /tmp/hfb-slurm-work-XXXXXX)
export SLURM_CONF="$state/slurm.conf"
mkdir -p "$state/spool-d" "$state/spool-ctld"
sed "s#@STATE@#$state#g; s#@CPUS@#$(nproc)#" .ci/slurm/slurm.conf.in > "$SLURM_CONF"
cleanup() {
  scancel --quiet -u "$(id -un)" 2>/dev/null || true
  for f in slurmd slurmctld; do [ -f "$state/$f.pid" ] && kill "$(cat "$state/$f.pid")" 2>/dev/null || true; done
  [ -f "$state/munged.pid" ] && kill "$(cat "$state/munged.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$state" "$work"
}
trap cleanup EXIT

# munge: the authentication Slurm's daemons and clients share (the package created the key).
mkdir -p /run/munge "$state/munge"
munged --force --socket=/run/munge/munge.socket.2 --pid-file="$state/munged.pid" --log-file="$state/munged.log" --seed-file="$state/munge.seed" 2>/dev/null || true
munge -n | unmunge >/dev/null
slurmctld -c
slurmd -N localhost
for i in $(seq 1 30); do sinfo -h -o %T 2>/dev/null | grep -q idle && break; sleep 1; done
sinfo

wait_queue() { # waits until no job of ours is pending or running (max $1 s)
  for i in $(seq 1 "$1"); do [ -z "$(squeue -h -u "$(id -un)")" ] && return 0; sleep 1; done
  echo "jobs still queued after $1 s:"; squeue; return 1
}
run_dir() { dirname "$(find "$1/slurm-tiny" -name metrics.json -path '*/slurm-tiny/*' | head -1)"; }

echo "== local backend"
"${hfb[@]}" reproduce "$spec" --data "$work/data" --results "$work/local" > "$work/local.out"
local_metrics=$(find "$work/local" -name metrics.json)

echo "== slurm backend (2 tasks at a time)"
"${hfb[@]}" reproduce "$spec" --backend slurm --cpus-per-task 1 --data "$work/data" --results "$work/slurm"
wait_queue 900
"${hfb[@]}" reproduce "$spec" --backend slurm --status --results "$work/slurm"
cmp "$local_metrics" "$work/slurm/slurm-tiny/"*/metrics.json
echo "metrics.json identical: local vs slurm"

echo "== kill one array task mid-run, then rerun the same command"
# every job first sleeps 4 s (--setup), and only an array task running for at most 2 s is cancelled: it is still in
# that sleep, so its unit cannot have been written (a tiny unit trains in well under a second, so cancelling any running
# task raced with the task finishing: CI run of 2026-12-07 15:00, "the killed task's unit exists")
"${hfb[@]}" reproduce "$spec" --backend slurm --cpus-per-task 1 --max-parallel 1 --setup 'sleep 4' --data "$work/data" --results "$work/killed"
killed=""
for i in $(seq 1 600); do
  running=$(squeue -h -u "$(id -un)" -t RUNNING -o '%i %M' | grep -E '^[0-9]+_[0-9]+ 0:0[0-2]$' | head -1 | cut -d' ' -f1 || true)
  done_units=$(find "$work/killed" -path '*/units/*' -name '*.json' 2>/dev/null | wc -l)
  if [ -n "$running" ] && [ "$done_units" -ge 2 ]; then scancel "$running"; killed=$running; break; fi
  sleep 0.5
done
[ -n "$killed" ] || { echo "never caught a running task to kill"; exit 1; }
echo "cancelled array task $killed"
wait_queue 900
[ ! -f "$work/killed/slurm-tiny/"*/metrics.json ] || { echo "metrics.json exists although a task was killed"; exit 1; }
before=$(find "$work/killed" -path '*/units/*' -name '*.json' | wc -l)
find "$work/killed" -path '*/units/*' -name '*.json' -exec sha256sum {} + | sort > "$work/units-before.txt"
find "$work/killed" -path '*/units/*' -name '*.json' -printf '%p %T@\n' | sort > "$work/mtimes-before.txt"
echo "units completed before the rerun: $before of 12"
[ "$before" -lt 12 ] || { echo "the killed task's unit exists"; exit 1; }
"${hfb[@]}" reproduce "$spec" --backend slurm --cpus-per-task 1 --data "$work/data" --results "$work/killed"
wait_queue 900
cmp "$local_metrics" "$work/killed/slurm-tiny/"*/metrics.json
# Units completed before the rerun are untouched (same bytes, same modification time) ...
find "$work/killed" -path '*/units/*' -name '*.json' -printf '%p %T@\n' | sort | grep -F -f <(cut -d' ' -f1 "$work/mtimes-before.txt") | diff - "$work/mtimes-before.txt"
# ... and the rerun's tasks trained exactly the missing ones.
latest=$(ls -d "$work/killed/slurm-tiny/slurm/"*/ | sort | tail -1)
trained=$(grep -l "trained and tested" "$latest"unit-*.out | wc -l)
reused=$(grep -l "already complete, reused" "$latest"unit-*.out | wc -l)
echo "rerun: $trained units trained, $reused reused"
[ "$trained" -eq $((12 - before)) ] && [ "$reused" -eq "$before" ] || { echo "expected $((12 - before)) trained and $before reused"; exit 1; }
echo "slurm check passed"
