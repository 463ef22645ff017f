#!/usr/bin/env python3
"""Peer for the exec fan-out case: parallel-ssh's ParallelSSHClient runs a
command on every inventory host and reads all of its output.

    pssh_exec.py INVENTORY KEY FORKS -- COMMAND

Exits 0 only if every host answered with exit status 0. Prints the hosts'
output, then a BENCH line with the in-process time (client creation to the
last byte of output read; interpreter start and imports are not in it, but are
in the process wall time that measure.py takes).
"""

import sys
import time

start_imports = time.perf_counter()
from pssh.clients import ParallelSSHClient  # noqa: E402  (timed)

from common import finish, inventory_hosts  # noqa: E402


def main():
    if len(sys.argv) < 6 or sys.argv[4] != "--":
        sys.exit(__doc__)
    inventory, key, forks = sys.argv[1], sys.argv[2], int(sys.argv[3])
    command = " ".join(sys.argv[5:])
    hosts = inventory_hosts(inventory)
    imports_s = time.perf_counter() - start_imports

    start = time.perf_counter()
    # parallel-ssh's native client does no host-key checking at all.
    client = ParallelSSHClient(hosts, user="root", pkey=key, pool_size=forks, num_retries=1)
    output = client.run_command(command, stop_on_errors=False)
    client.join(output)
    failed = 0
    for host_out in output:
        if host_out.exception is not None:
            failed += 1
            print(f"{host_out.host}: ERROR {host_out.exception!r}")
            continue
        lines = list(host_out.stdout) + list(host_out.stderr)
        if host_out.exit_code != 0:
            failed += 1
        print(f"{host_out.host}: exit {host_out.exit_code}: {' | '.join(lines)}")
    finish(hosts, failed, start, imports_s)


if __name__ == "__main__":
    main()
