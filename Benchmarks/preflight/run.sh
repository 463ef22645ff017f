#!/usr/bin/env bash
# The UMS preflight against a plain round trip: `muster check playbooks/ums-ha-join.yml`
# (all twelve checks, one command per host, facts compared across hosts) and
# `muster exec -- true` on the same 20 target hosts plus the first server, interleaved,
# on a testbed of their own with a first HA server installed. Writes
# Benchmarks/results/preflight.md with medians and the ratio (issue #4's target: ≤ 2×).
#
# Usage: Benchmarks/preflight/run.sh [REPS]   (default 7; MUSTER_BIN to skip the build)
set -euo pipefail
cd "$(dirname "$0")/../.."

reps=${1:-7}
dir=/tmp/muster-bench-preflight
db=$dir-db
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

scripts/testbed up 21 --dir "$dir" --net 41 >/dev/null
scripts/ums-standin-db start --dir "$db" --listen 127.0.41.250:5432 >/dev/null
scripts/make-ums-installer 12.07.100 "$work/bundles" --db 127.0.41.250:5432 >/dev/null
cp "$work/bundles/setup-igel-ums-linux_12.07.100.bin" "$dir/hosts/host001/root/"
printf 'y\n\n\n1\ny\n\ny\n\ny\n\n' | scripts/testbed exec host001 --dir "$dir" -- /root/setup-igel-ums-linux_12.07.100.bin >/dev/null
install -m 600 "$dir/hosts/host001/root/IGEL-Network.token" "$work/token"

{
    echo "all:"
    echo "  vars: {ansible_user: root, ansible_ssh_private_key_file: $dir/id_ed25519, ums_version: '12.07.100', ums_db_host: 127.0.41.250}"
    echo "  children:"
    echo "    ums_first: {hosts: {host001: {ansible_host: 127.0.41.10}}}"
    echo "    ums_new:"
    echo "      hosts:"
    for ((i = 2; i <= 21; i++)); do printf '        host%03d: {ansible_host: 127.0.41.%d}\n' "$i" $((9 + i)); done
} >"$work/inventory.yml"

common=(-i "$work/inventory.yml" --known-hosts "$dir/known_hosts")
samples=$work/samples.jsonl
measure=(python3 Benchmarks/lib/measure.py run --samples "$samples" --log "$work/log" --case preflight-20)
for ((rep = 1; rep <= reps; rep++)); do
    "${measure[@]}" --tool "exec true" --rep "$rep" -- "$muster" exec "${common[@]}" --no-progress -- true >/dev/null
    "${measure[@]}" --tool "check (UMS preflight)" --rep "$rep" -- "$muster" check playbooks/ums-ha-join.yml "${common[@]}" \
        -e ums_bundle_dir="$work/bundles" -e ums_token_file="$work/token" >/dev/null
done
grep -q "RESULT 20 ok" "$work/log" || { echo "the preflight did not pass; see its log:" >&2; tail -40 "$work/log" >&2; exit 1; }

python3 Benchmarks/lib/ratio_table.py "$samples" Benchmarks/results/preflight.md \
    "UMS preflight vs. one round trip: 20 target hosts + the first server (reference)" \
    "Target (issue #4): the full UMS preflight at most 2× \`exec -- true\` on the same hosts." \
    "exec true" "check (UMS preflight)"
