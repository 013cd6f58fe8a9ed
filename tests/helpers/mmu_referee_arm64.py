#!/usr/bin/python3
"""tests/helpers/mmu_referee_arm64.py - QEMU's MMU judges the walk on arm64.

The arm64 host half of tests/t_vm_mmu_arm64.sh, on the same guest plan
(tests/plans/mmu.sh) and the same protocol as mmu_referee.py, whose QMP
client and request/answer machinery it reuses.  What differs is the MMU:
`gva2gpa VA` from a vCPU at EL1 is the referee for pa_walk, and the raw
tables are read with `xp` from the kernel's own table, the one TTBR1_EL1
holds for every kernel address: swapper_pg_dir, whose physical address the
monitor itself gives (gva2gpa of the pgd slot the module names for a
kernel text address: Debian's arm64 kallsyms has no data symbols).
The descriptors are read as the Arm ARM says (VMSAv8-64, 4 KiB granule, 4
levels, 48-bit VA and PA): bit 0 valid; bits[1:0] 0b11 a table at levels
0-2 and a page at level 3; 0b01 a block at levels 1 and 2.  Checked: every
page of kmalloc, vmalloc, kvmalloc and alloc_pages allocations, and pages
sampled from the raw tables in the linear map, the kernel text and the
module area; the linear map's only blocks are the kernel image's own
alias (rodata_full maps the rest with pages).  Access flag and the DBM write state (bits 10 and 7) are left
out of the comparison: the MMU may update them between the two reads.

    mmu_referee_arm64.py QMP_SOCKET OUTDIR PREFIX
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mmu_referee as base  # noqa: E402

OA = 0x0000FFFFFFFFF000          # output/table address, bits 47:12
base.AD = (1 << 10) | (1 << 7)   # AF and AP[2] (DBM's dirty state)
SHIFTS = [39, 30, 21, 12]
LINEAR = (0xFFFF000000000000, 0xFFFF800000000000)   # PAGE_OFFSET .. _PAGE_END(48)
MODULES = (0xFFFF800000000000, 0xFFFF800080000000)  # MODULES_VADDR, 2 GiB


def kind(e, sh):
    """'table', 'leaf' or None (a fault) for descriptor e at shift sh."""
    if not e & 1:
        return None
    if e & 3 == 3:
        return "leaf" if sh == 12 else "table"
    return "leaf" if sh in (30, 21) else None


class Mmu64(base.Mmu):
    def stop(self):
        """Stop the guest with some vCPU at EL1 (the kernel running)."""
        cpus = [c["cpu-index"] for c in self.q.cmd("query-cpus-fast")]
        for _ in range(200):
            self.q.cmd("stop")
            for c in cpus:
                regs = self.q.hmp("info registers", cpu=c)
                el = re.search(r"PSTATE=[0-9a-fA-F]+ [^\n]*?EL(\d)", regs)
                if not el:
                    raise base.Fatal(f"cannot read the EL from 'info registers': {regs[:200]}")
                if el.group(1) == "1":
                    self.cpu = c
                    self.tables = {}
                    return
            self.q.cmd("cont")
            time.sleep(0.05)
        raise base.Fatal("no vCPU was at EL1 in 200 tries")

    def walk(self, va):
        ents, t = [], self.root
        for sh in SHIFTS:
            e = self.table(t)[(va >> sh) & 511]
            ents.append(e)
            k = kind(e, sh)
            if k is None:
                return ents, None, None
            if k == "leaf":
                mask = (1 << sh) - 1
                return ents, base.LEVEL[sh], (e & OA & ~mask) + (va & mask)
            t = e & OA
        raise AssertionError("unreachable")

    def columns(self, ents):
        # 4 levels: the p4d is folded into the pgd, whose entry both show.
        ents = ents[:1] + ents
        return ents + [0] * (5 - len(ents))

    def scan(self, lo, hi):
        """Leaves and holes in [lo, hi) of the kernel half, reading at most
        3 child tables of each table (first, middle, last)."""
        leaves, holes = [], []

        def rec(t, i, b):
            sh = SHIFTS[i]
            span = 1 << sh
            kids = []
            for idx, e in enumerate(self.table(t)):
                va = (0xFFFF000000000000 | (idx << 39)) if i == 0 else b + idx * span
                if va + span <= lo or va >= hi:
                    continue
                k = kind(e, sh)
                if k is None:
                    holes.append(max(va, lo))
                elif k == "leaf":
                    leaves.append((va, span, base.LEVEL[sh]))
                else:
                    kids.append((e & OA, va))
            if i + 1 < len(SHIFTS) and kids:
                for k in sorted({0, len(kids) // 2, len(kids) - 1}):
                    rec(kids[k][0], i + 1, kids[k][1])

        rec(self.root, 0, 0)
        return leaves, holes


class Referee64(base.Referee):
    def __init__(self, qmp_path, outdir, prefix):
        super().__init__(qmp_path, outdir, prefix)
        self.mmu = Mmu64(self.q)

    def regions(self):
        mod = [v for k, v in self.syms.items() if k.startswith("ptwalk:")]
        regs = [("linear map", *LINEAR), ("kernel text", self.syms["_stext"], self.syms["_etext"]),
                ("modules", *MODULES)]
        plan = []
        for name, lo, hi in regs:
            leaves, holes = self.mmu.scan(lo, hi)
            pick = base.spread(leaves, base.SAMPLES)
            vas = []
            for va, span, _ in pick:
                a, b = max(va, lo), min(va + span, hi)
                vas += sorted({a & ~(base.PAGE - 1), (a + (b - a) // 2) & ~(base.PAGE - 1)})
            if name == "modules":
                vas += [v & ~(base.PAGE - 1) for v in mod[:2]]
            vas += base.spread(holes, base.HOLES)
            plan.append((name, lo, hi, len(leaves), vas))
        self.mmu.cont()
        ans = self.ask([f"walk {va:#x}" for _, _, _, _, vas in plan for va in vas])
        self.mmu.stop()
        k, all_levels = 0, {}
        for name, lo, hi, nleaves, vas in plan:
            res = ans[k:k + len(vas)]
            k += len(vas)
            rows = [r[0] for _, st, r in res if st == "ok" and r]
            errs = [f"{c}: {st}" for c, st, r in res if st != "ok" or not r]
            if errs:
                self.say(False, f"mmu {name}", "; ".join(errs[:3]))
                continue
            levels = self.judge_rows(f"mmu {name} [{lo:#x}, {hi:#x}) sample", rows, None)
            mapped = sum(v for lv, v in levels.items() if lv != "none")
            self.say(mapped > 0, f"mmu {name}: the MMU maps {mapped} of the pages checked",
                     f"no mapped page found in [{lo:#x}, {hi:#x}) ({nleaves} leaves scanned)")
            all_levels[name] = levels
        return all_levels

    def linear_blocks(self):
        """Debian's kernel maps its linear map with pages only
        (rodata_full: NO_BLOCK_MAPPINGS), except the linear alias of its
        own image ([_stext, __init_begin), NO_CONT_MAPPINGS only), which
        may use blocks.  Every block leaf the raw tables hold in the
        linear map must therefore map the image (/proc/iomem's Kernel code
        to Kernel data), and the allocations above were pages."""
        img = []
        with open(os.path.join(self.out, "iomem.txt")) as f:
            for line in f:
                m = re.match(r"\s*([0-9a-f]+)-([0-9a-f]+) : Kernel (code|data)", line)
                if m:
                    img += [int(m.group(1), 16), int(m.group(2), 16)]
        if not img:
            self.say(False, "mmu linear map blocks", "no Kernel code/data in the guest's /proc/iomem")
            return
        lo, hi = min(img), max(img) + 1
        leaves, _ = self.mmu.scan(*LINEAR)
        blocks = [(va, span) for va, span, lv in leaves if lv != "pte"]
        outside = []
        for va, span in blocks:
            pa = self.mmu.walk(va)[2]
            if pa is None or pa + span <= lo or pa >= hi:
                outside.append(f"{va:#x} ({span >> 20} MiB at {pa:#x})")
        self.say(not outside,
                 f"mmu linear map: {len(leaves) - len(blocks)} page and {len(blocks)} block leaves scanned, "
                 f"every block in the kernel image's alias (PA {lo:#x}-{hi:#x})",
                 f"blocks outside the image: {', '.join(outside[:3])}")

    def run(self):
        self.wait_file(os.path.join(self.out, "guest-ready"), 900)
        self.syms = {}
        with open(os.path.join(self.out, "syms.txt")) as f:
            for line in f:
                w = line.split()
                if len(w) >= 3:
                    name = w[2] if len(w) == 3 else f"{w[3].strip('[]')}:{w[2]}"
                    self.syms.setdefault(name, int(w[0], 16))
        for s in ("_stext", "_etext"):
            if s not in self.syms:
                raise base.Fatal(f"no {s} in the guest's /proc/kallsyms")
        # Debian's arm64 kallsyms has no data symbols (no KALLSYMS_ALL), so
        # swapper_pg_dir is found through the module: the pgd slot its walk
        # of a kernel text address used; the monitor turns that into a
        # physical table address, and from there every value is the monitor's.
        (_, st, rows), = self.ask([f"walk {self.syms['_stext']:#x}"])
        if st != "ok" or not rows or not rows[0][12]:
            raise base.Fatal(f"walk of _stext: {st}")
        self.mmu.stop()
        slot = self.mmu.gva2gpa(int(rows[0][12], 16))
        if slot is None:
            raise base.Fatal(f"the pgd slot {rows[0][12]} is not mapped")
        root = slot & ~0xFFF
        self.mmu.root = root
        self.say(True, f"mmu referee: vCPU {self.mmu.cpu} at EL1, 4 levels, "
                 f"TTBR1's table (swapper_pg_dir) at PA {root:#x}")
        self.allocations()
        self.regions()
        self.linear_blocks()
        self.mmu.cont()
        self.ask_quit()


def main():
    if len(sys.argv) != 4:
        print("usage: mmu_referee_arm64.py QMP_SOCKET OUTDIR PREFIX", file=sys.stderr)
        return 2
    ref = None
    try:
        ref = Referee64(*sys.argv[1:])
        ref.run()
    except (base.Fatal, OSError, ValueError) as e:
        print(f"FAIL {sys.argv[3]}mmu referee: {e}", flush=True)
        if ref is not None:
            try:
                ref.mmu.cont()
                ref.ask_quit()
            except Exception:
                pass
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
