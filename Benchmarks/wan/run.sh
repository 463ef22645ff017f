#!/usr/bin/env bash
# Across datacenters (issue #7's figures), on a network testbed of its own:
# dc1 = host001-host010 reached directly, dc2 = bastion host011 with host012-host021
# behind it, both over WAN links of 40 ms RTT and 100 Mbit/s (scripts/testbed
# up-network). Interleaved, REPS times each:
#   bastion   muster exec -- hostname on dc1's 10 hosts (direct) and on dc2's 10
#             hosts behind the bastion (same RTT); OpenSSH `xargs ssh -J` for context
#   bundle    100 MB to dc1's 10 hosts: sent once over the link (OpenSSH, one
#             `cat >/dev/null`), muster push --distribute per-datacenter, and a
#             direct muster push (fewer reps: it takes ten times as long)
# and the bytes each run put on the WAN link (scripts/testbed wan-bytes).
# Targets (issue #7): bastion exec ≤ 1.2× direct; the distributed bundle ≤ 1.3×
# the single send (a direct push is about 10×). Writes Benchmarks/results/wan.md.
#
# Usage: Benchmarks/wan/run.sh [REPS]   (default 3; MUSTER_BIN to skip the build;
#        MUSTER_BENCH_WAN_DIR / MUSTER_BENCH_WAN_NET, default /tmp/muster-bench-wan
#        and 63 = 198.18.252.0/22)
set -euo pipefail
cd "$(dirname "$0")/../.."

reps=${1:-3}
dir=${MUSTER_BENCH_WAN_DIR:-/tmp/muster-bench-wan}
net=${MUSTER_BENCH_WAN_NET:-63}
work=$(mktemp -d)
trap 'scripts/testbed down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
scripts/testbed down --dir "$dir" >/dev/null 2>&1 || true

muster=${MUSTER_BIN:-}
if [[ -z $muster ]]; then
    swift build -c release --product muster >/dev/null
    muster=$(swift build -c release --show-bin-path)/muster
fi

scripts/testbed up-network dc1:10,dc2:11:bastion --rtt 40ms --rate 100mbit --dir "$dir" --net "$net" >/dev/null
tb() { scripts/testbed --dir "$dir" "$@"; }
key=$dir/id_ed25519
common=(-i "$dir/inventory.ini" --known-hosts "$dir/known_hosts" --private-key "$key" --no-progress --no-state)
ssh_opts=(-o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$dir/known_hosts"
    -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes -i "$key" -l root)
addr() { tb addr "$1"; }
for i in $(seq 12 21); do addr "$(printf 'host%03d' "$i")"; done >"$work/behind.hosts"
bastion=$(addr host011)

samples=$work/samples.jsonl
bytes=$work/wan-bytes.tsv
failures=0
# timed CASE TOOL REP CMD...: one measured run, and the dc1 and dc2 WAN bytes it moved.
timed() {
    local case=$1 tool=$2 rep=$3 before after
    shift 3
    before="$(tb wan-bytes dc1) $(tb wan-bytes dc2)"
    python3 Benchmarks/lib/measure.py run --samples "$samples" --log "$work/log" --case "$case" \
        --tool "$tool" --rep "$rep" --timeout 900 -- "$@" || failures=$((failures + 1))
    after="$(tb wan-bytes dc1) $(tb wan-bytes dc2)"
    printf '%s\t%s\t%s\t%s\n' "$case" "$tool" "$before" "$after" >>"$bytes"
}

echo "wan: bastion case, $reps reps"
for _ in 1; do # warm-up
    "$muster" exec "${common[@]}" -l 'dc1:dc2:!bastions' -- true >/dev/null 2>&1 || true
done
for ((rep = 1; rep <= reps; rep++)); do
    timed bastion "muster, 10 hosts direct" "$rep" "$muster" exec "${common[@]}" -l dc1 -- hostname
    timed bastion "muster, 10 hosts behind the bastion" "$rep" "$muster" exec "${common[@]}" -l 'dc2:!bastions' -- hostname
    timed bastion "xargs ssh -J, 10 hosts behind the bastion" "$rep" \
        xargs -a "$work/behind.hosts" -P 10 -I '{}' ssh -F "$dir/ssh_config" -J "root@$bastion" 'root@{}' hostname
done

echo "wan: bundle case, $reps reps (direct push: $(((reps + 1) / 2)))"
bundle=$work/bundle.bin
head -c 100000000 /dev/urandom >"$bundle"
clear_bundles() { for i in $(seq 1 10); do rm -f "$dir/hosts/$(printf 'host%03d' "$i")/root/bundle.bin"; done; }
for ((rep = 1; rep <= reps; rep++)); do
    timed bundle "sent once (ssh cat >/dev/null, 1 host)" "$rep" \
        sh -c 'ssh "$@" <"$0" "cat >/dev/null"' "$bundle" "${ssh_opts[@]}" "$(addr host001)"
    clear_bundles
    timed bundle "muster push --distribute per-datacenter" "$rep" \
        "$muster" push "${common[@]}" -l dc1 --distribute per-datacenter "$bundle" /root/bundle.bin
    clear_bundles
    if ((rep % 2 == 1)); then
        timed bundle "muster push, direct" "$rep" "$muster" push "${common[@]}" -l dc1 "$bundle" /root/bundle.bin
        clear_bundles
    fi
done

python3 - "$samples" "$bytes" "Benchmarks/results/wan.md" "$(git rev-parse --short HEAD)" "$reps" <<'EOF'
import json, statistics, sys
samples_path, bytes_path, out, commit, reps = sys.argv[1:]
rows, walls = [], {}
for line in open(samples_path):
    s = json.loads(line)
    if s["exit"] == 0:
        walls.setdefault((s["case"], s["tool"]), []).append(s["wall_s"])
moved = {}
for line in open(bytes_path):
    case, tool, before, after = line.rstrip("\n").split("\t")
    def parse(text):  # dc1's then dc2's to_dc_bytes
        return [int(w.split("=")[1]) for w in text.split() if w.startswith("to_dc_bytes=")]
    b, a = parse(before), parse(after)
    moved.setdefault((case, tool), []).append(sum(a) - sum(b))
def med(key): return statistics.median(walls[key]) if walls.get(key) else None
lines = [f"# Across datacenters — commit `{commit}`", "",
         "`scripts/testbed up-network dc1:10,dc2:11:bastion --rtt 40ms --rate 100mbit`; tools interleaved, "
         f"{reps} reps (direct push fewer), medians of whole-process wall. WAN bytes: controller → datacenter, per run (median).", "",
         "| case | tool | median wall | min – max | WAN bytes to the DCs | runs ok |", "| --- | --- | ---: | ---: | ---: | ---: |"]
for (case, tool), values in walls.items():
    mb = statistics.median(moved.get((case, tool), [0])) / 1e6
    lines.append(f"| {case} | {tool} | {statistics.median(values):.2f} s | {min(values):.2f} – {max(values):.2f} s | {mb:.1f} MB | {len(values)} |")
direct, behind = med(("bastion", "muster, 10 hosts direct")), med(("bastion", "muster, 10 hosts behind the bastion"))
once = med(("bundle", "sent once (ssh cat >/dev/null, 1 host)"))
dist, push = med(("bundle", "muster push --distribute per-datacenter")), med(("bundle", "muster push, direct"))
lines += ["", "| figure | value | target |", "| --- | ---: | --- |"]
if direct and behind:
    r = behind / direct
    lines.append(f"| exec on 10 hosts behind one bastion ÷ the same at the same RTT directly | {r:.2f}× | ≤ 1.2× {'✓' if r <= 1.2 else '✗ missed'} |")
if once and dist:
    r = dist / once
    lines.append(f"| 100 MB to 10 hosts, distributed ÷ sending 100 MB once over the link | {r:.2f}× | ≤ 1.3× {'✓' if r <= 1.3 else '✗ missed'} |")
if once and push:
    lines.append(f"| 100 MB to 10 hosts, direct push ÷ sending once | {push / once:.2f}× | (about 10×) |")
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text, end="")
EOF
if ((failures)); then
    echo "wan: $failures failed run(s); see the log in $work (kept)" >&2
    trap 'scripts/testbed down --dir "$dir" >/dev/null 2>&1 || true' EXIT
    exit 1
fi
