#!/usr/bin/env python3
"""Writes a large inventory for timing `muster inventory --list` against `ansible-inventory --list`.

Usage: generate.py N_HOSTS N_GROUPS OUTDIR

OUTDIR/hosts.ini puts every host in one of N_GROUPS groups (round robin), the groups under
ten region groups and those under `prod`, so variables come from several depths. Every host
gets a host_vars/HOST.yml and every group a group_vars/GROUP.yml, plus group_vars/all.yml.
The output depends only on the arguments, so timings are comparable between runs.
"""

import os
import sys

REGIONS = 10


def host_name(index):
    return f"node{index:05d}.dc{index % 7}.example.com"


def group_name(index):
    return f"svc{index:04d}"


def write(path, text):
    with open(path, "w", encoding="utf-8") as output:
        output.write(text)


def inventory_text(n_hosts, n_groups):
    members = [[] for _ in range(n_groups)]
    for index in range(n_hosts):
        members[index % n_groups].append(index)
    lines = []
    for group, hosts in enumerate(members):
        lines.append(f"[{group_name(group)}]")
        for index in hosts:
            lines.append(f"{host_name(index)} ansible_host=10.{index >> 16 & 255}.{index >> 8 & 255}.{index & 255} rack={index % 40}")
        lines.append("")
    for region in range(REGIONS):
        lines.append(f"[region{region}:children]")
        lines.extend(group_name(group) for group in range(region, n_groups, REGIONS))
        lines.append("")
    lines.append("[prod:children]")
    lines.extend(f"region{region}" for region in range(REGIONS))
    lines.append("")
    lines.append("[all:vars]\nansible_user=deploy\nntp_server=pool.ntp.org\n")
    return "\n".join(lines)


def host_vars_text(index):
    return (
        f"serial_number: SN{index:08d}\n"
        f"weight: {index % 100 / 10}\n"
        f"maintenance: {'yes' if index % 13 == 0 else 'no'}\n"
        "disks:\n"
        f"  - {{device: /dev/sda, size_gb: {100 + index % 400}}}\n"
        f"  - {{device: /dev/sdb, size_gb: {200 + index % 800}}}\n"
        "labels:\n"
        f"  owner: team{index % 25}\n"
        f"  tier: {'gold' if index % 3 == 0 else 'silver'}\n"
    )


def group_vars_text(group):
    return (
        f"service: {group_name(group)}\n"
        f"service_port: {8000 + group}\n"
        "ansible_group_priority: 1\n"
        "limits:\n"
        f"  cpu: {1 + group % 8}\n"
        f"  memory_mb: {512 * (1 + group % 16)}\n"
    )


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    n_hosts, n_groups, outdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if n_hosts < 1 or n_groups < 1:
        sys.exit("N_HOSTS and N_GROUPS must be at least 1")
    os.makedirs(os.path.join(outdir, "host_vars"), exist_ok=True)
    os.makedirs(os.path.join(outdir, "group_vars"), exist_ok=True)
    write(os.path.join(outdir, "hosts.ini"), inventory_text(n_hosts, n_groups))
    for index in range(n_hosts):
        write(os.path.join(outdir, "host_vars", f"{host_name(index)}.yml"), host_vars_text(index))
    for group in range(n_groups):
        write(os.path.join(outdir, "group_vars", f"{group_name(group)}.yml"), group_vars_text(group))
    write(os.path.join(outdir, "group_vars", "all.yml"), "datacenter_count: 7\ndns: [10.0.0.2, 10.0.0.3]\n")
    print(f"{n_hosts} hosts in {n_groups} groups written to {outdir}")


if __name__ == "__main__":
    main()
