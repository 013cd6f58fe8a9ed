#!/usr/bin/env python3
"""tests/helpers/walks_ref.py - an independent check of analyze's walks.csv.

Usage: walks_ref.py WALKS.CSV [SAMPLES.CSV...]

Re-decodes every line of walks.csv from its raw entry and VA alone, with a
decoder written here from the Intel SDM's entry formats (vol. 3A, tables
4-15 to 4-20) and Linux 6.1's software bits, sharing no code with
collect/ptentry.c: the index, the entry's address (chained from the slot
and the level above), the bit names, leaf or table, next table PA, frame,
offset and PA.  With SAMPLES.CSV, each walk's raw entries and pgd_slot must
be the ones of its source row (source, allocator, size, sample, page).
Prints "PASS name" / "FAIL name: why" lines (tests/lib.sh counts them) and
exits 1 on a failure.
"""
import csv
import sys

LEVELS = ["pgd", "p4d", "pud", "pmd", "pte"]
ADDR = ((1 << 52) - 1) & ~0xFFF          # bits 51:12


def shift(level, paging):
    if paging == 5:
        return {"pgd": 48, "p4d": 39, "pud": 30, "pmd": 21, "pte": 12}[level]
    return {"pgd": 39, "p4d": 39, "pud": 30, "pmd": 21, "pte": 12}[level]


def leaf_size(level, raw):
    if not raw & 1:
        return 0
    if level == "pte":
        return 4096
    if level in ("pmd", "pud") and raw >> 7 & 1:
        return 2 << 20 if level == "pmd" else 1 << 30
    return 0


def bits(level, raw):
    if not raw & 1:
        return "not-present" if raw else "none"
    leaf = leaf_size(level, raw) != 0
    names = []
    table = [(0, "P"), (1, "RW"), (2, "US"), (3, "PWT"), (4, "PCD"), (5, "A"), (6, "D"),
             (7, "PAT" if level == "pte" else "PS"), (8, "G")]
    for b, n in table:
        if raw >> b & 1:
            names.append(n)
    if leaf:
        for b, n in ((9, "SPECIAL"), (10, "UFFD_WP"), (11, "SOFT_DIRTY")):
            if raw >> b & 1:
                names.append(n)
        if level != "pte" and raw >> 12 & 1:
            names.append("PAT")
        if raw >> 58 & 1:
            names.append("DEVMAP")
        if raw >> 59 & 15:
            names.append("PKEY=%d" % (raw >> 59 & 15))
    if raw >> 63 & 1:
        names.append("NX")
    return " ".join(names)


def hx(v):
    return "0x%016x" % v


def main():
    fails = 0

    def check(name, got, want):
        nonlocal fails
        if got == want:
            print("PASS %s" % name)
        else:
            fails += 1
            print("FAIL %s: walks.csv has %r, the reference %r" % (name, got, want))

    rows = list(csv.DictReader(open(sys.argv[1])))
    src = {}
    for path in sys.argv[2:]:
        for r in csv.DictReader(open(path)):
            src.setdefault((r["source"], r["allocator"], r["size_bytes"], r["sample"], r["page"]), r)
    walks = {}
    for r in rows:
        walks.setdefault(r["case"], []).append(r)
    if not walks:
        print("FAIL walks ref: walks.csv has no walk")
        return 1
    for case, lines in walks.items():
        got, want = [], []
        va = int(lines[0]["va"], 16)
        paging = int(lines[0]["paging"])
        key = tuple(lines[0][k] for k in ("source", "allocator", "size_bytes", "sample", "page"))
        row = src.get(key)
        if sys.argv[2:]:
            check("walks ref %s: its source row is in the samples" % case, row is not None, True)
            if row and paging != (4 if row["pgd"] == row["p4d"] else 5):
                check("walks ref %s: paging" % case, paging, "p4d == pgd: 4")
        table = None
        addr = None
        expect_levels = []
        for i, ln in enumerate(lines):
            level = LEVELS[i] if i < 5 else "?"
            expect_levels.append(level)
            raw = int(ln["raw"], 16)
            if row:
                check("walks ref %s %s: raw is the row's %s column" % (case, level, level), ln["raw"], row[level])
            idx = va >> shift(level, paging) & 511
            if level == "pgd":
                addr = int(row["pgd_slot"], 16) if row else int(ln["entry_addr"], 16)
                slot_ok = "1" if (addr & 0xFFF) >> 3 == idx else "0"
            elif not (level == "p4d" and paging == 4):
                addr = table + 8 * idx
            size = leaf_size(level, raw)
            w = {"level": level, "shift": str(shift(level, paging)), "index": str(idx), "entry_addr": hx(addr), "bits": bits(level, raw),
                 "folded": "1" if level == "p4d" and paging == 4 else "0"}
            if raw & 1 and not size:
                table = raw & ADDR
                w.update(next_pa=hx(table), frame="", offset="", pa="", row_pa="",
                         agrees=slot_ok if level == "pgd" else "")
            elif size:
                frame = raw & ADDR & ~(size - 1)
                pa = frame + (va & (size - 1))
                lv = {"pte": "pte", "pmd": "pmd", "pud": "pud"}[level]
                rp = row["pa"] if row else ln["row_pa"]
                w.update(next_pa="", frame=hx(frame), offset=hx(va & (size - 1)), pa=hx(pa), row_pa=rp,
                         agrees="1" if hx(pa) == rp and (not row or row["level"] == lv) else "0")
            else:
                w.update(next_pa="", frame="", offset="", pa="", row_pa="", agrees="0")
            for k in w:
                got.append("%s.%s=%s" % (level, k, ln[k]))
                want.append("%s.%s=%s" % (level, k, w[k]))
        check("walks ref %s: every line re-decoded" % case,
              [g for g, x in zip(got, want) if g != x], [x for g, x in zip(got, want) if g != x])
        last = lines[-1]
        check("walks ref %s: ends at a leaf that gives the row's pa" % case,
              (last["agrees"], last["pa"]), ("1", last["row_pa"]))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
