"""What the parallel-ssh peers share: the testbed inventory and the BENCH line."""

import json
import re
import sys
import time


def inventory_hosts(path):
    """Addresses of the hosts in an Ansible INI inventory, in file order.

    Only host lines are read (`hostNNN ansible_host=ADDR ...`); user and key come
    from the command line, as they do for muster in Benchmarks/run.sh."""
    hosts = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(("#", ";", "[")):
                continue
            match = re.search(r"\bansible_host=(\S+)", line)
            if match:
                hosts.append(match.group(1))
    if not hosts:
        sys.exit(f"{path}: no host with ansible_host= found")
    return hosts


def finish(hosts, failed, start, imports_s):
    """Prints the summary and the BENCH line, and exits 1 when any host failed."""
    inproc_s = time.perf_counter() - start
    print(f"{len(hosts)} hosts: {len(hosts) - failed} ok, {failed} failed")
    report(inproc_s=round(inproc_s, 4), imports_s=round(imports_s, 4), hosts=len(hosts), failed=failed)
    sys.exit(1 if failed else 0)


def report(**figures):
    """One `BENCH {json}` line on stdout, read by Benchmarks/lib/measure.py."""
    print("BENCH " + json.dumps(figures), flush=True)
