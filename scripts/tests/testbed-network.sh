#!/usr/bin/env bash
#
# scripts/tests/testbed-network.sh [--dir DIR] [--net BASE] [--keep]
#
# Smoke test of the testbed's network mode (scripts/testbed up-network), with
# the OpenSSH client from the root netns (the controller):
#   dc1:3,dc2:3:bastion, 40 ms RTT, 100 Mbit/s. A dc1 host answers directly and
#   the TCP handshake takes about the RTT (also after `wan dc1 --rtt 100ms`);
#   a dc2 host behind the bastion is not reachable directly but is through
#   `ssh -J bastion`; hosts of one DC reach each other's sshd; 4 MiB sent to a
#   dc1 host move the WAN counter by about 4 MiB (at no more than the rate
#   limit), 4 MiB between two dc1 hosts move it by nothing; `fault crash` of the
#   bastion cuts dc2 off and `heal` brings it back; the inventory has the
#   groups; `down` leaves no netns and no link of the testbed behind.
#
#   --dir DIR   testbed directory (default /tmp/muster-test-network)
#   --net BASE  network-mode base, 1..127 (default 61: 198.18.244.0/22)
#   --keep      leave the testbed up at the end
#
# Needs root. Takes about 15 seconds. Exits 1 on the first failed check.

set -euo pipefail
cd "$(dirname "$0")/../.."

DIR=/tmp/muster-test-network NET=61 KEEP=0
while (($#)); do
	case $1 in
	--dir) DIR=$2; shift 2 ;;
	--net) NET=$2; shift 2 ;;
	--keep) KEEP=1; shift ;;
	-h | --help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
CHECKS=0

say() { printf '%s\n' "$*"; }
fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}
ok() {
	CHECKS=$((CHECKS + 1))
	printf '  ok  %s\n' "$*"
}
tb() { scripts/testbed --dir "$DIR" "$@"; }
cleanup() {
	((KEEP)) || scripts/testbed down --dir "$DIR" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The OpenSSH client with the testbed's key and known_hosts, as the brief of
# the files in DIR says; -F DIR/ssh_config has the same, and is what -J needs.
ssh_opts=(-o BatchMode=yes -o "UserKnownHostsFile=$DIR/known_hosts" -o GlobalKnownHostsFile=/dev/null
	-o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -i "$DIR/id_ed25519" -o ConnectTimeout=3)
ssh_to() { ssh "${ssh_opts[@]}" -l root "$@"; }

# connect_ms ADDR: REPLY = milliseconds of a TCP handshake with ADDR:22 (the
# median of 5, each in this shell: no fork inside the timing).
connect_ms() {
	local times=() i start fd
	for ((i = 0; i < 5; i++)); do
		start=$EPOCHREALTIME
		exec {fd}<>"/dev/tcp/$1/22" || fail "TCP connect to $1:22 failed"
		times+=($(((${EPOCHREALTIME/./} - ${start/./}) / 1000)))
		exec {fd}<&-
	done
	REPLY=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
}

# wan_bytes DC: set TO_DC and FROM_DC from `scripts/testbed wan-bytes DC`.
wan_bytes() {
	local line
	line=$(tb wan-bytes "$1")
	[[ $line =~ to_dc_bytes=([0-9]+)\ from_dc_bytes=([0-9]+) ]] || fail "wan-bytes $1 printed '$line'"
	TO_DC=${BASH_REMATCH[1]} FROM_DC=${BASH_REMATCH[2]}
}

scripts/testbed down --dir "$DIR" >/dev/null 2>&1 || true
if ip netns list | grep -q "^mtb$NET-"; then
	fail "netns of another testbed on --net $NET exist ($(ip netns list | grep "^mtb$NET-" | head -n 3 | tr '\n' ' ')); pick another --net"
fi

say "== up-network dc1:3,dc2:3:bastion --rtt 40ms --rate 100mbit (dir $DIR, --net $NET)"
tb up-network dc1:3,dc2:3:bastion --rtt 40ms --rate 100mbit --net "$NET"
h1=$(tb addr host001) h2=$(tb addr host002) h3=$(tb addr host003)
bastion=$(tb addr host004) h5=$(tb addr host005) h6=$(tb addr host006)
[[ $h1 == 198.1[89].* && $bastion == 198.1[89].* ]] || fail "addresses outside 198.18.0.0/15: $h1 $bastion"
status=$(tb status)
grep -q '^host004 *dc2 (bastion)' <<<"$status" || fail "status does not show host004 as dc2's bastion: $status"
ok "6 hosts up in 2 datacenters ($h1.. in dc1, bastion $bastion in dc2); status shows the datacenters"

inv=$DIR/inventory.ini
grep -q '^\[dc1\]' "$inv" && grep -q '^\[dc2:vars\]' "$inv" && grep -q '^datacenter=dc2$' "$inv" &&
	grep -A1 '^\[bastions\]' "$inv" | grep -q '^host004$' &&
	grep -q "^host005 ansible_host=$h5 ansible_ssh_common_args='-o ProxyJump=root@$bastion'$" "$inv" &&
	! grep -q "^host004 .*ProxyJump" "$inv" || fail "inventory.ini lacks the datacenter groups or the ProxyJump: $(cat "$inv")"
[[ $(wc -l <"$DIR/known_hosts") == 6 ]] || fail "known_hosts should have 6 lines"
ok "inventory.ini: [dc1] [dc2] with datacenter=, [bastions] host004, ProxyJump for host005/006; known_hosts has all 6"

[[ $(ssh_to "$h1" hostname) == host001 ]] || fail "host001 ($h1) did not answer directly"
ok "a dc1 host answers directly over the WAN"

connect_ms "$h1"
((REPLY >= 38 && REPLY <= 70)) || fail "TCP handshake with $h1 took $REPLY ms, expected about 40 (the RTT)"
ok "TCP handshake to dc1 takes $REPLY ms (RTT set to 40 ms)"
tb wan dc1 --rtt 100ms >/dev/null
connect_ms "$h1"
((REPLY >= 95 && REPLY <= 140)) || fail "after wan dc1 --rtt 100ms the handshake took $REPLY ms"
tb wan dc1 --rtt 40ms >/dev/null
ok "wan dc1 --rtt 100ms: the handshake takes $REPLY ms; set back to 40 ms"

if ssh_to -o ConnectTimeout=2 "$h5" true 2>/dev/null; then
	fail "host005 ($h5), behind the bastion, was reachable directly"
fi
ok "host005 behind the bastion is not reachable directly from the WAN"
[[ $(ssh -F "$DIR/ssh_config" -J "root@$bastion" "root@$h5" hostname) == host005 ]] ||
	fail "host005 did not answer through ssh -J root@$bastion"
ok "host005 answers through ssh -J (the bastion host004)"

for pair in "host002 $h3 host003" "host005 $h6 host006" "host004 $h5 host005"; do
	read -r from to name <<<"$pair"
	got=$(tb exec "$from" -- ssh -F "$DIR/ssh_config" "root@$to" hostname) ||
		fail "$from could not reach $name's sshd ($to)"
	[[ $got == "$name" ]] || fail "$from -> $to answered '$got', expected $name"
done
ok "inside a datacenter hosts reach each other's sshd (host002->host003, host005->host006, bastion->host005)"

mib=4 bytes=$((4 << 20))
wan_bytes dc1 && to0=$TO_DC from0=$FROM_DC
start=$EPOCHREALTIME
head -c "$bytes" /dev/urandom | ssh_to "$h1" 'cat >/dev/null'
ms=$(((${EPOCHREALTIME/./} - ${start/./}) / 1000))
wan_bytes dc1
sent=$((TO_DC - to0)) back=$((FROM_DC - from0))
((sent >= bytes && sent <= bytes * 110 / 100)) || fail "$mib MiB to host001 moved the WAN counter by $sent bytes"
((back < bytes / 10)) || fail "$mib MiB to host001 brought $back bytes back over the WAN"
# 100 Mbit/s is 12.5 MB/s: 4 MiB need at least 0.33 s (allow some burst).
((ms >= 280)) || fail "$mib MiB went through a 100 Mbit/s WAN in $ms ms: the rate limit does not hold"
ok "$mib MiB to host001: WAN to_dc +$sent bytes, from_dc +$back bytes, in $ms ms (100 Mbit/s limit)"

wan_bytes dc1 && to0=$TO_DC from0=$FROM_DC
tb exec host002 -- sh -c "head -c $bytes /dev/urandom | ssh -F '$DIR/ssh_config' root@$h3 'cat >/dev/null'"
wan_bytes dc1
((TO_DC - to0 < 2000 && FROM_DC - from0 < 2000)) ||
	fail "$mib MiB from host002 to host003 moved the WAN counters by $((TO_DC - to0)) / $((FROM_DC - from0)) bytes"
ok "$mib MiB host002 -> host003 inside dc1: WAN counters moved by $((TO_DC - to0)) / $((FROM_DC - from0)) bytes"

tb fault crash host004 >/dev/null
if ssh -F "$DIR/ssh_config" -o ConnectTimeout=2 -J "root@$bastion" "root@$h5" true 2>/dev/null; then
	fail "host005 still reachable through the crashed bastion"
fi
ok "fault crash host004 (the bastion): dc2 is cut off"
tb heal host004 >/dev/null
[[ $(ssh -F "$DIR/ssh_config" -J "root@$bastion" "root@$h6" hostname) == host006 ]] ||
	fail "host006 not reachable through the bastion after heal"
ok "heal host004: host006 answers through the bastion again"

tb down >/dev/null
left=$(ip netns list | grep "^mtb$NET-" || true)
[[ -z $left ]] || fail "down left netns behind: $left"
left=$(ip -o link show | grep -o "mtb${NET}dc[0-9]*" || true)
[[ -z $left ]] || fail "down left links behind: $left"
[[ ! -e $DIR ]] || fail "down left $DIR behind"
ok "down: no netns, no link, no $DIR left"

say "testbed-network: $CHECKS passed, 0 failed"
