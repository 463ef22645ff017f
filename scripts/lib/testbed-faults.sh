# shellcheck shell=bash
#
# scripts/lib/testbed-faults.sh: fault switches, heal and status.
#
# Every fault acts on the real host (its namespaces, its sshd, its files) and
# is recorded in HDIR/faults. `heal` reboots the host: it kills every process
# in the host's namespaces (which drops all its mounts), removes the files the
# faults left in the overlay upper dir, regenerates sshd_config and starts the
# host afresh. Files in the host's /root, /opt and other /etc changes persist.

TB_FAULT_KINDS='skew ro-root cloud stop rekey password-only blackhole crash'

# tb_fault KIND I [ARG]
tb_fault() {
	local kind=$1 i=$2 arg=${3:-}
	tb_host_pids "$i"
	[[ -n $HOLDER_PID ]] || tb_die "host is down (run: scripts/testbed heal HOST)"
	[[ $kind == skew || -z $arg ]] || tb_die "fault $kind takes no argument"
	case $kind in
	skew) tb_fault_skew "$i" "$arg" ;;
	ro-root) tb_fault_ro_root "$i" ;;
	cloud) tb_fault_cloud "$i" ;;
	stop) tb_fault_stop "$i" ;;
	rekey) tb_fault_rekey "$i" ;;
	password-only) tb_fault_password_only "$i" ;;
	blackhole) tb_fault_blackhole "$i" ;;
	crash) tb_fault_crash "$i" ;;
	*) tb_die "unknown fault '$kind' (one of: $TB_FAULT_KINDS)" ;;
	esac
}

# skew SECONDS: the host's clock runs SECONDS ahead (or behind, if negative)
# for every process started on it from now on, sshd included.
#
# libfaketime is loaded through the host's /etc/ld.so.preload and reads the
# offset from /etc/faketimerc. Two things make this work with sshd:
#  - libfaketime 0.9.10 creates a POSIX semaphore and shared memory object per
#    process in /dev/shm and unlinks them in a destructor at exit. sshd's
#    sandboxed pre-auth child (seccomp) is killed with SIGSYS for that unlink
#    if it inherited "creator" status, which fails every login. So sshd is
#    restarted under the preload: the listener then creates the objects and
#    passes them on (FAKETIME_SHARED) to the sshd it re-execs per connection,
#    whose pre-auth child therefore has nothing to unlink.
#  - Processes killed with SIGKILL leak those objects, so the host gets a
#    private /dev/shm (a tmpfs that disappears with the host's namespace).
tb_fault_skew() {
	local i=$1 seconds=$2 spec lib
	[[ $seconds =~ ^[+-]?[0-9]+$ ]] || tb_die "fault skew needs SECONDS, e.g. 120 or -120"
	if [[ $seconds == -* ]]; then
		spec=-$((10#${seconds#-}))
	else
		spec=+$((10#${seconds#+}))
	fi
	tb_libfaketime && lib=$REPLY
	if ! tb_has_fault "$i" skew; then
		tb_host_nsenter "$i" mount -t tmpfs -o mode=1777,size=64m,nosuid,nodev tmpfs /dev/shm
	fi
	# faketimerc first: once ld.so.preload exists every new process reads it.
	# shellcheck disable=SC2016 # expanded by the inner sh
	tb_host_nsenter "$i" sh -c 'printf "%s\n" "$1" >/etc/faketimerc && printf "%s\n" "$2" >/etc/ld.so.preload' \
		sh "$spec" "$lib"
	tb_add_fault "$i" "skew $spec"
	tb_restart_sshd "$i"
}

# ro-root: /root becomes a read-only bind mount for every process of the host
# (existing sessions included).
tb_fault_ro_root() {
	tb_host_nsenter "$1" mount -o remount,bind,ro /root
	tb_add_fault "$1" ro-root
}

# cloud: the host looks like an AWS VM to DMI readers: a tmpfs over /sys/class
# (the machine may have no /sys/class/dmi at all) holding only
# dmi/id/sys_vendor "Amazon EC2" and dmi/id/product_name "t3.large". Every
# process of the host sees it; `heal` drops the mount with the namespace.
tb_fault_cloud() {
	local i=$1
	if ! tb_has_fault "$i" cloud; then
		tb_host_nsenter "$i" mount -t tmpfs -o mode=0755,size=1m,nosuid,nodev,noexec tmpfs /sys/class
	fi
	tb_host_nsenter "$i" sh -c 'mkdir -p /sys/class/dmi/id &&
		printf "Amazon EC2\n" >/sys/class/dmi/id/sys_vendor &&
		printf "t3.large\n" >/sys/class/dmi/id/product_name'
	tb_add_fault "$i" cloud
}

# stop: sshd (or the blackhole) stops listening: connections are refused.
# Established sessions survive, as with `systemctl stop ssh`.
tb_fault_stop() {
	tb_stop_blackhole "$1"
	tb_stop_sshd "$1"
	tb_add_fault "$1" stop blackhole crash
}

# rekey: a new ed25519 host key (so known_hosts no longer matches); sshd is
# restarted with it. The new public key is in
# HDIR/etc-upper/ssh/ssh_host_ed25519_key_rekeyed.pub.
tb_fault_rekey() {
	local i=$1
	tb_name "$i"
	# shellcheck disable=SC2016 # expanded by the inner sh
	tb_host_nsenter "$i" sh -c 'rm -f "$1" "$1.pub" && ssh-keygen -q -t ed25519 -N "" -C "$2" -f "$1"' \
		sh "$TB_REKEYED" "$REPLY-rekeyed"
	tb_add_fault "$i" rekey
	tb_sshd_config "$i"
	tb_host_nsenter "$i" sh -c 'cat >/etc/ssh/sshd_config' <<<"$REPLY"
	tb_restart_sshd "$i"
}

# password-only: root's password (DIR/password) is set in the host's
# /etc/shadow and sshd accepts only password authentication.
tb_fault_password_only() {
	local i=$1 password
	[[ -s $TB_DIR/password ]] || tb_die "$TB_DIR/password is missing"
	password=$(<"$TB_DIR/password")
	tb_host_nsenter "$i" chpasswd <<<"root:$password"
	tb_add_fault "$i" password-only
	tb_sshd_config "$i"
	tb_host_nsenter "$i" sh -c 'cat >/etc/ssh/sshd_config' <<<"$REPLY"
	tb_restart_sshd "$i"
}

# blackhole: sshd stops and socat takes over ADDR:22: it accepts connections
# and never sends a byte (it reads and discards what the client sends).
tb_fault_blackhole() {
	local i=$1 hdir addr tries
	tb_hdir "$i" && hdir=$REPLY
	tb_addr "$i" && addr=$REPLY
	tb_stop_sshd "$i"
	tb_host_pids "$i"
	if [[ -z $BLACKHOLE_PID ]]; then
		rm -f "$hdir/blackhole.pid"
		tb_rotate_log "$hdir/blackhole.log"
		# shellcheck disable=SC2016 # expanded by the inner bash
		tb_spawn "$hdir/blackhole.log" nsenter -t "$HOLDER_PID" -m -u -n -- bash -c \
			'echo $$ >"$1"; exec -a "muster-testbed-blackhole $2" socat -u "TCP-LISTEN:22,bind=$3,reuseaddr,fork,backlog=1024" OPEN:/dev/null' \
			blackhole "$hdir/blackhole.pid" "$hdir" "$addr"
		# ss in the host's network namespace (the root one in loopback mode).
		local listening=(nsenter -t "$HOLDER_PID" -n -- ss -Hltn src "$addr:22")
		for ((tries = 250; tries > 0; tries--)); do
			[[ -n $("${listening[@]}") ]] && break
			[[ -s $hdir/blackhole.log ]] && break
			sleep 0.02
		done
		[[ -z $("${listening[@]}") ]] &&
			tb_die "blackhole listener did not start: $(<"$hdir/blackhole.log")"
	fi
	tb_add_fault "$i" blackhole stop crash
}

# crash: SIGKILL the host's sshd listener, its per-connection sshds and every
# session process (everything in the host's namespaces but the holder), as if
# the host died mid-transfer.
tb_fault_crash() {
	tb_kill_hosts 1 "$1"
	tb_add_fault "$1" crash stop blackhole
}

# tb_heal I: reboot the host without its faults.
tb_heal() {
	local i=$1
	tb_load_authorized_keys
	tb_kill_hosts 0 "$i"
	tb_start_hosts "$i"
	if ! tb_wait_started 15 "$i"; then
		tb_report_failed
		exit 1
	fi
}

# tb_status: one line per host: name, address, state, active faults.
tb_status() {
	local i name addr state faults ok=0 dc=''
	if [[ $TB_MODE == network ]]; then
		tb_net_status_header
		printf '%-8s %-16s %-15s %-9s %s\n' HOST DATACENTER ADDRESS STATE FAULTS
	else
		printf '# testbed %s: %d hosts on 127.0.%d.x\n' "$TB_DIR" "$TB_COUNT" "$TB_BASE"
		printf '%-8s %-15s %-9s %s\n' HOST ADDRESS STATE FAULTS
	fi
	for ((i = 1; i <= TB_COUNT; i++)); do
		tb_name "$i" && name=$REPLY
		tb_addr "$i" && addr=$REPLY
		tb_host_pids "$i"
		if [[ -z $HOLDER_PID ]]; then
			state=down
		elif [[ -n $BLACKHOLE_PID ]]; then
			state=blackhole
		elif [[ -n $SSHD_PID ]]; then
			state=up
			((++ok))
		else
			state=stopped
		fi
		tb_faults "$i"
		printf -v faults '%s, ' "${TB_FAULTS[@]}"
		faults=${faults%, }
		if [[ $TB_MODE == network ]]; then
			dc=${TB_DC_NAME[TB_HOST_DC[i]]}
			((TB_DC_FIRST[TB_HOST_DC[i]] == i && TB_DC_BASTION[TB_HOST_DC[i]])) && dc+=" (bastion)"
			printf '%-8s %-16s %-15s %-9s %s\n' "$name" "$dc" "$addr" "$state" "${faults:--}"
		else
			printf '%-8s %-15s %-9s %s\n' "$name" "$addr" "$state" "${faults:--}"
		fi
	done
	printf '# %d of %d hosts up\n' "$ok" "$TB_COUNT"
}
