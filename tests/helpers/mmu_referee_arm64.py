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
    WHERE = "at EL1"

    def take(self, regs):
        """True when the vCPU is at EL1 (the kernel running); the root,
        TTBR1's table, is found once, in Referee64.run."""
        el = re.search(r"PSTATE=[0-9a-fA-F]+ [^\n]*?EL(\d)", regs)
        if not el:
            raise base.Fatal(f"cannot read the EL from 'info registers': {regs[:200]}")
        return el.group(1) == "1"

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

    EVERY_LEAF_SIZE = False

    def region_list(self):
        return [("linear map", *LINEAR), ("kernel text", self.syms["_stext"], self.syms["_etext"]),
                ("modules", *MODULES)]

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
        self.read_syms(("_stext", "_etext"))
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


if __name__ == "__main__":
    sys.exit(base.main(Referee64))
