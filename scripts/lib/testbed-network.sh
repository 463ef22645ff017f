# shellcheck shell=bash
#
# scripts/lib/testbed-network.sh: network mode (`scripts/testbed up-network`).
#
# Hosts live in datacenters built from network namespaces instead of on
# loopback addresses. For testbed BASE b (1..127) and datacenter d (1..6):
#
#   root netns (the controller: muster, the tests)
#     mtb<b>dc<d>   WAN veth, 198.A.B.(4(d-1)+1)/30, routes to the DC's /25 via
#                   the router; tbf rate limit on egress (controller -> DC)
#   netns mtb<b>-dc<d>  the DC's router
#     wan           the WAN veth's other end, 198.A.B.(4(d-1)+2)/30, tbf (DC -> controller)
#     br0           the DC's bridge: the DC's /25, router at .1 of it
#     h<i>          one veth per host, a port of br0
#     iptables      every packet crossing `wan` goes to NFQUEUE 0, where
#                   testbed-delay.py holds it for RTT/2 (this kernel has no
#                   sch_netem); a bastion DC drops WAN packets other than
#                   replies and tcp/22 to its bastion
#   netns mtb<b>-host<NNN>  one per host: eth0 in the DC's /25, default route via
#                   the router; the host's holder and sshd run in it (plus their
#                   own mount and UTS namespaces, as in loopback mode)
#
# Addresses are from 198.18.0.0/15 only: BASE b owns the /22 starting at
# 198.18.0.0 + b*1024 (A.B below). Its first /24 holds the WAN /30s; DC d's
# subnet is the (d-1)th /25 of the other three /24s: up to 6 DCs of up to 125
# hosts. Host-to-host traffic within a DC stays on the bridge, so the WAN
# veth's counters see only controller <-> DC traffic.
#
# Everything created is first written to DIR/net/records ("netns NAME",
# "link NAME"), and `down` removes exactly what is recorded there.

TB_DELAY=$TB_LIB/testbed-delay.py
TB_NET_MAX_DCS=6
TB_NET_MAX_PER_DC=125

# Globals of a network testbed (set by tb_net_load):
#   TB_SPEC  TB_DC_COUNT  TB_DC_NAME[d] TB_DC_HOSTS[d] TB_DC_BASTION[d] (0|1)
#   TB_DC_FIRST[d] (index of its first host)  TB_HOST_DC[i]  TB_NET_ADDR[i]

# tb_net_parse SPEC: fill the DC arrays and TB_COUNT from "dc1:10,dc2:5:bastion".
tb_net_parse() {
	local spec=$1 item name hosts flag d=0 i=0 h
	local -A seen=()
	TB_SPEC=$spec TB_DC_NAME=() TB_DC_HOSTS=() TB_DC_BASTION=() TB_DC_FIRST=() TB_HOST_DC=()
	[[ -n $spec ]] || tb_die "up-network needs a SPEC, e.g.: scripts/testbed up-network dc1:10,dc2:5:bastion"
	local items
	IFS=, read -r -a items <<<"$spec"
	for item in "${items[@]}"; do
		[[ $item =~ ^([A-Za-z][A-Za-z0-9_]{0,15}):([1-9][0-9]*)(:bastion)?$ ]] ||
			tb_die "bad datacenter '$item' in SPEC (expected NAME:HOSTS or NAME:HOSTS:bastion, e.g. dc2:5:bastion)"
		name=${BASH_REMATCH[1]} hosts=${BASH_REMATCH[2]} flag=${BASH_REMATCH[3]}
		[[ -z ${seen[$name]:-} ]] || tb_die "datacenter $name is named twice in SPEC"
		seen[$name]=1
		((hosts <= TB_NET_MAX_PER_DC)) || tb_die "datacenter $name: at most $TB_NET_MAX_PER_DC hosts per datacenter"
		[[ -z $flag ]] || ((hosts >= 2)) || tb_die "datacenter $name: a bastion datacenter needs 2 or more hosts"
		((++d))
		TB_DC_NAME[d]=$name TB_DC_HOSTS[d]=$hosts TB_DC_FIRST[d]=$((i + 1)) TB_DC_BASTION[d]=0
		[[ -z $flag ]] || TB_DC_BASTION[d]=1
		for ((h = 0; h < hosts; h++)); do
			TB_HOST_DC[++i]=$d
		done
	done
	((d >= 1 && d <= TB_NET_MAX_DCS)) || tb_die "SPEC needs 1 to $TB_NET_MAX_DCS datacenters"
	TB_DC_COUNT=$d TB_COUNT=$i
}

# tb_net_block: REPLY = "A.B" of BASE's /22 (198.18.0.0 + BASE*1024).
tb_net_block() {
	local n=$((TB_BASE * 4))
	REPLY="198.$((18 + n / 256)).$((n % 256))"
}

# tb_net_load: after tb_net_parse and TB_BASE: addresses and names.
tb_net_load() {
	local i d offset third a b
	((TB_BASE >= 1 && TB_BASE <= 127)) || tb_die "network mode needs --net from 1 to 127 (it owns 198.18.0.0 + BASE*1024 /22)"
	tb_net_block
	a=${REPLY%.*} third=${REPLY##*.}
	TB_NET_ADDR=()
	for ((i = 1; i <= TB_COUNT; i++)); do
		d=${TB_HOST_DC[i]}
		offset=$(((d - 1) % 2 * 128 + 2 + i - TB_DC_FIRST[d]))
		b=$((third + 1 + (d - 1) / 2))
		TB_NET_ADDR[i]=$a.$b.$offset
	done
}

# tb_net_dc D: set DC_NS (router netns), DC_WAN (root-side veth), DC_CTRL and
# DC_ROUTER (the /30 ends), DC_SUBNET (a.b.c.d/25), DC_GW (router on the bridge),
# DC_DIR (its state directory), DC_BASTION_ADDR ('' unless a bastion DC).
tb_net_dc() {
	local d=$1 a third base
	tb_net_block
	a=${REPLY%.*} third=${REPLY##*.}
	DC_NS=mtb$TB_BASE-dc$d
	DC_WAN=mtb${TB_BASE}dc$d
	DC_CTRL=$a.$third.$((4 * (d - 1) + 1))
	DC_ROUTER=$a.$third.$((4 * (d - 1) + 2))
	base=$((third + 1 + (d - 1) / 2)).$(((d - 1) % 2 * 128))
	DC_SUBNET=$a.$base/25
	DC_GW=$a.${base%.*}.$((${base#*.} + 1))
	DC_DIR=$TB_DIR/net/dc$d
	DC_BASTION_ADDR=''
	((TB_DC_BASTION[d])) && DC_BASTION_ADDR=${TB_NET_ADDR[TB_DC_FIRST[d]]}
	return 0
}

# tb_net_host_ns I: REPLY = the host's netns.
tb_net_host_ns() {
	printf -v REPLY 'mtb%d-host%03d' "$TB_BASE" "$1"
}

# tb_net_dc_index NAME|INDEX: REPLY = the datacenter's index.
tb_net_dc_index() {
	local d
	for ((d = 1; d <= TB_DC_COUNT; d++)); do
		[[ $1 == "${TB_DC_NAME[d]}" || $1 == "$d" ]] && { REPLY=$d && return 0; }
	done
	tb_die "no datacenter '$1' in this testbed (${TB_DC_NAME[*]:1})"
}

# ----------------------------------------------------------------------------
# Creating and removing (everything recorded in DIR/net/records first)
# ----------------------------------------------------------------------------

# tb_net_record KIND NAME: remember a netns or root-netns link before creating it.
tb_net_record() {
	printf '%s %s\n' "$1" "$2" >>"$TB_DIR/net/records"
}

# tb_net_add_ns NAME: create a netns (die if it exists: not ours), loopback up, no IPv6
# (no router solicitations or DAD on the WAN counters).
tb_net_add_ns() {
	[[ ! -e /run/netns/$1 ]] ||
		tb_die "netns $1 already exists: another testbed on --net $TB_BASE? (not ours, so left alone; remove with: ip netns del $1)"
	tb_net_record netns "$1"
	ip netns add "$1" || tb_die "ip netns add $1 failed"
	tb_net_in "$1" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null || true
	ip -n "$1" link set lo up
}

# tb_net_in NETNS CMD...: run CMD in NETNS (only the network namespace changes).
tb_net_in() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" -- "$@"
}

# tb_net_create: build every datacenter (router, bridge, WAN, hosts' netns).
tb_net_create() {
	local d i ns hns addr batch
	mkdir -p "$TB_DIR/net"
	for ((d = 1; d <= TB_DC_COUNT; d++)); do
		tb_net_dc "$d"
		mkdir -p "$DC_DIR"
		ns=$DC_NS
		tb_net_add_ns "$ns"
		tb_net_in "$ns" sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward' || tb_die "$ns: cannot enable forwarding"
		[[ -e /sys/class/net/$DC_WAN ]] && tb_die "link $DC_WAN already exists: another testbed on --net $TB_BASE?"
		tb_net_record link "$DC_WAN"
		ip link add "$DC_WAN" type veth peer name wan netns "$ns" || tb_die "cannot create the WAN veth $DC_WAN"
		echo 1 >"/proc/sys/net/ipv6/conf/$DC_WAN/disable_ipv6" 2>/dev/null || true
		ip addr add "$DC_CTRL/30" dev "$DC_WAN"
		ip link set "$DC_WAN" up
		batch="link add br0 type bridge
addr add $DC_GW/25 brd + dev br0
link set br0 up
addr add $DC_ROUTER/30 dev wan
link set wan up
"
		ip -n "$ns" -batch - <<<"$batch" || tb_die "$ns: setting up br0 and wan failed"
		# Bridged host-to-host frames must not go through the router's iptables.
		tb_net_in "$ns" sh -c 'f=/proc/sys/net/bridge/bridge-nf-call-iptables; [ ! -e $f ] || echo 0 >$f'
		ip route add "$DC_SUBNET" via "$DC_ROUTER" dev "$DC_WAN" || tb_die "cannot add the route to $DC_SUBNET (in use by another testbed?)"

		batch=''
		for ((i = TB_DC_FIRST[d]; i < TB_DC_FIRST[d] + TB_DC_HOSTS[d]; i++)); do
			tb_net_host_ns "$i" && hns=$REPLY
			tb_net_add_ns "$hns"
			batch+="link add h$i type veth peer name eth0 netns $hns
link set h$i master br0 up
"
		done
		ip -n "$ns" -batch - <<<"$batch" || tb_die "$ns: creating the hosts' veths failed"
		for ((i = TB_DC_FIRST[d]; i < TB_DC_FIRST[d] + TB_DC_HOSTS[d]; i++)); do
			tb_net_host_ns "$i" && hns=$REPLY
			addr=${TB_NET_ADDR[i]}
			ip -n "$hns" -batch - <<<"addr add $addr/25 brd + dev eth0
link set eth0 up
route add default via $DC_GW" || tb_die "$hns: configuring eth0 failed"
		done
		tb_net_firewall "$d"
		tb_net_start_delay "$d"
		tb_net_wan_set "$d" "$TB_NET_RTT" "$TB_NET_RATE"
	done
}

# tb_net_firewall D: every packet crossing the WAN goes through the delay queue;
# a bastion DC lets in from the WAN only replies and tcp/22 to its bastion.
tb_net_firewall() {
	local d=$1 q=(-j NFQUEUE --queue-num 0)
	tb_net_dc "$d"
	{
		printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n'
		if ((TB_DC_BASTION[d])); then
			printf -- '-A FORWARD -i wan -m conntrack --ctstate ESTABLISHED,RELATED %s\n' "${q[*]}"
			printf -- '-A FORWARD -i wan -d %s/32 -p tcp --dport 22 %s\n' "$DC_BASTION_ADDR" "${q[*]}"
			printf -- '-A FORWARD -i wan -j DROP\n'
		else
			printf -- '-A FORWARD -i wan %s\n' "${q[*]}"
		fi
		printf -- '-A FORWARD -o wan %s\n' "${q[*]}"
		printf 'COMMIT\n'
	} >"$DC_DIR/iptables.rules"
	tb_net_in "$DC_NS" iptables-restore <"$DC_DIR/iptables.rules" ||
		tb_die "$DC_NS: iptables-restore of $DC_DIR/iptables.rules failed"
}

# tb_net_delay_pid D: REPLY = the DC's delay daemon pid, if it runs.
tb_net_delay_pid() {
	tb_net_dc "$1"
	tb_live_pid "$DC_DIR/delay.pid" "testbed-delay.py $DC_DIR/delay.conf"
}

# tb_net_start_delay D: start testbed-delay.py in the DC's router netns.
tb_net_start_delay() {
	local d=$1 tries
	tb_net_dc "$d"
	[[ -e $DC_DIR/delay.conf ]] || printf 'delay_us=0\n' >"$DC_DIR/delay.conf"
	rm -f "$DC_DIR/delay.pid"
	tb_spawn "$DC_DIR/delay.log" nsenter --net="/run/netns/$DC_NS" -- \
		/usr/bin/python3 "$TB_DELAY" "$DC_DIR/delay.conf" "$DC_DIR/delay.pid"
	for ((tries = 250; tries > 0; tries--)); do
		tb_net_delay_pid "$d" && return 0
		[[ -s $DC_DIR/delay.log ]] && break
		sleep 0.02
	done
	tb_die "$DC_NS: the WAN delay daemon did not start: $(cat "$DC_DIR/delay.log" 2>/dev/null)"
}

# tb_net_parse_rtt TEXT: REPLY = microseconds ("40ms", "40", "0.5s", "800us").
tb_net_parse_rtt() {
	[[ $1 =~ ^([0-9]+(\.[0-9]+)?)(us|ms|s)?$ ]] || tb_die "bad --rtt '$1' (e.g. 40ms, 0.2s, 0)"
	local unit=${BASH_REMATCH[3]:-ms}
	REPLY=$(awk -v v="${BASH_REMATCH[1]}" -v u="$unit" 'BEGIN { m = u == "s" ? 1e6 : u == "ms" ? 1e3 : 1; printf "%d", v * m + 0.5 }')
}

# tb_net_check_rate TEXT: die unless "none" or a tc rate (100mbit, 1gbit, 500kbit).
tb_net_check_rate() {
	[[ $1 == none || $1 =~ ^[0-9]+(\.[0-9]+)?(bit|kbit|mbit|gbit)$ ]] || tb_die "bad --rate '$1' (e.g. 100mbit, 1gbit, none)"
}

# tb_net_wan_set D RTT RATE: the WAN link's round-trip delay (half each way)
# and rate limit (tbf on both ends; none removes it). Kept in DC_DIR/wan.
tb_net_wan_set() {
	local d=$1 rtt=$2 rate=$3 us ns
	tb_net_parse_rtt "$rtt" && us=$REPLY
	tb_net_check_rate "$rate"
	tb_net_dc "$d"
	printf 'delay_us=%d\n' $((us / 2)) >"$DC_DIR/delay.conf.tmp"
	mv "$DC_DIR/delay.conf.tmp" "$DC_DIR/delay.conf"
	tb_net_delay_pid "$d" || tb_die "$DC_NS: the WAN delay daemon is not running"
	kill -HUP "$REPLY"
	for ns in '' "$DC_NS"; do
		local tc=(tc) dev=$DC_WAN
		[[ -z $ns ]] || tc=(tc -n "$ns") dev=wan
		if [[ $rate == none ]]; then
			"${tc[@]}" qdisc del dev "$dev" root 2>/dev/null || true
		else
			# burst 128k: a GSO packet (64 KiB) passes whole.
			"${tc[@]}" qdisc replace dev "$dev" root tbf rate "$rate" burst 128kb latency 100ms ||
				tb_die "tc tbf on $dev ${ns:+(netns $ns) }failed"
		fi
	done
	printf 'rtt=%s\nrtt_us=%d\nrate=%s\n' "$rtt" "$us" "$rate" >"$DC_DIR/wan"
}

# tb_net_wan_show D: REPLY = "rtt 40ms, rate 100mbit, delay daemon up|DOWN".
tb_net_wan_show() {
	local d=$1 key value rtt=? rate=? daemon=DOWN
	tb_net_dc "$d"
	if [[ -r $DC_DIR/wan ]]; then
		while IFS='=' read -r key value; do
			case $key in rtt) rtt=$value ;; rate) rate=$value ;; esac
		done <"$DC_DIR/wan"
	fi
	tb_net_delay_pid "$d" && daemon=up
	REPLY="rtt $rtt, rate $rate, delay daemon $daemon"
}

# tb_net_wan_bytes D: print the WAN veth's counters (root side: tx = to the DC).
tb_net_wan_bytes() {
	local s
	tb_net_dc "$1"
	s=/sys/class/net/$DC_WAN/statistics
	[[ -d $s ]] || tb_die "no WAN link $DC_WAN (is the testbed up?)"
	printf 'to_dc_bytes=%s from_dc_bytes=%s to_dc_packets=%s from_dc_packets=%s\n' \
		"$(<"$s/tx_bytes")" "$(<"$s/rx_bytes")" "$(<"$s/tx_packets")" "$(<"$s/rx_packets")"
}

# tb_net_teardown: stop the delay daemons and remove every recorded netns and
# link (in reverse order); a missing one is skipped. Dies if any is left.
tb_net_teardown() {
	local d kind name records=() left=() k
	[[ -d $TB_DIR/net ]] || return 0
	for ((d = 1; d <= ${TB_DC_COUNT:-0}; d++)); do
		if tb_net_delay_pid "$d"; then
			kill -KILL "$REPLY" 2>/dev/null || true
			tb_wait_gone 5 "$REPLY" || true
		fi
	done
	[[ -r $TB_DIR/net/records ]] && mapfile -t records <"$TB_DIR/net/records"
	for ((k = ${#records[@]} - 1; k >= 0; k--)); do
		read -r kind name <<<"${records[k]}"
		case $kind in
		netns) [[ -e /run/netns/$name ]] && { ip netns del "$name" || left+=("netns $name"); } ;;
		link) [[ -e /sys/class/net/$name ]] && { ip link del "$name" || left+=("link $name"); } ;;
		esac
	done
	((${#left[@]} == 0)) || tb_die "could not remove: ${left[*]}"
	rm -rf -- "$TB_DIR/net"
}

# tb_net_status_header: the testbed line and one line per datacenter for `status`.
tb_net_status_header() {
	local d bastion wan
	printf '# testbed %s: %d hosts in %d datacenters (network mode, --net %d)\n' \
		"$TB_DIR" "$TB_COUNT" "$TB_DC_COUNT" "$TB_BASE"
	for ((d = 1; d <= TB_DC_COUNT; d++)); do
		tb_net_wan_show "$d" && wan=$REPLY
		tb_net_dc "$d"
		bastion=''
		[[ -z $DC_BASTION_ADDR ]] || bastion=", only bastion $DC_BASTION_ADDR:22 reachable from the WAN"
		printf '# %s: %s, WAN %s (%s -> %s): %s%s\n' "${TB_DC_NAME[d]}" "$DC_SUBNET" "$DC_WAN" \
			"$DC_CTRL" "$DC_ROUTER" "$wan" "$bastion"
	done
}

# tb_net_inventory: DIR/inventory.ini for a network testbed: group testbed with a
# child group per datacenter (datacenter=NAME), group bastions, and for the hosts
# behind a bastion ansible_ssh_common_args with ProxyJump through it.
tb_net_inventory() {
	local d i name jump
	{
		printf '# Muster testbed: %d hosts in %d datacenters (network mode), generated by scripts/testbed\n' \
			"$TB_COUNT" "$TB_DC_COUNT"
		for ((d = 1; d <= TB_DC_COUNT; d++)); do
			tb_net_dc "$d"
			printf '[%s]\n' "${TB_DC_NAME[d]}"
			for ((i = TB_DC_FIRST[d]; i < TB_DC_FIRST[d] + TB_DC_HOSTS[d]; i++)); do
				tb_name "$i" && name=$REPLY
				jump=''
				if [[ -n $DC_BASTION_ADDR && $i != "${TB_DC_FIRST[d]}" ]]; then
					jump=" ansible_ssh_common_args='-o ProxyJump=root@$DC_BASTION_ADDR'"
				fi
				printf '%s ansible_host=%s%s\n' "$name" "${TB_NET_ADDR[i]}" "$jump"
			done
			printf '[%s:vars]\ndatacenter=%s\n' "${TB_DC_NAME[d]}" "${TB_DC_NAME[d]}"
		done
		printf '[bastions]\n'
		for ((d = 1; d <= TB_DC_COUNT; d++)); do
			if ((TB_DC_BASTION[d])); then
				tb_name "${TB_DC_FIRST[d]}" && printf '%s\n' "$REPLY"
			fi
		done
		printf '[testbed:children]\n'
		printf '%s\n' "${TB_DC_NAME[@]:1}"
		printf '[testbed:vars]\n'
		printf 'ansible_user=root\n'
		printf 'ansible_ssh_private_key_file=%s/id_ed25519\n' "$TB_DIR"
	} >"$TB_DIR/inventory.ini"
}

# tb_net_ssh_config: DIR/ssh_config for the OpenSSH client: root, DIR's key and
# known_hosts, strict. `ssh -J` passes -F on to the jump connection (command-line
# -o options are not), so `ssh -F DIR/ssh_config -J BASTION HOST` works.
tb_net_ssh_config() {
	printf '%s\n' \
		"# OpenSSH client settings for testbed $TB_DIR (generated by scripts/testbed)" \
		"Host *" \
		"    User root" \
		"    IdentityFile $TB_DIR/id_ed25519" \
		"    IdentitiesOnly yes" \
		"    UserKnownHostsFile $TB_DIR/known_hosts" \
		"    GlobalKnownHostsFile /dev/null" \
		"    StrictHostKeyChecking yes" \
		"    BatchMode yes" >"$TB_DIR/ssh_config"
}
