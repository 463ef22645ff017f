#!/usr/bin/env bash
# The run history's cost: the same playbook run (5 tasks on 50 testbed hosts, two
# batches) with the state store on a tmpfs and with --no-state, interleaved. Writes
# Benchmarks/results/state.md (issue #5's target: within 5% of the run without the store).
#
# Usage: Benchmarks/state/run.sh [HOSTS] [REPS]   (default 50 9; MUSTER_BIN skips the build)
set -euo pipefail
cd "$(dirname "$0")/../.."

hosts=${1:-50} reps=${2:-9}
dir=/tmp/muster-bench-state
work=$(mktemp -d)
state=$(mktemp -d -p /dev/shm muster-state.XXXXXX)
stop_all() {
    scripts/testbed down --dir "$dir" >/dev/null 2>&1 || true
    rm -rf "$work" "$state"
}
trap stop_all EXIT
scripts/testbed down --dir "$dir" >/dev/null 2>&1 || true

muster=${MUSTER_BIN:-}
if [[ -z $muster ]]; then
    swift build -c release --product muster >/dev/null
    muster=$(swift build -c release --show-bin-path)/muster
fi
scripts/testbed up "$hosts" --dir "$dir" --net 43 >/dev/null

cat >"$work/playbook.yml" <<'YML'
hosts: all
stages:
  - name: work
    serial: "50%"
    tasks:
      - run: "uname -r"
      - run: "test -d /root"
      - run: "echo {{ inventory_hostname }}"
        register: name
      - assert: {that: ["name.stdout == inventory_hostname"]}
      - run: "true"
YML
common=("$work/playbook.yml" -i "$dir/inventory.ini" --known-hosts "$dir/known_hosts" --no-progress -f "$hosts")
samples=$work/samples.jsonl
measure=(python3 Benchmarks/lib/measure.py run --samples "$samples" --log "$work/log" --case "state-$hosts")
for ((rep = 1; rep <= reps; rep++)); do
    "${measure[@]}" --tool "no store" --rep "$rep" -- "$muster" run "${common[@]}" --no-state >/dev/null
    "${measure[@]}" --tool "store on tmpfs" --rep "$rep" -- "$muster" run "${common[@]}" --state "$state/muster.db" >/dev/null
done
runs=$("$muster" runs --state "$state/muster.db" --limit 1000 | tail -n +2 | wc -l)
[[ $runs == "$reps" ]] || { echo "expected $reps recorded runs, found $runs" >&2; exit 1; }

python3 Benchmarks/lib/ratio_table.py "$samples" Benchmarks/results/state.md \
    "Run history cost: a 5-task playbook on $hosts testbed hosts" \
    "Target (issue #5): with the store on a tmpfs, within 5% of the run without it." \
    "no store" "store on tmpfs"
