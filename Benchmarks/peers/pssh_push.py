#!/usr/bin/env python3
"""Peer for the push case: parallel-ssh's ParallelSSHClient copies one local
file to the same path on every inventory host.

    pssh_push.py scp|sftp INVENTORY KEY FORKS LOCAL_FILE REMOTE_PATH

scp uses ParallelSSHClient.scp_send (libssh2's SCP), sftp uses copy_file
(SFTP). Exits 0 only if every copy finished without error. Prints a BENCH line
with the in-process time (client creation to the last copy finished).
"""

import sys
import time

start_imports = time.perf_counter()
from gevent import joinall  # noqa: E402  (timed)
from pssh.clients import ParallelSSHClient  # noqa: E402

from common import finish, inventory_hosts  # noqa: E402


def main():
    if len(sys.argv) != 7 or sys.argv[1] not in ("scp", "sftp"):
        sys.exit(__doc__)
    method, inventory, key, forks, local, remote = sys.argv[1:]
    hosts = inventory_hosts(inventory)
    imports_s = time.perf_counter() - start_imports

    start = time.perf_counter()
    # parallel-ssh's native client does no host-key checking at all.
    client = ParallelSSHClient(hosts, user="root", pkey=key, pool_size=int(forks), num_retries=1)
    copy = client.scp_send if method == "scp" else client.copy_file
    greenlets = copy(local, remote)
    joinall(greenlets, raise_error=False)
    failed = 0
    for host, greenlet in zip(hosts, greenlets):
        if greenlet.exception is not None:
            failed += 1
            print(f"{host}: ERROR {greenlet.exception!r}")
    finish(hosts, failed, start, imports_s)


if __name__ == "__main__":
    main()
