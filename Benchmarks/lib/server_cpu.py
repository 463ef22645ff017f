"""The sshd side's CPU, from the testbed's own process accounting (stdlib only).

Every testbed host runs one sshd listener. Each connection is a child of that
listener (which re-executes sshd, forks the privilege-separated child and the
user's shell); when they end, the kernel adds their CPU time to the listener's
cutime/cstime as it reaps them. So the listeners' utime+stime+cutime+cstime,
read before and after a timed run, less each other, is everything the server
side spent on that run: key exchange, authentication, the session and the
command.
"""

import os
import time

TICK = os.sysconf("SC_CLK_TCK")


def read_pids(path):
    with open(path) as f:
        return [int(word) for word in f.read().split()]


def _stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    return text[text.rindex(")") + 2:].split()  # after "pid (comm) "


def total_seconds(pids):
    """utime + stime + cutime + cstime of every listener, in seconds."""
    ticks = 0
    for pid in pids:
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue  # a host that is down costs nothing
        ticks += sum(int(fields[i]) for i in (11, 12, 13, 14))
    return ticks / TICK


def _has_children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return bool(f.read().strip())
    except OSError:
        return False


def settle(pids, limit=5.0):
    """Waits until no listener has a connection child left (their CPU is only
    counted once reaped), at most `limit` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and any(_has_children(pid) for pid in pids):
        time.sleep(0.02)
