#!/usr/bin/env python3
"""tests/helpers/walks_ref.py - an independent check of analyze's walks.csv.

Usage: walks_ref.py [--machine aarch64] WALKS.CSV [SAMPLES.CSV...]
       walks_ref.py --explain-arm64 EXPLAIN.TXT...

Re-decodes every line of walks.csv from its raw entry and VA alone, with a
decoder written here from the Intel SDM's entry formats (vol. 3A, tables
4-15 to 4-20) and Linux 6.1's software bits, sharing no code with
collect/ptentry.c: the index, the entry's address (chained from the slot
and the level above), the bit names, leaf or table, next table PA, frame,
offset and PA.  With SAMPLES.CSV, each walk's raw entries and pgd_slot must
be the ones of its source row (source, allocator, size, sample, page).
With --machine aarch64 the entries are arm64 descriptors, decoded here from
the Arm ARM's stage-1 formats (D8.3, 4 KiB granule, 48-bit OA) and Linux
6.1's arm64 software bits, sharing no code with collect/ptentry_arm64.c;
the pgd line's bits start with the table base register (TTBR1 when VA bit
55 is set).  --explain-arm64 re-decodes every level line of arm64
`pfn_ioctl --explain` outputs the same way.
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


A64_ADDR = ((1 << 48) - 1) & ~0xFFF     # bits 47:12
A64_ATTR = ["NORMAL", "NORMAL_TAGGED", "NORMAL_NC", "DEVICE_nGnRnE", "DEVICE_nGnRE"]
A64_SH = ["non", "reserved", "outer", "inner"]
A64_AP = {"00": "EL1-rw/EL0-none", "01": "EL1-rw/EL0-rw", "10": "EL1-ro/EL0-none", "11": "EL1-ro/EL0-ro"}


def a64_kind(level, raw):
    """none, invalid, table, block, page or reserved (level: pgd..pte = L0..L3)."""
    if raw == 0:
        return "none"
    if raw % 2 == 0:
        return "invalid"
    if (raw >> 1) % 2 == 1:
        return "page" if level == "pte" else "table"
    return "block" if level in ("pud", "pmd") else "reserved"


def a64_leaf_size(level, raw):
    k = a64_kind(level, raw)
    return {"page": 4096, "block": (1 << 30) if level == "pud" else (2 << 20)}.get(k, 0)


def a64_bits(level, raw):
    b = lambda n: (raw >> n) % 2
    k = a64_kind(level, raw)
    if k == "table":
        return "table NSTable=%d APTable=%d%d UXNTable=%d PXNTable=%d" % (b(63), b(62), b(61), b(60), b(59))
    if k in ("page", "block"):
        ai = (raw >> 2) % 8
        sh = (raw >> 8) % 4
        ap = "%d%d" % (b(7), b(6))
        s = "%s AttrIndx=%d(%s) SH=%d(%s) AP=%s(%s)" % (k, ai, A64_ATTR[ai] if ai < len(A64_ATTR) else "?",
                                                       sh, A64_SH[sh], ap, A64_AP[ap])
        s += " AF=%d nG=%d DBM=%d Cont=%d PXN=%d UXN=%d" % (b(10), b(11), b(51), b(52), b(53), b(54))
        for n, name in ((5, "NS"), (55, "DIRTY"), (56, "SPECIAL"), (57, "DEVMAP")):
            if b(n):
                s += " " + name
        return s
    if k == "invalid" and b(58):
        return "invalid PROT_NONE"
    return k


def explain_arm64(paths):
    """Each level line of an arm64 pfn_ioctl --explain output, decoded again."""
    import re
    fails = 0
    for path in paths:
        lines = open(path).read().splitlines()
        n = bad = 0
        for ln in lines:
            m = re.match(r"^(pgd|pud|pmd|pte): \(va >> \d+\) & 511 = \d+, entry at PA 0x[0-9a-f]+: 0x([0-9a-f]{16}) (.*) -> (.*)$", ln)
            if not m:
                continue
            n += 1
            level, raw, got_bits, got_to = m.group(1), int(m.group(2), 16), m.group(3), m.group(4)
            size = a64_leaf_size(level, raw)
            k = a64_kind(level, raw)
            if size:
                to = "%s frame at PA 0x%016x" % ({4096: "4 KiB", 2 << 20: "2 MiB", 1 << 30: "1 GiB"}[size],
                                                 raw & A64_ADDR & ~(size - 1))
            elif k == "table":
                to = "table at PA 0x%016x" % (raw & A64_ADDR)
            else:
                to = "no translation"
            want = (a64_bits(level, raw), to)
            if (got_bits, got_to) != want:
                bad += 1
                print("FAIL explain ref %s %s: pfn_ioctl printed %r, the reference %r" % (path, level, (got_bits, got_to), want))
        name = "explain ref %s: %d level lines re-decoded (arm64)" % (path.rsplit("/", 1)[-1], n)
        if n == 0:
            bad += 1
            print("FAIL %s: no level line" % name)
        elif not bad:
            print("PASS %s" % name)
        fails += bad
    return 1 if fails else 0


def hx(v):
    return "0x%016x" % v


def main():
    fails = 0
    args = sys.argv[1:]
    if args[:1] == ["--explain-arm64"]:
        return explain_arm64(args[1:])
    arm64 = args[:2] == ["--machine", "aarch64"]
    if arm64:
        args = args[2:]
    dec_size = a64_leaf_size if arm64 else leaf_size
    dec_bits = a64_bits if arm64 else bits
    addr_mask = A64_ADDR if arm64 else ADDR

    def check(name, got, want):
        nonlocal fails
        if got == want:
            print("PASS %s" % name)
        else:
            fails += 1
            print("FAIL %s: walks.csv has %r, the reference %r" % (name, got, want))

    rows = list(csv.DictReader(open(args[0])))
    src = {}
    for path in args[1:]:
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
        if args[1:]:
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
            size = dec_size(level, raw)
            bs = dec_bits(level, raw)
            if arm64 and level == "pgd":
                bs = "TTBR%d %s" % ((va >> 55) % 2, bs)
            w = {"level": level, "shift": str(shift(level, paging)), "index": str(idx), "entry_addr": hx(addr), "bits": bs,
                 "folded": "1" if level == "p4d" and paging == 4 else "0"}
            if (a64_kind(level, raw) == "table") if arm64 else (raw & 1 and not size):
                table = raw & addr_mask
                w.update(next_pa=hx(table), frame="", offset="", pa="", row_pa="",
                         agrees=slot_ok if level == "pgd" else "")
            elif size:
                frame = raw & addr_mask & ~(size - 1)
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
