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

python3 - "$samples" "$hosts" Benchmarks/results/facts.md <<'PY'
import json, statistics, sys
samples = [json.loads(line) for line in open(sys.argv[1])]
hosts, out = sys.argv[2], sys.argv[3]
def stats(tool):
    runs = [s for s in samples if s["tool"] == tool]
    walls = [s["wall_s"] for s in runs]
    cpu = [s["user_s"] + s["sys_s"] for s in runs]
    return statistics.median(walls), min(walls), max(walls), statistics.median(cpu), len(runs)
rows = {tool: stats(tool) for tool in ("exec true", "facts")}
base = rows["exec true"][0]
lines = [
    f"# Fleet facts vs. one round trip: {hosts} testbed hosts",
    "",
    "| command | median wall | min – max | median client CPU | ratio to exec | runs |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
]
for tool, (median, low, high, cpu, runs) in rows.items():
    lines.append(f"| `muster {tool}` | {median*1000:.0f} ms | {low*1000:.0f} – {high*1000:.0f} ms | {cpu*1000:.0f} ms | {median/base:.2f}× | {runs} |")
lines += ["", "Target (issue #5): facts from 200 hosts in at most 2× the wall of `exec -- true` on them."]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
