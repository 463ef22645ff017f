#!/usr/bin/env bash
# `muster facts` against a bare round trip: facts (everything, one command per host)
# and `muster exec -- true` on the same 200 testbed hosts, interleaved. Writes
# Benchmarks/results/facts.md with medians and the ratio (issue #5's target: ≤ 2×).
#
# Usage: Benchmarks/facts/run.sh [HOSTS] [REPS]   (default 200 5; MUSTER_BIN skips the build)
set -euo pipefail
cd "$(dirname "$0")/../.."

hosts=${1:-200} reps=${2:-5}
dir=/tmp/muster-bench-facts
work=$(mktemp -d)
stop_all() {
    scripts/testbed down --dir "$dir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop_all EXIT
scripts/testbed down --dir "$dir" >/dev/null 2>&1 || true

muster=${MUSTER_BIN:-}
if [[ -z $muster ]]; then
    swift build -c release --product muster >/dev/null
    muster=$(swift build -c release --show-bin-path)/muster
fi
scripts/testbed up "$hosts" --dir "$dir" --net 42 >/dev/null

common=(-i "$dir/inventory.ini" --known-hosts "$dir/known_hosts" -f "$hosts")
samples=$work/samples.jsonl
measure=(python3 Benchmarks/lib/measure.py run --samples "$samples" --log "$work/log" --case "facts-$hosts")
for ((rep = 1; rep <= reps; rep++)); do
    "${measure[@]}" --tool "exec true" --rep "$rep" -- "$muster" exec "${common[@]}" --no-progress -- true >/dev/null
    "${measure[@]}" --tool "facts" --rep "$rep" -- "$muster" facts "${common[@]}" --format json >/dev/null
done
[[ $(grep -c '"unreachable"' "$work/log" || true) == 0 ]] || { echo "some host was unreachable; see the log:" >&2; grep -m5 unreachable "$work/log" >&2; exit 1; }

python3 Benchmarks/lib/ratio_table.py "$samples" Benchmarks/results/facts.md \
    "Fleet facts vs. one round trip: $hosts testbed hosts" \
    "Target (issue #5): facts from 200 hosts in at most 2× the wall of \`exec -- true\` on them." \
    "exec true" facts
