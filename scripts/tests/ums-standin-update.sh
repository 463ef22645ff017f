#!/usr/bin/env bash
#
# scripts/tests/ums-standin-update.sh [--dir TESTBED_DIR] [--net BASE] [--keep]
#
# Tests the update mode of the UMS installer stand-in (scripts/make-ums-installer,
# scripts/ums-standin-db) on a testbed, in the documented order for an HA network
# (domain/ums-ha.md, "Upgrading an HA network", short-downtime method):
#
#   network 12.07.100 (init-network), installs: host001 server, host002 server,
#   host003 load balancer; refusals (same version, load balancer first, another
#   server still running); stop host002; update host001 to 12.08.100 (it migrates
#   the database); old host002 -> check-status warn, mode update; update host002,
#   then host003; fresh installs on host004 (12.07.100 refused, 12.08.100 joins);
#   downgrade refused; at the end every member and the network run 12.08.100,
#   running/normal, check-status ok, configuration kept.
#
#   --dir DIR   testbed directory (default $MUSTER_TESTBED_DIR, else /tmp/muster-ums-update);
#               brought up with 4 hosts if it is not up. The database runs in DIR-db
#               at 127.0.BASE.250:5432.
#   --net BASE  the testbed's address base (default 40; must match an existing testbed)
#   --keep      leave the installations, the database, the testbed and the installers'
#               outputs (printed at the end) in place
#
# Needs root (the testbed). Prints each check; exits 1 on the first failure.

set -euo pipefail
cd "$(dirname "$0")/../.."

TB=${MUSTER_TESTBED_DIR:-/tmp/muster-ums-update} NET=40 KEEP=0
while (($#)); do
	case $1 in
	--dir) TB=$2; shift 2 ;;
	--net) NET=$2; shift 2 ;;
	--keep) KEEP=1; shift ;;
	-h | --help) sed -n '3,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done
DBDIR=$TB-db DB=127.0.$NET.250:5432
OLD=12.07.100 NEW=12.08.100
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ums-update-test.XXXXXX")
STARTED_TB=0 STARTED_DB=0 CHECKS=0

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

say() { printf '%s\n' "$*"; }
fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}
ok() {
	CHECKS=$((CHECKS + 1))
	printf '  ok  %s\n' "$*"
}
# on HOST CMD...: run CMD on a testbed host (as root, in /root)
on() {
	local h=$1
	shift
	scripts/testbed exec "$h" --dir "$TB" -- "$@"
}
hostroot() { printf '%s/hosts/%s/root' "$TB" "$1"; }
hostopt() { printf '%s/hosts/%s/opt' "$TB" "$1"; }
addr() { scripts/testbed addr "$1" --dir "$TB"; }
db() { scripts/ums-standin-db "$1" --dir "$DBDIR" "${@:2}"; }

# member_field HOST FIELD: one field of the member's database record
member_field() {
	db member "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"
}
network_version() { db network --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])'; }

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
	[[ $2 == "$3" ]] || fail "$1: got '$2', want '$3'"
	ok "$1 = $3"
}

# run_setup HOST VERSION ANSWERS LOG: run the installer with piped answers; returns its exit code
run_setup() {
	local rc=0
	on "$1" bash -c "printf '$3' | UMS_STEP_DELAY=0 UMS_INIT_SECONDS=1 /root/setup-igel-ums-linux_$2.bin" \
		>"$WORK/$4.out" 2>"$WORK/$4.err" || rc=$?
	return $rc
}
show_log() { # show_log LOG: the tail of a run's output (for failures)
	say "----- $1: stdout (tail)"
	tail -n 25 "$WORK/$1.out" || true
	say "----- $1: stderr"
	cat "$WORK/$1.err" || true
}
# expect_setup_ok HOST VERSION ANSWERS LOG WHAT
expect_setup_ok() {
	run_setup "$1" "$2" "$3" "$4" || {
		show_log "$4"
		fail "$5: the installer failed"
	}
	grep -q 'Installation complete\. Press Enter to close the installer\. ' "$WORK/$4.out" ||
		{ show_log "$4"; fail "$5: no final prompt"; }
	ok "$5 (exit 0)"
}
# expect_setup_refused HOST VERSION ANSWERS LOG WHAT REGEX: exit 1 and REGEX on stderr
expect_setup_refused() {
	local rc=0
	run_setup "$1" "$2" "$3" "$4" || rc=$?
	[[ $rc == 1 ]] || { show_log "$4"; fail "$5: exit $rc, want 1"; }
	grep -qE "$6" "$WORK/$4.err" || { show_log "$4"; fail "$5: stderr does not match /$6/"; }
	ok "$5 (exit 1: $(grep -m1 -oE "$6" "$WORK/$4.err"))"
}
# check_status HOST WANT: poll https://ADDR:8443/ums/check-status until it says WANT (20 s)
check_status() {
	local a s='' i
	a=$(addr "$1")
	for ((i = 0; i < 40; i++)); do
		s=$(curl -sk --max-time 3 "https://$a:8443/ums/check-status" || true)
		[[ $s == "{\"status\":\"$2\"}" ]] && break
		sleep 0.5
	done
	expect_eq "$1 check-status" "$s" "{\"status\":\"$2\"}"
}
installed_version() { sed -n 's/^version=//p' "$(hostopt "$1")/IGEL/RemoteManager/umsversion.properties"; }

cleanup() {
	local rc=$? h
	if ((KEEP == 0)); then
		for h in host001 host002 host003 host004; do
			on "$h" /root/setup-igel-ums-linux_$OLD.bin --uninstall --purge >/dev/null 2>&1 || true
		done
		((STARTED_DB)) && db stop >/dev/null
		((STARTED_TB)) && scripts/testbed down --dir "$TB" >/dev/null
	fi
	if ((KEEP)); then say "installer outputs: $WORK/*.out, *.err"; else rm -rf -- "$WORK"; fi
	if ((rc == 0)); then say "PASS: $CHECKS checks"; else say "FAILED after $CHECKS checks (exit $rc)"; fi
}
trap cleanup EXIT

# Piped answers (see scripts/README-ums-standin.md)
SERVER_ANSWERS='y\n\n\n1\ny\n\nn\n/root/network.token\n\ny\n\n'
LB_ANSWERS='y\n\n\n2\ny\n\nn\n/root/network.token\n\ny\n\n'
UPDATE_ANSWERS='y\n\ny\ny\n\n' # license, Enter, "Update ...? y", "Start installation? y", Enter

# ---------------------------------------------------------------------------
say "== setup: testbed $TB (127.0.$NET.x), database $DB ($DBDIR)"
if ! scripts/testbed status --dir "$TB" 2>/dev/null | grep -q '^host004 .* up'; then
	[[ -e $TB ]] || STARTED_TB=1
	scripts/testbed up 4 --dir "$TB" --net "$NET" >/dev/null
fi
if ! db status >/dev/null 2>&1; then
	db start --listen "$DB" >/dev/null
	STARTED_DB=1
fi
scripts/make-ums-installer $OLD "$WORK" --db "$DB" >/dev/null
scripts/make-ums-installer $NEW "$WORK" --db "$DB" >/dev/null
head -c 512 /dev/urandom | base64 >"$WORK/network.token"
for h in host001 host002 host003 host004; do
	install -m 0755 "$WORK"/setup-igel-ums-linux_{$OLD,$NEW}.bin "$(hostroot $h)/"
	install -m 0600 "$WORK/network.token" "$(hostroot $h)/network.token"
	on "$h" /root/setup-igel-ums-linux_$OLD.bin --uninstall --purge >/dev/null
done
db init-network --version $OLD --token-file "$WORK/network.token" --force >/dev/null
expect_eq "network version after init-network" "$(network_version)" $OLD

say "== install $OLD: host001 server, host002 server, host003 load balancer"
expect_setup_ok host001 $OLD "$SERVER_ANSWERS" inst1 "host001: install $OLD (server)"
expect_setup_ok host002 $OLD "$SERVER_ANSWERS" inst2 "host002: install $OLD (server)"
expect_setup_ok host003 $OLD "$LB_ANSWERS" inst3 "host003: install $OLD (load balancer)"
for h in host001 host002 host003; do
	expect_eq "$h: version/state/mode" "$(member_field $h version)/$(member_field $h state)/$(member_field $h mode)" \
		"$OLD/running/normal"
done
check_status host001 ok
ds_before=$(sha256sum <"$(hostopt host002)/IGEL/RemoteManager/rmguiserver/conf/datasource.properties")
token_before=$(sha256sum <"$(hostopt host002)/IGEL/RemoteManager/rmguiserver/conf/network.token")
bind_before=$(grep '^bind.address=' "$(hostopt host002)/IGEL/RemoteManager/install.properties")

say "== refusals before the update"
expect_setup_refused host001 $OLD "$UPDATE_ANSWERS" same1 "host001: $OLD over $OLD" 'already installed'
expect_setup_refused host002 $NEW "$UPDATE_ANSWERS" early2 "host002: update while host001's server runs" \
	"other servers are still running version $OLD; stop them first"
expect_setup_refused host003 $NEW "$UPDATE_ANSWERS" early3 "host003: load balancer before the servers" \
	'update the servers first'
grep -q "Update the installation in /opt/IGEL/RemoteManager from $OLD to $NEW? \[y/n\] y" "$WORK/early2.out" ||
	fail "host002: no update prompt in the output"
ok "host002: the update prompt names the path and both versions"
expect_eq "network version (unchanged)" "$(network_version)" $OLD
expect_eq "host002: installed version (unchanged)" "$(installed_version host002)" $OLD
expect_eq "host002: state (unchanged)" "$(member_field host002 state)" running

say "== short-downtime method: stop all servers but host001"
# shellcheck disable=SC2016 # $s expands on the host
on host002 bash -c 'for s in igelUMSwatchdog igelRMserver igelUMSbroker; do /etc/init.d/$s stop; done' >/dev/null
expect_eq "host002: state" "$(member_field host002 state)" stopped

say "== update host001 to $NEW (migrates the database)"
expect_setup_ok host001 $NEW "$UPDATE_ANSWERS" upd1 "host001: update $OLD -> $NEW"
grep -q "Migrating the HA network's database from UMS $OLD to $NEW" "$WORK/upd1.out" || fail "host001 did not migrate"
ok "host001: migrated the database"
expect_eq "network version" "$(network_version)" $NEW
expect_eq "host001: version/state/mode" \
	"$(member_field host001 version)/$(member_field host001 state)/$(member_field host001 mode)" "$NEW/running/normal"
expect_eq "host002: mode (not updated yet)" "$(member_field host002 mode)" update
expect_eq "host003: mode (not updated yet)" "$(member_field host003 mode)" update
expect_eq "host001: umsversion.properties" "$(installed_version host001)" $NEW
check_status host001 ok
expect_setup_refused host001 $OLD "$UPDATE_ANSWERS" down1 "host001: downgrade to $OLD" 'downgrades are not supported'

say "== host002 still at $OLD: started, it warns"
# shellcheck disable=SC2016 # $s expands on the host
on host002 bash -c 'for s in igelUMSbroker igelRMserver igelUMSwatchdog; do /etc/init.d/$s start; done' >/dev/null
check_status host002 warn
expect_eq "host002: state/mode" "$(member_field host002 state)/$(member_field host002 mode)" running/update

say "== update host002, then the load balancer host003"
expect_setup_ok host002 $NEW "$UPDATE_ANSWERS" upd2 "host002: update $OLD -> $NEW"
grep -q "Migrating" "$WORK/upd2.out" && fail "host002 migrated again"
ok "host002: rejoined without migrating"
check_status host002 ok
expect_setup_ok host003 $NEW "$UPDATE_ANSWERS" upd3 "host003: update $OLD -> $NEW (load balancer)"

say "== fresh installs after the migration (host004)"
expect_setup_refused host004 $OLD "$SERVER_ANSWERS" fresh4old "host004: fresh install of $OLD" \
	"the HA network runs UMS $NEW"
expect_setup_ok host004 $NEW "$SERVER_ANSWERS" fresh4new "host004: fresh install of $NEW"
check_status host004 ok

say "== the same version everywhere"
expect_eq "network version" "$(network_version)" $NEW
expect_eq "member count" "$(db members | wc -l)" 4
expect_eq "versions in ums-standin-db members" "$(db members | awk '{ print $4 }' | sort -u)" $NEW
expect_eq "states/modes in ums-standin-db members" "$(db members | awk '{ print $5 "/" $6 }' | sort -u)" running/normal
ha=$(on host001 /opt/IGEL/RemoteManager/RMAdmin.sh ha-network)
expect_eq "RMAdmin.sh ha-network: header" "$(head -n 1 <<<"$ha" | cut -d, -f1)" "HA network: UMS $NEW"
expect_eq "RMAdmin.sh ha-network: versions" "$(tail -n +2 <<<"$ha" | awk '{ print $4 }' | sort -u)" $NEW
for h in host001 host002 host003 host004; do
	expect_eq "$h: umsversion.properties" "$(installed_version $h)" $NEW
	on "$h" /opt/IGEL/RemoteManager/RMAdmin.sh processes >/dev/null || fail "$h: not every service runs"
	ok "$h: RMAdmin.sh processes: all running"
done
for h in host001 host002 host004; do check_status $h ok; done
expect_eq "host002: previous_version" "$(member_field host002 previous_version)" $OLD
P=$(hostopt host002)/IGEL/RemoteManager
expect_eq "host002: datasource.properties kept" "$(sha256sum <"$P/rmguiserver/conf/datasource.properties")" "$ds_before"
expect_eq "host002: network.token kept" "$(sha256sum <"$P/rmguiserver/conf/network.token")" "$token_before"
expect_eq "host002: bind address kept" "$(grep '^bind.address=' "$P/install.properties")" "$bind_before"
expect_eq "host002: install.properties updated.from" "$(sed -n 's/^updated.from=//p' "$P/install.properties")" $OLD
[[ ! -e $P/.update-backup ]] || fail "host002: the update backup was left behind"
ok "host002: no update backup left"
