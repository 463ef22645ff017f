#!/usr/bin/env bash
# Loads a 10,000-host inventory (500 groups, host_vars for every host, group_vars for
# every group) with `muster inventory --list` and with `ansible-inventory --list`,
# interleaved, and writes Benchmarks/results/inventory.md with medians and the ratio.
#
# Usage: Benchmarks/inventory/run.sh [HOSTS GROUPS REPS]   (default 10000 500 5)
# Needs .venv-ansible (scripts/test creates it) and builds muster in release mode.
set -euo pipefail
cd "$(dirname "$0")/../.."

hosts=${1:-10000} groups=${2:-500} reps=${3:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ansible=.venv-ansible/bin/ansible-inventory
[[ -x $ansible ]] || { echo "run scripts/test once first (it installs ansible-core into .venv-ansible)" >&2; exit 1; }
muster=${MUSTER_BIN:-}
if [[ -z $muster ]]; then
    swift build -c release --product muster >/dev/null
    muster=$(swift build -c release --show-bin-path)/muster
fi

python3 Benchmarks/inventory/generate.py "$hosts" "$groups" "$work/inv" >/dev/null
samples=$work/samples.jsonl
measure=(python3 Benchmarks/lib/measure.py run --samples "$samples" --log "$work/log" --case inventory)
for ((rep = 1; rep <= reps; rep++)); do
    "${measure[@]}" --tool muster --rep "$rep" -- "$muster" inventory -i "$work/inv/hosts.ini" --list >/dev/null
    # Loading alone: --host reads everything and prints one host.
    "${measure[@]}" --tool muster-load --rep "$rep" -- \
        "$muster" inventory -i "$work/inv/hosts.ini" --host node00000.dc0.example.com >/dev/null
    # ansible-inventory takes seconds per run: a third of the repetitions is enough.
    if ((rep % 3 == 1)); then
        "${measure[@]}" --tool ansible-inventory --rep "$rep" -- "$ansible" -i "$work/inv/hosts.ini" --list >/dev/null
    fi
done

python3 - "$samples" "$hosts" "$groups" Benchmarks/results/inventory.md <<'PY'
import json, statistics, sys
samples = [json.loads(line) for line in open(sys.argv[1])]
hosts, groups, out = sys.argv[2], sys.argv[3], sys.argv[4]
def stats(tool):
    runs = [s for s in samples if s["tool"] == tool]
    walls = [s["wall_s"] for s in runs]
    return statistics.median(walls), min(walls), max(walls), max(s["maxrss_kb"] for s in runs) / 1024, len(runs)
m, l, a = stats("muster"), stats("muster-load"), stats("ansible-inventory")
lines = [
    f"# Inventory load: {int(hosts):,} hosts, {groups} groups, host_vars for every host",
    "",
    "| tool | median wall | min – max | peak RSS | runs |",
    "| --- | ---: | ---: | ---: | ---: |",
    f"| muster inventory --list | {m[0]:.2f} s | {m[1]:.2f} – {m[2]:.2f} s | {m[3]:.0f} MiB | {m[4]} |",
    f"| muster inventory --host (load only) | {l[0]:.2f} s | {l[1]:.2f} – {l[2]:.2f} s | {l[3]:.0f} MiB | {l[4]} |",
    f"| ansible-inventory --list | {a[0]:.2f} s | {a[1]:.2f} – {a[2]:.2f} s | {a[3]:.0f} MiB | {a[4]} |",
    "",
    f"muster ÷ ansible-inventory (median wall): {m[0] / a[0]:.3f}× — targets: under 1 s and under 100 MB.",
]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
