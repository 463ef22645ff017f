#!/bin/bash
#
# scripts/lib/testbed-holder.sh HDIR NAME
#
# The first process of a testbed host. scripts/testbed starts it as
#   setsid unshare --mount --uts --propagation private bash testbed-holder.sh HDIR NAME
# so it runs in a fresh mount and UTS namespace. It gives the host its own
# /etc (an overlay over the real /etc), /root and /opt (bind mounts) and host
# name, starts the host's sshd (which daemonizes and stays in the namespaces),
# and then sleeps forever as "muster-testbed-host HDIR" to keep the namespaces
# alive while sshd is stopped or restarted. scripts/testbed finds it through
# HDIR/holder.pid, enters it with nsenter and kills it on heal and down.
#
# On any failure it writes HDIR/start.failed and exits; the caller reports it.

set -euo pipefail

hdir=$1
name=$2
trap 'echo "holder failed (line $LINENO)" >"$hdir/start.failed"' ERR

# Per-host /etc: reads fall through to the real /etc, writes land in
# HDIR/etc-upper (sshd_config, host key, hostname, shadow, ld.so.preload...).
# Retried for a moment: right after a heal the previous namespace's overlay
# may still be being torn down (kernels with overlay index=on refuse a busy
# upper/work dir).
overlay=(-t overlay overlay -o "lowerdir=/etc,upperdir=$hdir/etc-upper,workdir=$hdir/etc-work" /etc)
for ((try = 1; try < 50; try++)); do
	mount "${overlay[@]}" 2>/dev/null && break
	sleep 0.1
done
((try < 50)) || mount "${overlay[@]}" # the last try reports its error
mount --bind "$hdir/root" /root
mount --bind "$hdir/opt" /opt
echo "$name" >/proc/sys/kernel/hostname # the UTS namespace's host name

echo $$ >"$hdir/holder.pid"

# sshd forks into the background once it has read its config; the daemon
# writes HDIR/sshd.pid (its PidFile) after binding its listen address.
/usr/sbin/sshd -f /etc/ssh/sshd_config -E "$hdir/sshd.log"

cd /
exec -a "muster-testbed-host $hdir" sleep infinity
