# shellcheck shell=bash
#
# scripts/lib/testbed-common.sh: shared helpers for scripts/testbed.
#
# Messages, tool checks, the testbed directory and its saved configuration,
# host names and addresses, validated pid files, locking and process killing.
# Functions that compute a single value return it in REPLY (no subshell, so the
# loops over 1000 hosts stay fast).

# ----------------------------------------------------------------------------
# Messages
# ----------------------------------------------------------------------------

tb_die() {
	printf 'testbed: error: %s\n' "$*" >&2
	exit 1
}

tb_warn() {
	printf 'testbed: warning: %s\n' "$*" >&2
}

tb_say() {
	printf '%s\n' "$*"
}

# tb_now: REPLY = seconds since the epoch with microseconds (for timings).
tb_now() {
	REPLY=${EPOCHREALTIME/,/.}
}

# tb_elapsed START: REPLY = seconds since START (a tb_now value), 2 decimals.
tb_elapsed() {
	local start=$1 now
	tb_now
	now=$REPLY
	local us=$((10#${now/./} - 10#${start/./}))
	printf -v REPLY '%d.%02d' $((us / 1000000)) $((us % 1000000 / 10000))
}

# ----------------------------------------------------------------------------
# Tools
# ----------------------------------------------------------------------------

# Which Debian package provides each tool we call.
declare -gA TB_TOOL_PACKAGE=(
	[/usr/sbin/sshd]=openssh-server
	[ssh-keygen]=openssh-client
	[unshare]=util-linux
	[nsenter]=util-linux
	[setsid]=util-linux
	[flock]=util-linux
	[mount]=mount
	[ss]=iproute2
	[ps]=procps
	[xargs]=findutils
	[realpath]=coreutils
	[socat]=socat
	[chpasswd]=passwd
	[ip]=iproute2
	[tc]=iproute2
	[iptables-restore]=iptables
	[/usr/bin/python3]=python3
)

# tb_require TOOL...: die naming the apt package of every missing tool.
tb_require() {
	local tool missing=() packages=()
	for tool; do
		if [[ $tool == /* ]]; then
			[[ -x $tool ]] && continue
		else
			command -v "$tool" >/dev/null 2>&1 && continue
		fi
		missing+=("$tool")
		packages+=("${TB_TOOL_PACKAGE[$tool]:-?}")
	done
	((${#missing[@]} == 0)) ||
		tb_die "missing tool(s): ${missing[*]} (install with: apt-get install ${packages[*]})"
}

# tb_libfaketime: REPLY = path of libfaketime.so.1 (from the faketime package).
tb_libfaketime() {
	local lib
	lib=$(dpkg -L libfaketime faketime 2>/dev/null | grep -m1 '/libfaketime\.so\.1$') || true
	[[ -n $lib && -e $lib ]] ||
		tb_die "libfaketime.so.1 not found (install with: apt-get install faketime)"
	REPLY=$lib
}

# ----------------------------------------------------------------------------
# Testbed directory and configuration
# ----------------------------------------------------------------------------

# tb_set_dir DIR: set TB_DIR (absolute), TB_HOSTS and TB_CONF.
tb_set_dir() {
	local dir=$1
	[[ -n $dir ]] || tb_die "empty --dir"
	[[ $dir == /* ]] || dir=$PWD/$dir
	dir=$(realpath -m -- "$dir")
	# The path ends up in mount options (',' and ':' are separators there),
	# sshd_config and command lines, so keep it plain.
	[[ $dir =~ ^/[A-Za-z0-9._/+@-]+$ ]] ||
		tb_die "--dir must be a plain path (letters, digits, . _ / + @ -): $dir"
	# Each host mounts its own /etc, /root and /opt, which would hide DIR.
	case $dir in
	/ | /etc | /etc/* | /root | /root/* | /opt | /opt/* | /proc | /proc/* | /sys | /sys/* | /dev | /dev/* | /run/sshd | /run/sshd/*)
		tb_die "--dir $dir is not allowed (hosts mount their own /etc, /root and /opt)"
		;;
	esac
	TB_DIR=$dir
	TB_HOSTS=$dir/hosts
	TB_CONF=$dir/testbed.conf
}

# tb_write_conf COUNT BASE: remember the testbed's size and network.
tb_write_conf() {
	printf '# Muster testbed (scripts/testbed); do not edit\ncount=%s\nbase=%s\n' "$1" "$2" >"$TB_CONF"
}

# TB_MODE: loopback (`up`) or network (`up-network`, see testbed-network.sh).
TB_MODE=loopback

# tb_load_conf: set TB_COUNT, TB_BASE and TB_MODE from DIR/testbed.conf (die if
# absent); a network testbed also gets its datacenters and addresses.
tb_load_conf() {
	[[ -r $TB_CONF ]] || tb_die "no testbed in $TB_DIR (start one with: scripts/testbed up N --dir $TB_DIR)"
	local key value spec=''
	TB_COUNT='' TB_BASE='' TB_MODE=loopback
	while IFS='=' read -r key value; do
		case $key in
		count) TB_COUNT=$value ;;
		base) TB_BASE=$value ;;
		mode) TB_MODE=$value ;;
		spec) spec=$value ;;
		esac
	done <"$TB_CONF"
	[[ $TB_COUNT =~ ^[1-9][0-9]*$ && $TB_BASE =~ ^[1-9][0-9]*$ ]] || tb_die "$TB_CONF is corrupt"
	if [[ $TB_MODE == network ]]; then
		local count=$TB_COUNT
		tb_net_parse "$spec"
		[[ $TB_COUNT == "$count" ]] || tb_die "$TB_CONF is corrupt (count $count, spec $spec)"
		tb_net_load
	fi
}

# ----------------------------------------------------------------------------
# Hosts: index (1-based) <-> name <-> address
# ----------------------------------------------------------------------------

# tb_name I: REPLY = host name (host001, host002, ..., host1000).
tb_name() {
	printf -v REPLY 'host%03d' "$1"
}

# tb_hdir I: REPLY = the host's state directory.
tb_hdir() {
	printf -v REPLY '%s/host%03d' "$TB_HOSTS" "$1"
}

# tb_addr I: REPLY = 127.0.(BASE + (I-1)/200).(10 + (I-1)%200), or in network
# mode the host's address in its datacenter.
tb_addr() {
	[[ $TB_MODE == network ]] && { REPLY=${TB_NET_ADDR[$1]} && return 0; }
	REPLY="127.0.$((TB_BASE + ($1 - 1) / 200)).$((10 + ($1 - 1) % 200))"
}

# tb_host_index SPEC: REPLY = index of a host given as host007, 7 or its address.
tb_host_index() {
	local spec=$1 index=''
	if [[ $spec =~ ^host([0-9]+)$ || $spec =~ ^([0-9]+)$ ]]; then
		index=$((10#${BASH_REMATCH[1]}))
	elif [[ $spec =~ ^127\.0\.([0-9]+)\.([0-9]+)$ ]]; then
		local c=$((10#${BASH_REMATCH[1]})) d=$((10#${BASH_REMATCH[2]}))
		((c >= TB_BASE && d >= 10 && d < 210)) && index=$(((c - TB_BASE) * 200 + d - 10 + 1))
	elif [[ $TB_MODE == network && $spec =~ ^198\.1[89]\. ]]; then
		local i
		for ((i = 1; i <= TB_COUNT; i++)); do
			[[ ${TB_NET_ADDR[i]} == "$spec" ]] && index=$i && break
		done
	fi
	if [[ -z $index ]] || ((index < 1 || index > TB_COUNT)); then
		tb_die "no host '$spec' in this testbed (host001..$(printf 'host%03d' "$TB_COUNT"))"
	fi
	REPLY=$index
}

# ----------------------------------------------------------------------------
# Pid files. Every long-lived process of a host is recorded in a pid file and
# is only trusted while its command line still carries its marker, so a stale
# pid file can never make us signal an unrelated process.
# ----------------------------------------------------------------------------

# tb_pid_matches PID MARKER: true if PID is alive (not a zombie) and its
# command line contains MARKER.
tb_pid_matches() {
	local pid=$1 marker=$2 argv=()
	mapfile -d '' argv 2>/dev/null </proc/"$pid"/cmdline || return 1
	# A zombie has an empty command line.
	((${#argv[@]})) && [[ "${argv[*]}" == *"$marker"* ]]
}

# tb_live_pid FILE MARKER: REPLY = pid in FILE if it is alive and matches.
tb_live_pid() {
	local file=$1 marker=$2 pid=''
	REPLY=''
	[[ -s $file ]] || return 1
	read -r pid <"$file" || [[ -n $pid ]] || return 1
	[[ $pid =~ ^[1-9][0-9]*$ ]] || return 1
	tb_pid_matches "$pid" "$marker" || return 1
	REPLY=$pid
}

# Markers of a host's processes (HDIR is the host's state directory):
#   holder:    "muster-testbed-host HDIR"       (its argv[0], see testbed-holder.sh)
#   sshd:      "-E HDIR/sshd.log"               (kept in the listener's proctitle)
#   blackhole: "muster-testbed-blackhole HDIR"  (socat's argv[0])
# tb_host_pids I: set HOLDER_PID, SSHD_PID and BLACKHOLE_PID ('' if not running).
# shellcheck disable=SC2034 # globals for the caller
tb_host_pids() {
	local hdir
	tb_hdir "$1"
	hdir=$REPLY
	HOLDER_PID='' SSHD_PID='' BLACKHOLE_PID=''
	tb_live_pid "$hdir/holder.pid" "muster-testbed-host $hdir" && HOLDER_PID=$REPLY
	tb_live_pid "$hdir/sshd.pid" "-E $hdir/sshd.log" && SSHD_PID=$REPLY
	tb_live_pid "$hdir/blackhole.pid" "muster-testbed-blackhole $hdir" && BLACKHOLE_PID=$REPLY
	return 0
}

# tb_pid_gone PID: true once PID has exited (a zombie counts as exited).
tb_pid_gone() {
	local stat
	read -r stat 2>/dev/null </proc/"$1"/stat || return 0
	stat=${stat##*) }
	[[ ${stat%% *} == [ZX] ]]
}

# tb_wait_gone TIMEOUT_SECONDS PID...: wait until every PID has exited.
tb_wait_gone() {
	local timeout=$1 pid tries
	shift
	for ((tries = timeout * 50; tries > 0; tries--)); do
		for pid; do
			tb_pid_gone "$pid" || break
			shift
		done
		(($# == 0)) && return 0
		sleep 0.02
	done
	return 1
}

# ----------------------------------------------------------------------------
# Killing a host's processes by mount namespace
# ----------------------------------------------------------------------------

# tb_kill_namespaces KEEP ANCHOR...: SIGKILL every process that shares a mount
# namespace with one of the ANCHOR pids (holders, sshd listeners, blackholes),
# which covers per-connection sshds, sessions, anything a test started with
# `exec`, and daemons that escaped their parent. KEEP is a space-separated list
# of pids to spare (the holders when only the host's services should die).
# Repeats until nothing is left, since a dying sshd may just have forked.
#
# Each target namespace is held open (an fd on /proc/PID/ns/mnt) until the end:
# the kernel reuses a freed namespace's inode number at once, so without the
# pin a host being started in parallel could get that number and be killed.
# TB_KILLED = the pids it killed.
# shellcheck disable=SC2034 # used by cmd_down
TB_KILLED=()
tb_kill_namespaces() {
	local keep=" $1 " pid ns fd root_ns round killed=() pins=()
	shift
	TB_KILLED=()
	local -A target=()
	root_ns=$(stat -L -c %i /proc/$$/ns/mnt)
	for pid; do
		exec {fd}</proc/"$pid"/ns/mnt 2>/dev/null || continue
		ns=$(stat -L -c %i /proc/$$/fd/"$fd")
		if [[ $ns != "$root_ns" && -z ${target[$ns]:-} ]]; then
			target[$ns]=1
			pins+=("$fd")
		else
			exec {fd}<&-
		fi
	done
	((${#target[@]})) || return 0
	for ((round = 0; round < 20; round++)); do
		local victims=()
		while read -r pid ns; do
			[[ -n ${target[$ns]:-} ]] || continue
			[[ $keep == *" $pid "* || $pid == "$$" || $pid == "$BASHPID" ]] && continue
			victims+=("$pid")
		done < <(ps -e -o pid=,mntns=)
		((${#victims[@]})) || break
		kill -KILL "${victims[@]}" 2>/dev/null || true
		killed+=("${victims[@]}")
		sleep 0.02
	done
	TB_KILLED=("${killed[@]}")
	((${#killed[@]} == 0)) || tb_wait_gone 10 "${killed[@]}" ||
		tb_warn "some processes did not exit after SIGKILL: ${killed[*]}"
	for fd in "${pins[@]}"; do
		exec {fd}<&-
	done
}

# ----------------------------------------------------------------------------
# Locking and detached processes
# ----------------------------------------------------------------------------

TB_LOCK_FD=''

# Processes we start get a clean environment, so nothing of the caller's
# (LD_PRELOAD, FAKETIME, proxies, ...) leaks into the hosts' daemons.
TB_CLEAN_ENV=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)

# tb_lock FILE: take an exclusive lock (held until this script exits).
tb_lock() {
	exec {TB_LOCK_FD}>>"$1"
	flock -w 600 "$TB_LOCK_FD" || tb_die "timed out waiting for lock $1"
}

# tb_close_fds: (in a subshell, before exec) close every fd but 0, 1 and 2,
# so that long-lived children hold neither our lock nor anything inherited
# from the caller (e.g. a pipe a test harness reads until EOF, or a socket).
tb_close_fds() {
	local path fd
	for path in /proc/"$BASHPID"/fd/*; do
		fd=${path##*/}
		if ((fd > 2)) && [[ -e $path ]]; then
			exec {fd}>&-
		fi
	done
}

# tb_spawn LOG CMD...: start CMD detached (new session, stdin /dev/null,
# output appended to LOG); returns at once.
tb_spawn() {
	local log=$1
	shift
	(
		tb_close_fds
		exec setsid "${TB_CLEAN_ENV[@]}" "$@" </dev/null >>"$log" 2>&1
	) &
}

# tb_run CMD...: run CMD in the foreground, without our fds > 2.
tb_run() {
	(
		tb_close_fds
		exec "${TB_CLEAN_ENV[@]}" "$@"
	)
}
