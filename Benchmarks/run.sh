#!/usr/bin/env bash
# Benchmarks/run.sh [--quick] [--reps N]
#
# Muster against parallel-ssh on a testbed of real OpenSSH hosts on this machine:
#   exec     `hostname` on 50 hosts: muster -f 50 vs ParallelSSHClient.run_command
#   push     a 200 MiB random file to 10 hosts: muster push vs scp_send and copy_file (SFTP)
#   re-push  the same file again, unchanged (muster only: nothing should be sent)
#   scale    `true` on 500 hosts with -f 500 (muster only): wall and peak RSS
# Each case runs --reps times (default 5), the tools interleaved (muster, peer,
# muster, peer…), after one untimed warm-up of each exec tool. Results go to
# Benchmarks/results/latest.{md,json}; the table is printed at the end.
#
# --quick is the CI smoke test (about a minute): 8 hosts, an 8 MiB file, 2
# repetitions, scale on the same 8 hosts. It writes results/quick.{md,json}
# instead, so a smoke run never replaces the committed full results.
#
# Needs root (the testbed uses namespaces). Only 127.0.40.0/24 and up are used;
# the testbed lives in /tmp/muster-bench (override: MUSTER_BENCH_DIR, MUSTER_BENCH_NET).
# MUSTER_BIN=/path/to/muster benchmarks that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bench=$root/Benchmarks
export PATH="/opt/swift/usr/bin:$PATH"

quick=false
reps=
while (($#)); do
    case $1 in
        --quick) quick=true ;;
        --reps) reps=${2:?--reps needs a number}; shift ;;
        -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

if $quick; then
    mode=quick exec_hosts=8 push_hosts=8 push_mb=8 scale_hosts=8 reps=${reps:-2} out_name=quick
else
    mode=full exec_hosts=50 push_hosts=10 push_mb=200 scale_hosts=500 reps=${reps:-5} out_name=latest
fi
testbed_hosts=$(printf '%s\n' "$exec_hosts" "$push_hosts" "$scale_hosts" | sort -n | tail -n 1)
dir=${MUSTER_BENCH_DIR:-/tmp/muster-bench}
net=${MUSTER_BENCH_NET:-40}
results=$bench/results
remote_file=/root/muster-bench-push.bin

say() { printf '\n==> %s\n' "$*"; }

# --- tools ------------------------------------------------------------------

say "setup: Debian packages, Python venv with parallel-ssh, muster (release)"
scripts/setup
venv=$bench/.venv
if ! [[ -x $venv/bin/python ]]; then
    python3 -m venv "$venv" 2>/dev/null || {
        # Debian's own python3 keeps venv in a separate package.
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        rm -rf "$venv"
        python3 -m venv "$venv"
    }
fi
if ! "$venv/bin/python" -c 'import pssh' 2>/dev/null; then
    "$venv/bin/pip" install -q -r "$bench/requirements.txt"
fi
py=$venv/bin/python
measure=("$py" "$bench/lib/measure.py")

if [[ -n ${MUSTER_BIN:-} ]]; then
    muster=$MUSTER_BIN # a binary built elsewhere (another commit, another build path)
else
    if ! swift build -c release --product muster >"$bench/.build.log" 2>&1; then
        tail -n 30 "$bench/.build.log" >&2
        echo "run.sh: swift build failed (whole log: $bench/.build.log)" >&2
        exit 1
    fi
    tail -n 1 "$bench/.build.log"
    muster=$(swift build -c release --show-bin-path)/muster
fi
[[ -x $muster ]] || { echo "run.sh: no muster binary at $muster" >&2; exit 1; }

# --- testbed ----------------------------------------------------------------

work=$(mktemp -d /tmp/muster-bench-work.XXXXXX)
cleanup() {
    scripts/testbed down --dir "$dir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

say "testbed: $testbed_hosts hosts in $dir on 127.0.$net.x"
scripts/testbed down --dir "$dir" >/dev/null 2>&1 || true
start=$EPOCHREALTIME
scripts/testbed up "$testbed_hosts" --dir "$dir" --net "$net"
awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "testbed up in %.1f s\n", b - a }'
key=$dir/id_ed25519

# inventory_subset N OUT: the testbed's inventory with only its first N hosts
# (group headers and variables kept), so every tool gets the same hosts.
inventory_subset() {
    awk -v n="$1" '
        /ansible_host=/ { if (++hosts > n) next }
        { print }' "$dir/inventory.ini" >"$2"
}
inventory_subset "$exec_hosts" "$work/exec.ini"
inventory_subset "$push_hosts" "$work/push.ini"
inventory_subset "$scale_hosts" "$work/scale.ini"
mapfile -t push_names < <(awk '/ansible_host=/ { print $1 }' "$work/push.ini")

common=(--known-hosts "$dir/known_hosts" -u root --private-key "$key" --no-progress)
samples=$work/samples.jsonl
log=$work/commands.log
: >"$samples"
failures=0

# measure CASE TOOL REP TIMEOUT -- CMD...: one timed run; a failure is counted, not fatal.
measure() {
    local case=$1 tool=$2 rep=$3 timeout=$4
    shift 5
    "${measure[@]}" run --samples "$samples" --case "$case" --tool "$tool" --rep "$rep" \
        --log "$log" --timeout "$timeout" -- "$@" || {
        failures=$((failures + 1))
        echo "  (failed; last lines of its output:)"
        tail -n 5 "$log" | sed 's/^/    /'
    }
}

# warm_up NAME CMD...: one untimed run that must succeed (page cache, first-run costs).
warm_up() {
    local name=$1
    shift
    echo "### warm-up (untimed): $*" >>"$log"
    if ! "$@" >>"$log" 2>&1; then
        echo "run.sh: warm-up of $name failed; its output:" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
}

# clear_pushed: remove the pushed file (and any leftovers) from the push hosts, so
# the next push sends everything; sync so no write-back from it lingers.
clear_pushed() {
    local name
    for name in "${push_names[@]}"; do
        rm -f "$dir/hosts/$name/root/${remote_file#/root/}" "$dir/hosts/$name/root/${remote_file#/root/}".muster-tmp.*
    done
    sync
}

# check_pushed: every push host has the file with the source's size (and, when
# asked, its sha256). Counts a failure otherwise.
check_pushed() {
    local tool=$1 full=${2:-} name file bad=0
    for name in "${push_names[@]}"; do
        file=$dir/hosts/$name/root/${remote_file#/root/}
        if [[ $(stat -c %s "$file" 2>/dev/null) != "$src_size" ]]; then
            bad=$((bad + 1))
        elif [[ -n $full ]] && [[ $(sha256sum <"$file") != "$src_sha256  -" ]]; then
            bad=$((bad + 1))
        fi
    done
    if ((bad)); then
        echo "  CHECK FAILED: $bad of ${#push_names[@]} hosts lack the pushed file after $tool"
        failures=$((failures + 1))
    fi
}

# --- exec fan-out -------------------------------------------------------------

loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "exec fan-out: hostname on $exec_hosts hosts, $reps reps, muster and parallel-ssh interleaved"
muster_exec=("$muster" exec -i "$work/exec.ini" "${common[@]}" -f "$exec_hosts" -- hostname)
pssh_exec=("$py" "$bench/peers/pssh_exec.py" "$work/exec.ini" "$key" "$exec_hosts" -- hostname)
warm_up "muster exec" "${muster_exec[@]}"
warm_up "pssh_exec.py" "${pssh_exec[@]}"
for ((rep = 1; rep <= reps; rep++)); do
    measure exec muster "$rep" 120 -- "${muster_exec[@]}"
    measure exec parallel-ssh "$rep" 120 -- "${pssh_exec[@]}"
done

# --- push ---------------------------------------------------------------------

src=$work/push-$push_mb.bin
say "push: ${push_mb} MiB random file to $push_hosts hosts, $reps reps, muster / scp_send / copy_file interleaved"
head -c $((push_mb << 20)) /dev/urandom >"$src"
src_size=$(stat -c %s "$src")
src_sha256=$(sha256sum <"$src")
src_sha256=${src_sha256%% *}
muster_push=("$muster" push -i "$work/push.ini" "${common[@]}" -f "$push_hosts" "$src" "$remote_file" --mode 0644)
for ((rep = 1; rep <= reps; rep++)); do
    full_check=
    ((rep == 1)) && full_check=sha256 # hash every copy once; sizes every time
    clear_pushed
    measure push muster "$rep" 900 -- "${muster_push[@]}"
    check_pushed muster "$full_check"
    clear_pushed
    measure push "parallel-ssh scp_send" "$rep" 900 -- \
        "$py" "$bench/peers/pssh_push.py" scp "$work/push.ini" "$key" "$push_hosts" "$src" "$remote_file"
    check_pushed scp_send "$full_check"
    clear_pushed
    measure push "parallel-ssh copy_file" "$rep" 900 -- \
        "$py" "$bench/peers/pssh_push.py" sftp "$work/push.ini" "$key" "$push_hosts" "$src" "$remote_file"
    check_pushed copy_file "$full_check"
done

# --- re-push (unchanged) ------------------------------------------------------

say "re-push: the same file again to $push_hosts hosts, $reps reps (muster only; nothing should be sent)"
clear_pushed
warm_up "muster push (priming the hosts)" "${muster_push[@]}"
stamp() { for name in "${push_names[@]}"; do stat -c '%i %Y' "$dir/hosts/$name/root/${remote_file#/root/}"; done; }
before=$(stamp)
for ((rep = 1; rep <= reps; rep++)); do
    measure re-push muster "$rep" 300 -- "${muster_push[@]}"
done
if [[ $(stamp) != "$before" ]]; then
    echo "  CHECK FAILED: re-push replaced files that were already up to date"
    failures=$((failures + 1))
fi
clear_pushed
rm -f "$src"

# --- scale --------------------------------------------------------------------

say "scale: true on $scale_hosts hosts with -f $scale_hosts, $reps reps (muster only)"
muster_scale=("$muster" exec -i "$work/scale.ini" "${common[@]}" -f "$scale_hosts" -- true)
for ((rep = 1; rep <= reps; rep++)); do
    measure scale muster "$rep" 300 -- "${muster_scale[@]}"
done

# --- report -------------------------------------------------------------------

mkdir -p "$results"
cp "$log" "$results/$out_name.log"
muster_source="built from this work tree"
[[ -z ${MUSTER_BIN:-} ]] || muster_source="MUSTER_BIN=$MUSTER_BIN"
export mode reps exec_hosts push_hosts push_mb scale_hosts loadavg_start testbed_hosts muster_source
"$py" - "$work/meta.json" <<'EOF'
import datetime, json, os, platform, subprocess, sys
from importlib.metadata import version

def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()

env = os.environ
meta = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "commit": git("rev-parse", "--short", "HEAD") or "unknown",
    "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    "mode": env["mode"], "reps": int(env["reps"]),
    "exec_hosts": int(env["exec_hosts"]), "push_hosts": int(env["push_hosts"]),
    "push_size_mb": int(env["push_mb"]), "scale_hosts": int(env["scale_hosts"]),
    "testbed_hosts": int(env["testbed_hosts"]), "muster": env["muster_source"],
    "cpus": os.cpu_count(), "kernel": platform.release(),
    "loadavg_start": env["loadavg_start"],
    "loadavg_end": " ".join(open("/proc/loadavg").read().split()[:3]),
    "python_version": platform.python_version(),
    "pssh_version": version("parallel-ssh"), "ssh2_version": version("ssh2-python"),
}
json.dump(meta, open(sys.argv[1], "w"), indent=2)
EOF
say "results ($results/$out_name.md)"
"${measure[@]}" report --samples "$samples" --meta "$work/meta.json" --out-dir "$results" --name "$out_name" ||
    failures=$((failures + 1))
if ((failures)); then
    echo "run.sh: $failures failed run(s) or check(s); see $results/$out_name.log" >&2
    exit 1
fi
