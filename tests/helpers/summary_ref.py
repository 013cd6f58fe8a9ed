#!/usr/bin/python3
"""tests/helpers/summary_ref.py - the analyzer's newer summary.csv columns
and reuse.csv, written plainly in Python as an independent reference.

Prints, for SAMPLES.csv, the key and the columns DESIGN.md added after
walk_mismatch (span_pages .. leaf_pud) of every group, then a line "--",
then reuse.csv; tests/t_analyze_exp.sh compares this with the analyzer's
tables.  Whole groups are held in memory: for test inputs only.

Usage: summary_ref.py SAMPLES.csv
"""
import csv
import sys
from collections import Counter


def emit(key, rows, prev, reuse):
    pfn = [int(r["pa"], 16) >> 12 if r["pa"] else None for r in rows]
    page = [int(r["page"]) for r in rows]
    va = [int(r["va"], 16) for r in rows]
    present = [p for p in pfn if p is not None]
    up = down = 0
    for i in range(len(rows) - 1):
        a, b = pfn[i], pfn[i + 1]
        if a is None or b is None or page[i + 1] != page[i] + 1:
            continue
        up += b == a + 1
        down += b == a - 1
    n = len(rows)
    any_ = (up + down) / (n - 1) if n > 1 else 1.0
    frames = sorted(set(present))
    set_runs = sum(1 for i, f in enumerate(frames) if i == 0 or frames[i - 1] != f - 1)
    strides = Counter(va[i + 1] - va[i] for i in range(n - 1))
    stride = ""
    if strides:
        best = max(strides.values())
        stride = str(min(s for s, c in strides.items() if c == best))
    both = lambda x, y: sum(1 for r in rows if r[x] and r[y])
    lvl = Counter(r["level"] for r in rows)
    span = max(present) - min(present) if present else 0
    f2m = len({p >> 9 for p in present})
    print(",".join(key) + ",%d,%d,%d,%d,%d,%.6f,%d,%s,%d,%d,%d" % (
        span, f2m, both("pa_v2p", "pa_walk"), both("pa_walk", "pa_pagemap"),
        down, any_, set_runs, stride, lvl["pte"], lvl["pmd"], lvl["pud"]))
    k3 = key[:3]
    if k3 in prev:
        psample, pframes = prev[k3]
        shared = len(set(frames) & pframes)
        reuse.append(",".join(key) + ",%s,%d,%d,%.6f" % (
            psample, len(frames), shared, shared / len(frames) if frames else 0.0))
    prev[k3] = (key[3], set(frames))


def main():
    prev, reuse = {}, []
    key, rows = None, []
    with open(sys.argv[1], newline="") as f:
        for r in csv.DictReader(f):
            k = (r["source"], r["allocator"], r["size_bytes"], r["sample"])
            if k != key and rows:
                emit(key, rows, prev, reuse)
                rows = []
            key = k
            rows.append(r)
    if rows:
        emit(key, rows, prev, reuse)
    print("--")
    for line in reuse:
        print(line)


if __name__ == "__main__":
    main()
