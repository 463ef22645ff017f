#!/usr/bin/env bash
# Round trips at WAN latency (issue #6): one datacenter of 20 hosts behind a WAN
# link of 50 ms RTT and no rate limit (scripts/testbed up-network), host001 a
# first UMS HA server. Interleaved, REPS times each, first at 50 ms, then the
# same at 0 ms RTT (to tell waiting for the network from CPU):
#   muster exec -- hostname            on the 20 hosts
#   muster check (UMS preflight)       playbooks/ums-ha-join.yml: 19 new members + host001 (reference)
#   hostname through each peer that is installed: parallel-ssh, pyinfra,
#   ansible raw, pssh (Debian), xargs ssh (Benchmarks/run.sh installs them)
# Reports per tool the median wall and round trips per host = wall ÷ RTT (every
# host is contacted at once, so that is each host's number of round trips plus
# the CPU time counted as waiting), and (wall − wall at 0 ms) ÷ RTT, the round
# trips left once CPU time is taken out. Target (issue #6): the preflight at
# 50 ms RTT takes ≤ 12 round trips per host. Writes Benchmarks/results/latency.md.
#
# Usage: Benchmarks/latency/run.sh [REPS]   (default 5; MUSTER_BIN to skip the build;
#        MUSTER_BENCH_LATENCY_DIR / MUSTER_BENCH_LATENCY_NET, default
#        /tmp/muster-bench-latency and 62 = 198.18.248.0/22, for the testbed)
set -euo pipefail
cd "$(dirname "$0")/../.."

reps=${1:-5}
rtt_ms=50 hosts=20
dir=${MUSTER_BENCH_LATENCY_DIR:-/tmp/muster-bench-latency}
net=${MUSTER_BENCH_LATENCY_NET:-62}
db=$dir-db
venv=$PWD/Benchmarks/.venv
work=
stop_all() {
    scripts/ums-standin-db stop --dir "$db" >/dev/null 2>&1 || true
    rm -rf "$db"
    scripts/testbed down --dir "$dir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop_all EXIT
stop_all
work=$(mktemp -d)

muster=${MUSTER_BIN:-}
if [[ -z $muster ]]; then
    swift build -c release --product muster >/dev/null
    muster=$(swift build -c release --show-bin-path)/muster
fi

scripts/testbed up-network "dc1:$hosts" --rtt "${rtt_ms}ms" --rate none --dir "$dir" --net "$net" >/dev/null
tb() { scripts/testbed --dir "$dir" "$@"; }
# The controller's end of dc1's WAN link: the hosts reach the stand-in database there.
ctrl=$(tb status | sed -n 's/^# dc1: .*(\([0-9.]*\) -> .*/\1/p')
[[ -n $ctrl ]] || { echo "latency: no WAN address of dc1 in: $(tb status)" >&2; exit 1; }
scripts/ums-standin-db start --dir "$db" --listen "$ctrl:5432" >/dev/null
scripts/make-ums-installer 12.07.100 "$work/bundles" --db "$ctrl:5432" >/dev/null
cp "$work/bundles/setup-igel-ums-linux_12.07.100.bin" "$dir/hosts/host001/root/"
printf 'y\n\n\n1\ny\n\ny\n\ny\n\n' | tb exec host001 -- /root/setup-igel-ums-linux_12.07.100.bin >/dev/null
install -m 600 "$dir/hosts/host001/root/IGEL-Network.token" "$work/token"

mapfile -t addrs < <(awk '/ansible_host=/ { sub(/.*ansible_host=/, ""); print $1 }' "$dir/inventory.ini")
((${#addrs[@]} == hosts)) || { echo "latency: expected $hosts hosts in $dir/inventory.ini" >&2; exit 1; }
{
    echo "all:"
    echo "  vars: {ansible_user: root, ansible_ssh_private_key_file: $dir/id_ed25519, ums_version: '12.07.100', ums_db_host: $ctrl}"
    echo "  children:"
    echo "    ums_first: {hosts: {host001: {ansible_host: ${addrs[0]}}}}"
    echo "    ums_new:"
    echo "      hosts:"
    for ((i = 2; i <= hosts; i++)); do printf '        host%03d: {ansible_host: %s}\n' "$i" "${addrs[i - 1]}"; done
} >"$work/preflight.yml"
printf '%s\n' "${addrs[@]}" >"$work/hosts"
{
    echo "hosts = ([$(printf '"%s", ' "${addrs[@]}")], {"
    echo "    \"ssh_user\": \"root\", \"ssh_key\": \"$dir/id_ed25519\","
    echo "    \"ssh_known_hosts_file\": \"$dir/known_hosts\", \"ssh_strict_host_key_checking\": \"yes\"})"
} >"$work/pyinfra.py"

key=$dir/id_ed25519
common=(--known-hosts "$dir/known_hosts" -u root --private-key "$key" --no-progress -f "$hosts")
ssh_opts=(-o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$dir/known_hosts"
    -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes -i "$key")
: >"$work/ansible.cfg"
ansible_env=(env ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_SSH_ARGS="${ssh_opts[*]}"
    ANSIBLE_LOCAL_TEMP="$work/ansible-tmp" ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=False
    ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_CONFIG="$work/ansible.cfg")

# The tools: muster always, each peer if installed (Benchmarks/run.sh installs them all).
tools=("muster exec hostname" "muster check (UMS preflight)")
declare -A cmd
cmd["muster exec hostname"]="$(printf '%q ' "$muster" exec -i "$dir/inventory.ini" "${common[@]}" -- hostname)"
cmd["muster check (UMS preflight)"]="$(printf '%q ' "$muster" check playbooks/ums-ha-join.yml -i "$work/preflight.yml" \
    "${common[@]}" -e ums_bundle_dir="$work/bundles" -e ums_token_file="$work/token")"
skipped=()
if "$venv/bin/python" -c 'import pssh' 2>/dev/null; then
    tools+=("parallel-ssh hostname")
    cmd["parallel-ssh hostname"]="$(printf '%q ' "$venv/bin/python" Benchmarks/peers/pssh_exec.py "$dir/inventory.ini" "$key" "$hosts" -- hostname)"
else skipped+=(parallel-ssh); fi
if [[ -x $venv/bin/pyinfra ]]; then
    tools+=("pyinfra hostname")
    cmd["pyinfra hostname"]="$(printf '%q ' "$venv/bin/pyinfra" -y --parallel "$hosts" "$work/pyinfra.py" exec -- hostname)"
else skipped+=(pyinfra); fi
if [[ -x $venv/bin/ansible ]]; then
    tools+=("ansible raw hostname")
    cmd["ansible raw hostname"]="$(printf '%q ' "${ansible_env[@]}" "$venv/bin/ansible" all -i "$dir/inventory.ini" -m raw -a hostname -f "$hosts")"
else skipped+=(ansible); fi
if [[ -x /usr/bin/parallel-ssh ]]; then
    tools+=("pssh (Debian) hostname")
    cmd["pssh (Debian) hostname"]="$(printf '%q ' /usr/bin/parallel-ssh -h "$work/hosts" -p "$hosts" -t 120 -l root -x "${ssh_opts[*]}" hostname)"
else skipped+=("pssh (Debian)"); fi
tools+=("xargs ssh hostname")
cmd["xargs ssh hostname"]="$(printf '%q ' xargs -a "$work/hosts" -P "$hosts" -I '{}' ssh "${ssh_opts[@]}" -l root '{}' hostname)"

samples=$work/samples.jsonl
failures=0
for case_rtt in "$rtt_ms" 0; do
    tb wan dc1 --rtt "${case_rtt}ms" >/dev/null
    echo "latency: RTT $case_rtt ms, $reps reps of: ${tools[*]}"
    for tool in "${tools[@]}"; do # one untimed warm-up each
        eval "${cmd[$tool]}" >>"$work/log" 2>&1 || true
    done
    for ((rep = 1; rep <= reps; rep++)); do
        for tool in "${tools[@]}"; do
            eval "python3 Benchmarks/lib/measure.py run --samples \"\$samples\" --log \"\$work/log\" --case rtt-$case_rtt \
                --tool \"\$tool\" --rep $rep --timeout 300 -- ${cmd[$tool]}" >/dev/null || failures=$((failures + 1))
        done
    done
done
grep -q "RESULT $((hosts - 1)) ok" "$work/log" || { echo "the preflight did not pass; see its log:" >&2; tail -40 "$work/log" >&2; exit 1; }

skipped_text=${skipped[*]:-}
python3 - "$samples" Benchmarks/results/latency.md "$rtt_ms" "$hosts" "$reps" "$skipped_text" "${tools[@]}" <<'EOF'
import json, statistics, sys
samples_path, out, rtt_ms, hosts, reps, skipped, *tools = sys.argv[1:]
rtt = float(rtt_ms) / 1000
samples = [json.loads(line) for line in open(samples_path)]

def runs(case, tool):
    return [s for s in samples if s["case"] == case and s["tool"] == tool and s["exit"] == 0]

lines = [
    f"# Round trips at {rtt_ms} ms RTT: {hosts} hosts in one datacenter, no rate limit",
    "",
    f"`scripts/testbed up-network dc1:{hosts} --rtt {rtt_ms}ms --rate none`; the tools interleaved, "
    f"{reps} runs each, medians. Round trips per host = median wall ÷ RTT (all hosts at once); "
    "net of CPU = (median wall − median wall at 0 ms RTT) ÷ RTT.",
    "",
    f"| run | median wall | min – max | wall at 0 ms | round trips per host | net of CPU | runs ok |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
]
figures = {}
for tool in tools:
    slow, fast = runs(f"rtt-{rtt_ms}", tool), runs("rtt-0", tool)
    if not slow:
        lines.append(f"| {tool} | failed | | | | | 0 |")
        continue
    walls = [s["wall_s"] for s in slow]
    median = statistics.median(walls)
    base = statistics.median([s["wall_s"] for s in fast]) if fast else float("nan")
    figures[tool] = median / rtt
    lines.append(
        f"| {tool} | {median*1000:.0f} ms | {min(walls)*1000:.0f} – {max(walls)*1000:.0f} ms | {base*1000:.0f} ms "
        f"| {median/rtt:.1f} | {(median-base)/rtt:.1f} | {len(slow)} |")
pre = figures.get("muster check (UMS preflight)")
lines += ["", "Target (issue #6): the preflight at 50 ms RTT takes ≤ 12 round trips per host: "
          + (f"{pre:.1f} {'✓' if pre <= 12 else '✗'}" if pre is not None else "no result")]
if skipped:
    lines += ["", f"Not installed, so not run: {skipped} (Benchmarks/run.sh installs every peer)."]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
if ((failures)); then
    echo "latency: $failures run(s) failed; the end of their log:" >&2
    grep -B 15 '^### exit [^0]' "$work/log" | tail -n 40 >&2
    exit 1
fi
