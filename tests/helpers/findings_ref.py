#!/usr/bin/python3
"""tests/helpers/findings_ref.py - re-derive findings of a report from its
raw data, independently of analyze/ (plain Python over data/).

For a `make report` run directory RDIR it reads report.md's findings and
recomputes them from RDIR/data/ alone (the samples CSVs user-*.csv and
kernel-*.csv, buddyinfo.PHASE.txt, vmstat.PHASE.txt), never from the
analyzer's tables:

1. per allocator, "N of G are one physically contiguous run; every
   sample is contiguous up to SIZE" (a group is one (source, allocator,
   size_bytes, sample); full: every page has a pa and each pa is the one
   before + 4096);
2. per kernel allocator, "`virt_to_phys()` differed from the software
   walk on M of C pages compared" (rows with both pa_v2p and pa_walk);
3. per allocator, "Repeated samples: S of F frames were also the
   previous sample's" (distinct PFNs of each group after the first of its
   size, shared with the group before it);
4. in the Fragmentation findings, "Free blocks of order 9 or more went
   from A to B while C MiB stayed free" (buddyinfo.fresh/fragmented, all
   zones) and, when vmstat snapshots exist, the direct compactions
   between the snapshot before fragmented and fragmented.

Prints one PASS or FAIL line per finding checked ("PASS findings ref:
..."), and exits 1 when the report has none of them to check.
Usage: findings_ref.py RDIR
"""
import csv
import glob
import os
import re
import sys


def human(b):
    for unit, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if b >= unit and b % unit == 0:
            return "%d %s" % (b // unit, name)
    return "%d B" % b


def report(name, got, want):
    if got == want:
        print("PASS findings ref: %s" % name)
    else:
        print("FAIL findings ref: %s: report %r, from the raw data %r" % (name, got, want))


def groups_of(data):
    """{(source, allocator): [(size, sample, [rows])...]} in input order."""
    g = {}
    files = sorted(glob.glob(data + "/user-*.csv")) + sorted(glob.glob(data + "/kernel-*.csv"))
    for f in files:
        with open(f, newline="") as fh:
            cur = None
            for r in csv.DictReader(fh):
                key = (r["source"], r["allocator"], int(r["size_bytes"]), r["sample"])
                if cur is None or cur[0] != key:
                    cur = (key, [])
                    g.setdefault(key[:2], []).append((key[2], key[3], cur[1]))
                cur[1].append(r)
    return g


def full(rows):
    pas = [r["pa"] for r in rows]
    if any(p == "" for p in pas):
        return False
    pas = [int(p, 16) for p in pas]
    return all(b == a + 4096 for a, b in zip(pas, pas[1:]))


def main():
    rdir = sys.argv[1]
    data = rdir + "/data"
    md = open(rdir + "/report.md").read().split("\n")
    G = groups_of(data)
    checked = 0
    for line in md:
        m = re.match(r"^- \*\*(\w+)\*\* \((\w+), .*?, (\d+) experiments, sizes x samples\): (.*)$", line)
        if not m:
            continue
        alloc, src, rest = m.group(1), m.group(2), m.group(4)
        groups = G.get((src, alloc))
        if groups is None:
            report("%s: raw data" % alloc, "a finding", "no rows in data/")
            continue
        # 1. one-run groups and the contiguous prefix of sizes
        sizes = sorted({s for s, _, _ in groups})
        fulls = {s: all(full(rows) for s2, _, rows in groups if s2 == s) for s in sizes}
        upto = 0
        for s in sizes:
            if not fulls[s]:
                break
            upto = s
        nfull = sum(1 for _, _, rows in groups if full(rows))
        if upto == 0:
            tail = "no size was contiguous in every sample"
        elif all(fulls.values()):
            tail = "every sample is contiguous up to the largest size measured, " + human(upto)
        else:
            tail = "every sample is contiguous up to " + human(upto) + ", not beyond"
        want = "%d of %d are one physically contiguous run; %s." % (nfull, len(groups), tail)
        report("%s: one-run groups and contiguous sizes" % alloc, rest[:len(want)], want)
        checked += 1
        # 2. virt_to_phys() against the walk
        if src == "kernel":
            both = [r for _, _, rows in groups for r in rows if r["pa_v2p"] and r["pa_walk"]]
            if both:
                bad = sum(1 for r in both if r["pa_v2p"] != r["pa_walk"])
                want = "`virt_to_phys()` differed from the software walk on %d of %d pages compared (%.2f%%)" % (
                    bad, len(both), 100.0 * bad / len(both))
            else:
                want = "`virt_to_phys()` was not compared with the software walk (n/a)"
            got = re.search(r"`virt_to_phys\(\)` (differed from the software walk on \d+ of \d+ pages compared \([0-9.]+%\)|was not compared with the software walk \(n/a\))", rest)
            report("%s: virt_to_phys() against the walk" % alloc, got.group(0) if got else None, want)
        # 3. frames shared with the previous sample of the same size
        prev, shared, frames, nre = {}, 0, 0, 0
        for s, _, rows in groups:
            pf = {int(r["pa"], 16) >> 12 for r in rows if r["pa"]}
            if s in prev:
                nre += 1
                frames += len(pf)
                shared += len(pf & prev[s])
            prev[s] = pf
        got = re.search(r"Repeated samples: \d+ of \d+ frames were also the previous sample's\.", rest)
        want = ("Repeated samples: %d of %d frames were also the previous sample's." % (shared, frames)) if nre else None
        report("%s: frames shared with the previous sample" % alloc, got.group(0) if got else None, want)

    # 4. the Fragmentation findings, from the snapshots
    # (reports/frag_section.sh's "### Findings": one item per finding)
    k = md.index("### Findings") if "### Findings" in md else len(md)
    fnd = [" ".join(l[2:] for l in md[k:] if l.startswith("- "))] if k < len(md) else []
    if os.path.exists(data + "/buddyinfo.fresh.txt") and os.path.exists(data + "/buddyinfo.fragmented.txt"):
        def buddy(p):
            return [l.split()[4:] for l in open("%s/buddyinfo.%s.txt" % (data, p)) if "zone" in l]
        hi = lambda p: sum(int(c) for z in buddy(p) for c in z[9:])
        free = sum(int(c) << i for z in buddy("fragmented") for i, c in enumerate(z))
        want = "Free blocks of order 9 or more went from %d to %d while %d MiB stayed free." % (
            hi("fresh"), hi("fragmented"), free * 4 // 1024)
        got = re.search(r"Free blocks of order 9 or more went from \d+ to \d+ while \d+ MiB stayed free\.", fnd[0]) if fnd else None
        report("fragmentation: free blocks of order >= 9", got.group(0) if got else None, want)
        checked += 1
        order = [l.strip() for l in open(data + "/snapshots.txt")] if os.path.exists(data + "/snapshots.txt") else []
        if "fragmented" in order and order.index("fragmented") > 0:
            before = order[order.index("fragmented") - 1]
            vm = lambda p: dict(l.split() for l in open("%s/vmstat.%s.txt" % (data, p)))
            a, b = vm(before), vm("fragmented")
            d = lambda k: int(b[k]) - int(a[k])
            want = "Between the %s and fragmented snapshots the kernel stalled %d times to compact memory for an allocation (%d succeeded, %d failed; /proc/vmstat)." % (
                before, d("compact_stall"), d("compact_success"), d("compact_fail"))
            got = re.search(r"Between the \S+ and fragmented snapshots the kernel stalled \d+ times to compact memory for an allocation \(\d+ succeeded, \d+ failed; /proc/vmstat\)\.", fnd[0]) if fnd else None
            report("fragmentation: direct compactions before the fragmented snapshot", got.group(0) if got else None, want)
    if checked == 0:
        print("FAIL findings ref: report.md has no finding to check")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
