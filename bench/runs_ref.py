#!/usr/bin/python3
"""bench/runs_ref.py - the analyzer's summary.csv, written plainly in Python.

The straightforward way to compute DESIGN.md's per-group run statistics
(the csv module, one dict of state per group), used two ways: by
bench/analyze.sh as the baseline the C analyzer is timed against, and by
tests/t_analyze.sh as an independent reference whose output must equal
the first twelve columns of the analyzer's summary.csv.

Usage: runs_ref.py SAMPLES.csv > summary.csv
"""
import csv
import sys

COLS = ("source,allocator,size_bytes,sample,pages,present,runs,largest_run,"
        "mean_run,contiguity,v2p_mismatch,walk_mismatch")


def emit(out, key, g):
    runs = g["present"] - g["pairs"]
    mean = g["present"] / runs if runs else 0.0
    contig = g["pairs"] / (g["pages"] - 1) if g["pages"] > 1 else 1.0
    out.write("%s,%s,%s,%s,%d,%d,%d,%d,%.3f,%.6f,%d,%d\n" % (
        key + (g["pages"], g["present"], runs, g["largest"], mean, contig,
               g["v2p"], g["walk"])))


def main():
    out = sys.stdout
    out.write(COLS + "\n")
    with open(sys.argv[1], newline="") as f:
        rows = csv.DictReader(f)
        key, g = None, None
        for r in rows:
            k = (r["source"], r["allocator"], r["size_bytes"], r["sample"])
            page = int(r["page"])
            pa = int(r["pa"], 16) if r["pa"] else None
            if k != key:
                if key:
                    emit(out, key, g)
                key = k
                g = dict(pages=0, present=0, pairs=0, largest=0, run=0,
                         v2p=0, walk=0, prev_page=None, prev_pa=None)
            g["pages"] += 1
            if r["pa_v2p"] and r["pa_walk"] and r["pa_v2p"] != r["pa_walk"]:
                g["v2p"] += 1
            if r["pa_walk"] and r["pa_pagemap"] and r["pa_walk"] != r["pa_pagemap"]:
                g["walk"] += 1
            if pa is None:
                g["run"] = 0
            else:
                g["present"] += 1
                if (g["prev_pa"] is not None and page == g["prev_page"] + 1
                        and pa == g["prev_pa"] + 4096):
                    g["pairs"] += 1
                    g["run"] += 1
                else:
                    g["run"] = 1
                g["largest"] = max(g["largest"], g["run"])
            g["prev_page"], g["prev_pa"] = page, pa
        if key:
            emit(out, key, g)


if __name__ == "__main__":
    main()
