#!/usr/bin/env python3
"""tests/helpers/overview_ref.py - overview.csv re-derived from summary.csv
and reuse.csv by analyze/README.md's definitions, with no code of the
analyzer's.

Usage: overview_ref.py DIR   (DIR holds summary.csv and reuse.csv; the
table goes to standard output, header first, to compare with
DIR/overview.csv)
"""
import csv
import statistics
import sys

d = sys.argv[1]
S = list(csv.DictReader(open(d + "/summary.csv")))
U = list(csv.DictReader(open(d + "/reuse.csv")))
print("source,allocator,size_bytes,samples,median_contiguity,median_contiguity_any,largest_run,leaf,reuse_share")
keys = []
for r in S:
    if (r["source"], r["allocator"]) not in keys:
        keys.append((r["source"], r["allocator"]))
for k in keys:
    for size in sorted(set(int(r["size_bytes"]) for r in S if (r["source"], r["allocator"]) == k)):
        G = [r for r in S if (r["source"], r["allocator"]) == k and int(r["size_bytes"]) == size]
        R = [u for u in U if (u["source"], u["allocator"]) == k and int(u["size_bytes"]) == size]
        med = lambda c: "%.6f" % statistics.median(float(r[c]) for r in G)
        leaf = "+".join(l for l in ("pte", "pmd", "pud") if sum(int(r["leaf_" + l]) for r in G))
        fr = sum(int(u["frames"]) for u in R)
        reuse = ("%.6f" % (sum(int(u["shared_frames"]) for u in R) / fr if fr else 0)) if R else ""
        print(",".join([k[0], k[1], str(size), str(len(G)), med("contiguity"), med("contiguity_any"),
                        str(max(int(r["largest_run"]) for r in G)), leaf, reuse]))
