#!/usr/bin/env bash
# Benchmarks/run.sh [--quick] [--all-peers] [--reps N]
#
# Muster against the tools people would otherwise use, on a testbed of real
# OpenSSH hosts on this machine:
#   exec     `hostname` on 50 and on 200 hosts (-f = hosts): muster vs parallel-ssh
#            (Python, run_command), pyinfra exec, ansible -m raw, pssh (Debian's
#            parallel-ssh command) and `xargs -P N ssh`
#   push     a 200 MiB random file to 10 hosts: muster push vs parallel-ssh
#            scp_send and copy_file, pyinfra files.put, ansible copy and
#            `xargs -P 10 scp` with the cipher and MAC muster negotiates
#   re-push  the same file again, unchanged (muster only: nothing should be sent)
#   scale    `true` on 1,000 hosts with -f 1000 (muster only): wall, peak RSS,
#            peak open descriptors, client CPU per host
# Every timed run also records the sshd side's CPU (the testbed listeners' own and
# their reaped children's, from /proc), so each tool's cost on the server shows.
# Each case runs --reps times (default 5), the tools interleaved (muster, peer,
# peer, …, muster, …), after one untimed warm-up of each exec tool. Every
# tool checks host keys against the testbed's known_hosts, except parallel-ssh
# (which cannot). Results go to Benchmarks/results/latest.{md,json}.
#
# --quick is the CI smoke test (about a minute): 8 hosts, an 8 MiB file, 2
# repetitions, scale on the same 8 hosts, and only the cheap peers (parallel-ssh,
# OpenSSH through xargs): no pyinfra, ansible or pssh is installed. It writes
# results/quick.{md,json} instead, so a smoke run never replaces the full results.
# --quick --all-peers: the quick sizes with every peer (checks the peers' setup
# and invocations in a minute or two).
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
all_peers=false
reps=
while (($#)); do
    case $1 in
        --quick) quick=true ;;
        --all-peers) all_peers=true ;;
        --reps) reps=${2:?--reps needs a number}; shift ;;
        -h | --help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

# big_peers: pyinfra, ansible-core and pssh (Debian) take installs and minutes;
# the quick mode runs without them.
if $quick; then
    mode=quick exec_counts=(8) push_hosts=8 push_mb=8 scale_hosts=8 reps=${reps:-2} out_name=quick big_peers=false
else
    mode=full exec_counts=(50 200) push_hosts=10 push_mb=200 scale_hosts=1000 reps=${reps:-5} out_name=latest big_peers=true
fi
$all_peers && big_peers=true
testbed_hosts=$(printf '%s\n' "${exec_counts[@]}" "$push_hosts" "$scale_hosts" | sort -n | tail -n 1)
dir=${MUSTER_BENCH_DIR:-/tmp/muster-bench}
net=${MUSTER_BENCH_NET:-40}
results=$bench/results
remote_file=/root/muster-bench-push.bin

say() { printf '\n==> %s\n' "$*"; }

# --- tools ------------------------------------------------------------------

say "setup: Debian packages, Python venv with the peers, muster (release)"
scripts/setup
# pssh (Debian's parallel-ssh command) is a peer only: installed here, not by
# scripts/setup, so the project's own test setup does not grow.
if $big_peers && ! dpkg-query -W -f='${Status}' pssh 2>/dev/null | grep -q "install ok installed"; then
    echo "setup: installing pssh"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pssh >/dev/null
fi
venv=$bench/.venv
if ! [[ -x $venv/bin/python ]]; then
    python3 -m venv "$venv" 2>/dev/null || {
        # Debian's own python3 keeps venv in a separate package.
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        rm -rf "$venv"
        python3 -m venv "$venv"
    }
fi
if $big_peers; then
    # Every peer in requirements.txt (parallel-ssh, pyinfra, ansible-core).
    if ! "$venv/bin/python" -c 'import pssh, pyinfra, ansible' 2>/dev/null || ! [[ -x $venv/bin/pyinfra && -x $venv/bin/ansible ]]; then
        "$venv/bin/pip" install -q -r "$bench/requirements.txt"
    fi
elif ! "$venv/bin/python" -c 'import pssh' 2>/dev/null; then
    # --quick: parallel-ssh only (its line in requirements.txt).
    "$venv/bin/pip" install -q "$(grep -m 1 '^parallel-ssh' "$bench/requirements.txt")"
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
# The sshd listeners, whose CPU (with their reaped children's) measure.py reads per run.
cat "$dir"/hosts/*/sshd.pid >"$work/sshd.pids"
key=$dir/id_ed25519

# inventory_subset N OUT: the testbed's inventory with only its first N hosts
# (group headers and variables kept), so every tool gets the same hosts.
inventory_subset() {
    awk -v n="$1" '
        /ansible_host=/ { if (++hosts > n) next }
        { print }' "$dir/inventory.ini" >"$2"
}
common=(--known-hosts "$dir/known_hosts" -u root --private-key "$key" --no-progress)

# peer_files NAME: next to $work/NAME.ini, the same hosts as NAME.hosts (one
# address a line: pssh, xargs) and NAME.py (a pyinfra inventory: the addresses
# with user, key and strict checking against the testbed's known_hosts).
peer_files() {
    awk '/ansible_host=/ { sub(/.*ansible_host=/, ""); print $1 }' "$work/$1.ini" >"$work/$1.hosts"
    {
        printf '# pyinfra inventory generated by Benchmarks/run.sh from %s.ini\n' "$1"
        printf 'hosts = [\n'
        awk '{ printf "    (\"%s\", {}),\n", $1 }' "$work/$1.hosts"
        printf ']\n'
        printf 'hosts = (hosts, {\n'
        printf '    "ssh_user": "root",\n'
        printf '    "ssh_key": "%s",\n' "$key"
        printf '    "ssh_known_hosts_file": "%s",\n' "$dir/known_hosts"
        printf '    "ssh_strict_host_key_checking": "yes",\n'
        printf '})\n'
    } >"$work/$1.py"
}
for n in "${exec_counts[@]}"; do
    inventory_subset "$n" "$work/exec-$n.ini"
    peer_files "exec-$n"
done
inventory_subset "$push_hosts" "$work/push.ini"
peer_files push
inventory_subset "$scale_hosts" "$work/scale.ini"
mapfile -t push_names < <(awk '/ansible_host=/ { print $1 }' "$work/push.ini")

# The OpenSSH client as every OpenSSH-based peer runs it: the testbed's key,
# root, and strict host-key checking against the testbed's known_hosts only.
ssh_opts=(-o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$dir/known_hosts"
    -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes -i "$key")
# Ansible: the same options; no ControlMaster/ControlPersist (its default would
# keep each host's connection open for 60 s, so repetitions after the first
# would skip the SSH handshake that every other tool pays), no -C compression
# (muster does not compress; the pushed file is random). Host key checking is
# on (ANSIBLE_HOST_KEY_CHECKING=True, the default, said explicitly).
ansible_env=(env ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_SSH_ARGS="${ssh_opts[*]}"
    ANSIBLE_LOCAL_TEMP="$work/ansible-tmp" ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=False
    ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_CONFIG="$work/ansible.cfg")
: >"$work/ansible.cfg" # an empty configuration: no ansible.cfg from the cwd or home

# The cipher and MAC muster negotiates with the testbed's sshd: read from one
# host's sshd log at LogLevel DEBUG1 (sshd logs "kex: client->server cipher: …
# MAC: …"), then that host goes back to LogLevel ERROR. `xargs scp` is made to
# use the same pair, so the push comparison is not one of ciphers.
name1=$(awk '/ansible_host=/ { print $1; exit }' "$work/push.ini")
hdir1=$dir/hosts/$name1
addr1=$(head -n 1 "$work/push.hosts")
sshd_loglevel() {
    # Through the host's namespaces: its /etc is an overlay, and a change made
    # to the upper directory from outside is not seen (and confuses the overlay).
    scripts/testbed exec "$name1" --dir "$dir" -- sed -i "s/^LogLevel .*/LogLevel $1/" /etc/ssh/sshd_config
    kill -HUP "$(cat "$hdir1/sshd.pid")" # sshd re-executes itself with the new config
    sleep 0.3
    local try
    for ((try = 0; try < 50; try++)); do # until it listens again
        ssh "${ssh_opts[@]}" -l root "$addr1" true 2>/dev/null && return 0
        sleep 0.1
    done
    echo "run.sh: sshd on $addr1 did not come back after SIGHUP" >&2
    exit 1
}
sshd_loglevel DEBUG1
: >"$hdir1/sshd.log"
printf '[one]\nh1 ansible_host=%s\n' "$addr1" >"$work/one.ini"
"$muster" exec -i "$work/one.ini" "${common[@]}" -- true >/dev/null
kex=$(grep -m 1 'kex: client->server cipher:' "$hdir1/sshd.log" || true)
sshd_loglevel ERROR
: >"$hdir1/sshd.log"
muster_cipher=$(sed -n 's/.*cipher: \([^ ]*\) MAC: \([^ ]*\).*/\1/p' <<<"$kex")
muster_mac=$(sed -n 's/.*cipher: \([^ ]*\) MAC: \([^ ]*\).*/\2/p' <<<"$kex")
[[ -n $muster_cipher && -n $muster_mac ]] || { echo "run.sh: no kex line for muster in $hdir1/sshd.log ('$kex')" >&2; exit 1; }
echo "muster negotiates cipher $muster_cipher, MAC $muster_mac (sshd log: ${kex#*kex: })"

samples=$work/samples.jsonl
log=$work/commands.log
: >"$samples"
failures=0

# measure CASE TOOL REP TIMEOUT -- CMD...: one timed run; a failure is counted, not fatal.
measure() {
    local case=$1 tool=$2 rep=$3 timeout=$4 hosts
    shift 5
    case $case in
        exec-*) hosts=${case#exec-} ;;
        scale) hosts=$scale_hosts ;;
        *) hosts=$push_hosts ;;
    esac
    "${measure[@]}" run --samples "$samples" --case "$case" --tool "$tool" --rep "$rep" \
        --log "$log" --timeout "$timeout" --sshd-pids "$work/sshd.pids" --connections "$hosts" -- "$@" || {
        failures=$((failures + 1))
        echo "  (failed; last lines of its output:)"
        tail -n 5 "$log" | sed 's/^/    /'
    }
}

# warm_up NAME CMD...: one untimed run (page cache, first-run costs). Muster's
# must succeed; a peer's failure is counted and shown, and its timed runs go on
# (they will show as failed in the table).
warm_up() {
    local name=$1
    shift
    echo "### warm-up (untimed): $*" >>"$log"
    if ! "$@" >>"$log" 2>&1; then
        echo "run.sh: warm-up of $name failed; its output:" >&2
        tail -n 20 "$log" >&2
        [[ $name == muster* ]] && exit 1
        failures=$((failures + 1))
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
# exec_case N: `hostname` on the first N hosts, -f N (or its like) for every tool.
exec_case() {
    local n=$1 case=exec-$1 inv=$work/exec-$1
    local tools=(muster parallel-ssh)
    local -A cmd
    cmd[muster]="$(printf '%q ' "$muster" exec -i "$inv.ini" "${common[@]}" -f "$n" -- hostname)"
    cmd[parallel-ssh]="$(printf '%q ' "$py" "$bench/peers/pssh_exec.py" "$inv.ini" "$key" "$n" -- hostname)"
    if $big_peers; then
        tools+=(pyinfra "ansible raw" "pssh (Debian)")
        cmd[pyinfra]="$(printf '%q ' "$venv/bin/pyinfra" -y --parallel "$n" "$inv.py" exec -- hostname)"
        cmd["ansible raw"]="$(printf '%q ' "${ansible_env[@]}" "$venv/bin/ansible" all -i "$inv.ini" -m raw -a hostname -f "$n")"
        cmd["pssh (Debian)"]="$(printf '%q ' /usr/bin/parallel-ssh -h "$inv.hosts" -p "$n" -t 120 -l root -x "${ssh_opts[*]}" hostname)"
    fi
    tools+=("xargs ssh")
    cmd["xargs ssh"]="$(printf '%q ' xargs -a "$inv.hosts" -P "$n" -I '{}' ssh "${ssh_opts[@]}" -l root '{}' hostname)"

    say "exec fan-out: hostname on $n hosts, $reps reps, interleaved: ${tools[*]}"
    local tool rep
    for tool in "${tools[@]}"; do
        eval "warm_up \"\$tool\" ${cmd[$tool]}"
    done
    for ((rep = 1; rep <= reps; rep++)); do
        for tool in "${tools[@]}"; do
            eval "measure \"\$case\" \"\$tool\" \"\$rep\" 300 -- ${cmd[$tool]}"
        done
    done
}
for n in "${exec_counts[@]}"; do
    exec_case "$n"
done

# --- push ---------------------------------------------------------------------

src=$work/push-$push_mb.bin
head -c $((push_mb << 20)) /dev/urandom >"$src"
src_size=$(stat -c %s "$src")
src_sha256=$(sha256sum <"$src")
src_sha256=${src_sha256%% *}
push_tools=(muster "parallel-ssh scp_send" "parallel-ssh copy_file")
declare -A push_cmd
push_cmd[muster]="$(printf '%q ' "$muster" push -i "$work/push.ini" "${common[@]}" -f "$push_hosts" "$src" "$remote_file" --mode 0644)"
push_cmd["parallel-ssh scp_send"]="$(printf '%q ' "$py" "$bench/peers/pssh_push.py" scp "$work/push.ini" "$key" "$push_hosts" "$src" "$remote_file")"
push_cmd["parallel-ssh copy_file"]="$(printf '%q ' "$py" "$bench/peers/pssh_push.py" sftp "$work/push.ini" "$key" "$push_hosts" "$src" "$remote_file")"
if $big_peers; then
    push_tools+=("pyinfra files.put" "ansible copy")
    push_cmd["pyinfra files.put"]="$(printf '%q ' "$venv/bin/pyinfra" -y --parallel "$push_hosts" "$work/push.py" \
        files.put "src=$src" "dest=$remote_file" mode=644)"
    push_cmd["ansible copy"]="$(printf '%q ' "${ansible_env[@]}" "$venv/bin/ansible" all -i "$work/push.ini" -f "$push_hosts" \
        -m copy -a "src=$src dest=$remote_file mode=0644")"
fi
# OpenSSH's scp (9.2: the SFTP protocol underneath), one per host at once, with
# the cipher and MAC muster negotiated (found above from the sshd log).
push_tools+=("xargs scp")
push_cmd["xargs scp"]="$(printf '%q ' xargs -a "$work/push.hosts" -P "$push_hosts" -I '{}' \
    scp -q -c "$muster_cipher" -o "MACs=$muster_mac" "${ssh_opts[@]}" "$src" "root@{}:$remote_file")"
say "push: ${push_mb} MiB random file to $push_hosts hosts, $reps reps, interleaved: ${push_tools[*]}"
for ((rep = 1; rep <= reps; rep++)); do
    full_check=
    ((rep == 1)) && full_check=sha256 # hash every copy once; sizes every time
    for tool in "${push_tools[@]}"; do
        clear_pushed
        eval "measure push \"\$tool\" \"\$rep\" 900 -- ${push_cmd[$tool]}"
        check_pushed "$tool" "$full_check"
    done
done

# --- re-push (unchanged) ------------------------------------------------------

say "re-push: the same file again to $push_hosts hosts, $reps reps (muster only; nothing should be sent)"
clear_pushed
eval "warm_up \"muster push (priming the hosts)\" ${push_cmd[muster]}"
stamp() { for name in "${push_names[@]}"; do stat -c '%i %Y' "$dir/hosts/$name/root/${remote_file#/root/}"; done; }
before=$(stamp)
for ((rep = 1; rep <= reps; rep++)); do
    eval "measure re-push muster \"\$rep\" 300 -- ${push_cmd[muster]}"
done
if [[ $(stamp) != "$before" ]]; then
    echo "  CHECK FAILED: re-push replaced files that were already up to date"
    failures=$((failures + 1))
fi
clear_pushed
rm -f "$src"

# --- scale --------------------------------------------------------------------

say "scale: true on $scale_hosts hosts with -f $scale_hosts, $reps reps (muster only)"
# All sshds share this machine's 2 CPUs: 1,000 handshakes at once take longer than the
# default 10 s connect timeout here (real hosts each have their own CPUs).
muster_scale=("$muster" exec -i "$work/scale.ini" "${common[@]}" -f "$scale_hosts" --connect-timeout 120 -- true)
for ((rep = 1; rep <= reps; rep++)); do
    measure scale muster "$rep" 300 -- "${muster_scale[@]}"
done

# The latency and WAN cases bring up testbeds of their own: this one's 1,000 idle
# sshds would only be in their way.
scripts/testbed down --dir "$dir" >/dev/null

# --- latency (issue #6): a network testbed of its own, results/latency.md -------

if [[ $mode == full ]]; then
    say "latency: 20 hosts behind a 50 ms RTT WAN link (Benchmarks/latency/run.sh)"
    MUSTER_BIN=$muster "$bench/latency/run.sh" "$reps" || failures=$((failures + 1))
fi

# --- across datacenters (issue #7): bastion and bundle distribution, results/wan.md

if [[ $mode == full ]]; then
    say "wan: a bastion and a 100 MB bundle over 40 ms / 100 Mbit/s links (Benchmarks/wan/run.sh)"
    MUSTER_BIN=$muster "$bench/wan/run.sh" 3 || failures=$((failures + 1))
fi

# --- report -------------------------------------------------------------------

mkdir -p "$results"
cp "$log" "$results/$out_name.log"
muster_source="built from this work tree"
[[ -z ${MUSTER_BIN:-} ]] || muster_source="MUSTER_BIN=$MUSTER_BIN"
exec_hosts=${exec_counts[*]}
pssh_deb_version=$(dpkg-query -W -f='${Version}' pssh 2>/dev/null || true)
openssh_version=$(ssh -V 2>&1)
export muster_cipher muster_mac kex pssh_deb_version openssh_version big_peers
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
    "exec_hosts": [int(n) for n in env["exec_hosts"].split()], "push_hosts": int(env["push_hosts"]),
    "push_size_mb": int(env["push_mb"]), "scale_hosts": int(env["scale_hosts"]),
    "testbed_hosts": int(env["testbed_hosts"]), "muster": env["muster_source"],
    "cpus": os.cpu_count(), "kernel": platform.release(),
    "loadavg_start": env["loadavg_start"],
    "loadavg_end": " ".join(open("/proc/loadavg").read().split()[:3]),
    "python_version": platform.python_version(),
    "pssh_version": version("parallel-ssh"), "ssh2_version": version("ssh2-python"),
    "big_peers": env["big_peers"] == "true",
    "muster_cipher": env["muster_cipher"], "muster_mac": env["muster_mac"],
    "muster_kex_log": env["kex"].split("kex: ", 1)[-1],
    "openssh_version": env["openssh_version"],
}
for package, field in (("pyinfra", "pyinfra_version"), ("ansible-core", "ansible_core_version")):
    try:
        meta[field] = version(package)
    except Exception:
        pass
if env["pssh_deb_version"] and meta["big_peers"]:
    meta["pssh_deb_version"] = env["pssh_deb_version"]
json.dump(meta, open(sys.argv[1], "w"), indent=2)
EOF
say "results ($results/$out_name.md)"
"${measure[@]}" report --samples "$samples" --meta "$work/meta.json" --out-dir "$results" --name "$out_name" ||
    failures=$((failures + 1))
if ((failures)); then
    echo "run.sh: $failures failed run(s) or check(s); see $results/$out_name.log" >&2
    exit 1
fi
