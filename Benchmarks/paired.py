#!/usr/bin/env python3
"""Paired runs for the ratios that have a target (called by bench.sh after the cases).

hyperfine times one case after another, so a ratio of two medians compares two stretches
of time; on a shared machine a neighbour's load can fall on one of them only (in one run
the libyaml floor took 0.65 s, in the next 0.91 s). Here the two sides of a ratio run in
turns, numerator and denominator, then denominator and numerator, so that both meet the
same machine; each pair gives a ratio, and the median of those is reported beside the
ratio of the medians. A ratio with a slow case (flag s: the peer, ~1 minute a run) gets
SLOW_PAIRS pairs (BENCH_SLOW_PAIRS, default 3): in one bench the scan's own runs fell in a
busy stretch (1.80 s, against 1.19 s minutes later), and the peer ÷ scan ratio of medians
said 30× where it is 45×.

    paired.py OUT PAIRS    (BENCH_RATIOS, BENCH_CASES, BENCH_SLOW_PAIRS in the environment)

Writes OUT/paired.json: {ratio name: {"median", "min", "max", "pairs"}}.
"""
import json
import os
import shlex
import statistics
import subprocess
import sys
import time


def rows(text, n):
    for line in text.strip().splitlines():
        parts = [p.strip() for p in line.split("|", n - 1)]
        if parts and parts[0]:
            yield parts


def seconds(command):
    start = time.perf_counter()
    subprocess.run(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    out, pairs = sys.argv[1], int(sys.argv[2])
    commands = dict(rows(open(f"{out}/commands.txt").read(), 2))
    slow = {cid for cid, data, flags, what, cmd in rows(os.environ["BENCH_CASES"], 5) if "s" in flags}
    result = {}
    slow_pairs = int(os.environ.get("BENCH_SLOW_PAIRS", "3"))
    for name, num, den, target in rows(os.environ["BENCH_RATIOS"], 4):
        if target == "-" or num not in commands or den not in commands:
            continue
        n = slow_pairs if num in slow or den in slow else pairs
        if n <= 0:
            continue
        print(f"== paired: {name} ({n} pairs)", file=sys.stderr)
        ratios = []
        for k in range(n):
            order = (num, den) if k % 2 == 0 else (den, num)
            took = {cid: seconds(commands[cid]) for cid in order}
            ratios.append(took[num] / took[den])
        result[name] = {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios), "pairs": n}
    json.dump(result, open(f"{out}/paired.json", "w"), indent=1)


if __name__ == "__main__":
    main()
