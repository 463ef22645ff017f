#!/usr/bin/env python3
"""Timing, statistics and the results table for Benchmarks/run.sh (stdlib only).

    measure.py run --samples FILE --case C --tool T --rep N --log FILE [--timeout S] -- CMD...
        Runs CMD once, with stdout and stderr going to --log. Records one sample
        (a JSON line appended to --samples): wall seconds from fork to exit, the
        child's user and system CPU seconds and peak RSS (from wait4(2), so they
        cover the process and every descendant it waited for), its exit status,
        and any "BENCH {json}" line the command printed (the peer scripts report
        their in-process time that way). Exits with CMD's status.

    measure.py report --samples FILE --meta FILE --out-dir DIR [--name latest]
        Reads every sample, computes medians and min-max per (case, tool), writes
        DIR/NAME.md and DIR/NAME.json, and prints the Markdown.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time

import server_cpu

# ---------------------------------------------------------------------------
# run
# ---------------------------------------------------------------------------


def run_once(args):
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        sys.exit("measure.py run: no command given")
    with open(args.log, "ab") as log:
        log.write(f"### {args.case} / {args.tool} / rep {args.rep}: {' '.join(command)}\n".encode())
        log.flush()
        offset = log.tell()
        listeners = server_cpu.read_pids(args.sshd_pids) if args.sshd_pids else []
        if listeners:
            server_cpu.settle(listeners)
        server_before = server_cpu.total_seconds(listeners)
        start = time.perf_counter()
        # Own process group, so a timeout kills the command and its children.
        child = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
        timed_out = []

        def kill():  # a bounded run: past --timeout the whole process group goes
            timed_out.append(True)
            os.killpg(child.pid, signal.SIGKILL)

        timer = threading.Timer(args.timeout, kill)
        timer.start()
        fds = FDSampler(child.pid)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        fds.stop()
        if listeners:
            server_cpu.settle(listeners)
        server_seconds = server_cpu.total_seconds(listeners) - server_before
        timed_out = bool(timed_out)
        child.returncode = os.waitstatus_to_exitcode(status)
        log.write(f"### exit {child.returncode}, wall {wall:.3f}s\n".encode())

    extra = {}
    with open(args.log, "rb") as log:
        log.seek(offset)  # only this run's output
        for line in log.read().decode(errors="replace").splitlines():
            if line.startswith("BENCH "):
                extra = json.loads(line[len("BENCH "):])

    sample = {
        "case": args.case,
        "tool": args.tool,
        "rep": args.rep,
        "wall_s": round(wall, 4),
        "user_s": round(usage.ru_utime, 4),
        "sys_s": round(usage.ru_stime, 4),
        "maxrss_kb": usage.ru_maxrss,  # kilobytes on Linux
        "exit": child.returncode,
        "timed_out": timed_out,
        "peak_fds": fds.peak,
        "extra": extra,
    }
    if listeners:
        sample["server_cpu_s"] = round(server_seconds, 3)
        sample["connections"] = args.connections
    with open(args.samples, "a") as out:
        out.write(json.dumps(sample) + "\n")
    status_text = "ok" if child.returncode == 0 else f"EXIT {child.returncode}" + (" (timeout)" if timed_out else "")
    inproc = f", in-process {extra['inproc_s']:.3f}s" if "inproc_s" in extra else ""
    print(f"  {args.case:<10} {args.tool:<26} rep {args.rep}: {wall:8.3f}s wall, "
          f"{usage.ru_utime + usage.ru_stime:7.3f}s cpu, {usage.ru_maxrss / 1024:6.1f} MiB rss{inproc}  {status_text}",
          flush=True)
    sys.exit(child.returncode if child.returncode >= 0 else 128 - child.returncode)


class FDSampler:
    """The most file descriptors the command's own process held at once, sampled
    every 20 ms from /proc (a whole-process tool's descriptors are its sockets)."""

    def __init__(self, pid):
        self.pid, self.peak, self._done = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._done.is_set():
            try:
                self.peak = max(self.peak, len(os.listdir(f"/proc/{self.pid}/fd")))
            except OSError:
                pass  # exited (or not yet visible)
            self._done.wait(0.02)

    def stop(self):
        self._done.set()
        self._thread.join()


# ---------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------

MUSTER = "muster"


def load_samples(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def summarize(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def fmt_seconds(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def fmt_range(summary, fmt):
    return f"{fmt(summary['min'])} – {fmt(summary['max'])}"


def build_rows(samples, meta):
    """One row per (case, tool) in first-seen order, plus a derived row for the
    peer's in-process time. Failed runs are kept out of the statistics but counted."""
    order, groups = [], {}
    for s in samples:
        key = (s["case"], s["tool"])
        if key not in groups:
            order.append(key)
            groups[key] = []
        groups[key].append(s)

    rows = []
    for case, tool in order:
        runs = groups[(case, tool)]
        good = [s for s in runs if s["exit"] == 0]
        row = {"case": case, "tool": tool, "runs": len(runs), "failed": len(runs) - len(good),
               "wall_s": None, "cpu_s": None, "maxrss_mb": None, "inproc_s": None,
               "server_cpu_per_host_ms": None, "peak_fds": None, "samples": runs}
        if good:
            row["wall_s"] = summarize([s["wall_s"] for s in good])
            row["cpu_s"] = summarize([s["user_s"] + s["sys_s"] for s in good])
            row["maxrss_mb"] = summarize([s["maxrss_kb"] / 1024 for s in good])  # MiB
            per_host = [s["server_cpu_s"] / s["connections"] * 1000 for s in good if s.get("connections")]
            if per_host:
                row["server_cpu_per_host_ms"] = summarize(per_host)
            row["peak_fds"] = summarize([s.get("peak_fds", 0) for s in good])
            inproc = [s["extra"]["inproc_s"] for s in good if "inproc_s" in s["extra"]]
            if inproc:
                row["inproc_s"] = summarize(inproc)
        rows.append(row)
    return rows


def find(rows, case, tool):
    for row in rows:
        if row["case"] == case and row["tool"] == tool and row["wall_s"]:
            return row
    return None


def ratio(a, b):
    return a / b if a is not None and b else None


def exec_cases(rows):
    """The exec fan-out cases in first-seen order, as (case name, host count)."""
    seen = []
    for row in rows:
        if row["case"].startswith("exec-") and row["case"] not in seen:
            seen.append(row["case"])
    return [(case, int(case.split("-", 1)[1])) for case in seen]


def best_peer(rows, case, names=None):
    """The peer row of CASE with the lowest median wall (only among NAMES if given)."""
    peers = [row for row in rows if row["case"] == case and row["tool"] != MUSTER and row["wall_s"]
             and (names is None or row["tool"] in names)]
    return min(peers, key=lambda row: row["wall_s"]["median"]) if peers else None


def figures(rows, meta):
    """The headline numbers, each with its target (printed, never asserted)."""
    out = []

    for case, hosts in exec_cases(rows):
        m, p = find(rows, case, MUSTER), best_peer(rows, case)
        if m and p:
            r = ratio(m["wall_s"]["median"], p["wall_s"]["median"])
            out.append({"name": f"exec fan-out, {hosts} hosts: muster ÷ best peer ({p['tool']}), process wall",
                        "value": r, "text": f"{r:.2f}×", "target": "≤ 0.60×", "met": r <= 0.6})
        if m:
            per_host_ms = m["cpu_s"]["median"] / hosts * 1000
            out.append({"name": f"exec fan-out, {hosts} hosts: muster client CPU (user+sys) per host",
                        "value": per_host_ms, "text": f"{per_host_ms:.2f} ms", "target": "≤ 5 ms",
                        "met": per_host_ms <= 5})

    size = f"{meta['push_size_mb']} MiB × {meta['push_hosts']} hosts"
    m = find(rows, "push", MUSTER)
    scp = find(rows, "push", "xargs scp")
    if m and scp:
        r = ratio(m["wall_s"]["median"], scp["wall_s"]["median"])
        cipher = f"{meta.get('muster_cipher', '?')}, {meta.get('muster_mac', '?')}"
        out.append({"name": f"push {size}: muster ÷ parallel OpenSSH scp ({cipher})",
                    "value": r, "text": f"{r:.2f}×", "target": "≤ 1.00×", "met": r <= 1.0})
    p = best_peer(rows, "push", ("parallel-ssh scp_send", "parallel-ssh copy_file"))
    if m and p:
        speedup = ratio(p["wall_s"]["median"], m["wall_s"]["median"])
        out.append({"name": f"push {size}: muster speed-up over parallel-ssh (its faster method, "
                            f"{p['tool'].split()[-1]})",
                    "value": speedup, "text": f"{speedup:.2f}× faster (ratio {1 / speedup:.2f})",
                    "target": "≥ 3× faster", "met": speedup >= 3.0})
    p = best_peer(rows, "push")
    if m and p:
        r = ratio(m["wall_s"]["median"], p["wall_s"]["median"])
        out.append({"name": f"push {size}: muster ÷ best peer ({p['tool']})",
                    "value": r, "text": f"{r:.2f}×", "target": "(context)", "met": None})
    if m:
        mb_s = meta["push_size_mb"] * meta["push_hosts"] / m["wall_s"]["median"]
        out.append({"name": "push: muster aggregate throughput", "value": mb_s,
                    "text": f"{mb_s:.0f} MiB/s", "target": "(context)", "met": None})

    m = find(rows, "re-push", MUSTER)
    if m:
        out.append({"name": f"re-push unchanged file, {meta['push_hosts']} hosts: muster wall (sends nothing)",
                    "value": m["wall_s"]["median"], "text": fmt_seconds(m["wall_s"]["median"]),
                    "target": "≤ 1 s", "met": m["wall_s"]["median"] <= 1.0})

    m = find(rows, "scale", MUSTER)
    if m:
        hosts = meta["scale_hosts"]
        out.append({"name": f"scale: exec true on {hosts} hosts (-f {hosts}), wall",
                    "value": m["wall_s"]["median"], "text": fmt_seconds(m["wall_s"]["median"]),
                    "target": "(context)", "met": None})
        rss = m["maxrss_mb"]["max"]
        out.append({"name": f"scale: muster peak RSS, {hosts} hosts (worst run)",
                    "value": rss, "text": f"{rss:.1f} MiB",
                    "target": "≤ 200 MB (191 MiB)", "met": rss * 1024 * 1024 <= 200e6})
        per_host_ms = m["cpu_s"]["median"] / hosts * 1000
        out.append({"name": f"scale: muster client CPU (user+sys) per host, {hosts} hosts",
                    "value": per_host_ms, "text": f"{per_host_ms:.2f} ms", "target": "≤ 3 ms",
                    "met": per_host_ms <= 3})
        fds = m["peak_fds"]["max"]
        out.append({"name": f"scale: muster peak open descriptors, {hosts} hosts (worst run)",
                    "value": fds, "text": f"{fds:.0f}", "target": "(context)", "met": None})

    # The server side: what each connection costs sshd, and the floor that sets on
    # this machine (every sshd and the client share its CPUs).
    for case, hosts in exec_cases(rows):
        m = find(rows, case, MUSTER)
        if m and m["server_cpu_per_host_ms"]:
            per_conn = m["server_cpu_per_host_ms"]["median"]
            floor = per_conn * hosts / 1000 / meta["cpus"]
            out.append({"name": f"exec fan-out, {hosts} hosts: sshd CPU per connection (muster's runs); "
                                f"floor = that × hosts ÷ {meta['cpus']} CPUs",
                        "value": per_conn, "text": f"{per_conn:.1f} ms; floor {fmt_seconds(floor)}",
                        "target": "(context)", "met": None})
    return out


def peers_line(meta):
    peers = [f"parallel-ssh {meta.get('pssh_version', '?')} (ssh2-python {meta.get('ssh2_version', '?')})"]
    if meta.get("pyinfra_version") and meta.get("big_peers"):
        peers.append(f"pyinfra {meta['pyinfra_version']}")
    if meta.get("ansible_core_version") and meta.get("big_peers"):
        peers.append(f"ansible-core {meta['ansible_core_version']}")
    if meta.get("pssh_deb_version"):
        peers.append(f"pssh {meta['pssh_deb_version']} (Debian)")
    peers.append(meta.get("openssh_version", "OpenSSH ?").split(",")[0])
    line = f"Peers: {', '.join(peers)}; Python {meta.get('python_version', '?')}."
    if meta.get("muster_cipher"):
        line += (f" Muster negotiates {meta['muster_cipher']} with {meta['muster_mac']} "
                 f"(from the sshd log at LogLevel DEBUG1); `xargs scp` is given the same.")
    return line


def markdown(rows, figs, meta):
    lines = [
        f"# Muster benchmarks — {meta['date']}",
        "",
        f"Commit `{meta['commit']}`{' (+ uncommitted changes)' if meta.get('dirty') else ''} "
        f"(muster {meta.get('muster', 'built from this work tree')}), "
        f"{meta['mode']} mode, {meta['reps']} interleaved repetitions per tool. "
        f"Machine: {meta['cpus']} CPUs, load average {meta['loadavg_start']} at start, "
        f"{meta['loadavg_end']} at end. Clients and every sshd share this machine's CPUs.",
        peers_line(meta),
        "",
        "| case | tool | median | min – max | ratio vs peer |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for row in rows:
        failed = f" ({row['failed']}/{row['runs']} runs FAILED)" if row["failed"] else ""
        if not row["wall_s"]:
            lines.append(f"| {row['case']} | {row['tool']} | — | — | all runs failed{failed} |")
            continue
        muster_row = find(rows, row["case"], MUSTER)
        r = "—"
        if row["tool"] != MUSTER and muster_row:
            r = f"muster ÷ this = {ratio(muster_row['wall_s']['median'], row['wall_s']['median']):.2f}×"
        lines.append(f"| {row['case']} | {row['tool']} | {fmt_seconds(row['wall_s']['median'])} | "
                     f"{fmt_range(row['wall_s'], fmt_seconds)} | {r}{failed} |")
        if row["inproc_s"]:
            r = "—"
            if muster_row:
                r = f"muster ÷ this = {ratio(muster_row['wall_s']['median'], row['inproc_s']['median']):.2f}×"
            lines.append(f"| {row['case']} | {row['tool']} (in-process) | {fmt_seconds(row['inproc_s']['median'])} | "
                         f"{fmt_range(row['inproc_s'], fmt_seconds)} | {r} |")
    lines += [
        "",
        "Times are whole-process wall clock (start to exit) unless marked in-process. "
        "A ratio below 1 means muster took less time.",
        "",
        "| figure | value | target |",
        "| --- | ---: | --- |",
    ]
    for f in figs:
        mark = "" if f["met"] is None else (" ✓" if f["met"] else " ✗ missed")
        lines.append(f"| {f['name']} | {f['text']} | {f['target']}{mark} |")
    lines += ["", "Resources per tool (medians over the successful runs):", "",
              "| case | tool | client CPU (user+sys) | peak RSS | peak fds | sshd CPU per host |",
              "| --- | --- | ---: | ---: | ---: | ---: |"]
    for row in rows:
        if row["wall_s"]:
            server = row["server_cpu_per_host_ms"]
            server_text = f"{server['median']:.1f} ms" if server else "—"
            lines.append(f"| {row['case']} | {row['tool']} | {fmt_seconds(row['cpu_s']['median'])} | "
                         f"{row['maxrss_mb']['median']:.1f} MiB | {row['peak_fds']['median']:.0f} | {server_text} |")
    lines += ["", "sshd CPU per host: the testbed's sshd listeners' CPU time with their reaped "
              "children's (each connection, its session and the command), read from /proc "
              "before and after each run, divided by the hosts. The peak fds column counts "
              "the descriptors of the tool's own process (not of ssh children it forks)."]
    return "\n".join(lines) + "\n"


def report(args):
    samples = load_samples(args.samples)
    with open(args.meta) as f:
        meta = json.load(f)
    rows = build_rows(samples, meta)
    figs = figures(rows, meta)
    text = markdown(rows, figs, meta)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, f"{args.name}.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.out_dir, f"{args.name}.json"), "w") as f:
        json.dump({"meta": meta, "rows": rows, "figures": figs}, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(text, end="")
    failed = sum(row["failed"] for row in rows)
    sys.exit(1 if failed else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="action", required=True)
    r = sub.add_parser("run")
    r.add_argument("--samples", required=True)
    r.add_argument("--case", required=True)
    r.add_argument("--tool", required=True)
    r.add_argument("--rep", type=int, required=True)
    r.add_argument("--log", required=True)
    r.add_argument("--timeout", type=float, default=900)
    r.add_argument("--sshd-pids", help="file with the testbed's sshd listener pids: records the server side's CPU")
    r.add_argument("--connections", type=int, default=0, help="SSH connections the command makes (hosts)")
    r.add_argument("command", nargs=argparse.REMAINDER)
    p = sub.add_parser("report")
    p.add_argument("--samples", required=True)
    p.add_argument("--meta", required=True)
    p.add_argument("--out-dir", required=True)
    p.add_argument("--name", default="latest", help="file names: NAME.md and NAME.json")
    args = parser.parse_args()
    run_once(args) if args.action == "run" else report(args)


if __name__ == "__main__":
    main()
