"""What the parallel-ssh peers share: the testbed inventory and the BENCH line."""

import json
import re
import sys


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


def report(**figures):
    """One `BENCH {json}` line on stdout, read by Benchmarks/lib/measure.py."""
    print("BENCH " + json.dumps(figures), flush=True)
