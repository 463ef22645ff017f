#!/usr/bin/env python3
"""Medians and ratios of a few tools from measure.py samples, as one Markdown table.

    ratio_table.py SAMPLES OUT TITLE TARGET BASE_TOOL TOOL...

Writes OUT and prints it: per tool the median wall, min-max, median client CPU, the
ratio of its median to BASE_TOOL's, and the number of runs; TARGET is the closing line.
Used by the single-figure benchmarks (preflight, facts, state).
"""
import json
import statistics
import sys


def main():
    samples_path, out, title, target, base, *tools = sys.argv[1:]
    samples = [json.loads(line) for line in open(samples_path)]

    def stats(tool):
        runs = [s for s in samples if s["tool"] == tool]
        if not runs:
            sys.exit(f"ratio_table.py: no samples for '{tool}'")
        walls = [s["wall_s"] for s in runs]
        cpu = [s["user_s"] + s["sys_s"] for s in runs]
        return statistics.median(walls), min(walls), max(walls), statistics.median(cpu), len(runs)

    rows = {tool: stats(tool) for tool in [base] + tools}
    reference = rows[base][0]
    lines = [
        f"# {title}",
        "",
        "| run | median wall | min – max | median client CPU | ratio | runs |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for tool, (median, low, high, cpu, runs) in rows.items():
        lines.append(
            f"| {tool} | {median*1000:.0f} ms | {low*1000:.0f} – {high*1000:.0f} ms | {cpu*1000:.0f} ms | {median/reference:.3f}× | {runs} |")
    lines += ["", target]
    open(out, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
