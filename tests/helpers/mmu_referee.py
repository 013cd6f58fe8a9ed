#!/usr/bin/python3
"""tests/helpers/mmu_referee.py - QEMU's MMU judges the module's walk.

The host half of tests/t_vm_mmu.sh.  While the guest runs tests/plans/mmu.sh
(which answers /proc/pagetable commands through OUTDIR/mmu/req.N and
ans.N.csv and holds each allocation meanwhile), this talks to QEMU's QMP
socket, stops the guest, and asks the monitor: `gva2gpa VA` is the MMU's
own translation (the referee for pa_walk and for "not present"), and
`xp /512gx PHYS` reads the raw page tables from the CR3 of a vCPU that is
in the kernel, for the pgd..pte columns and the leaf level.  Checked: every
page of kmalloc, vmalloc, kvmalloc and alloc_pages allocations, and pages
sampled (from the raw tables: mapped leaves of every level, and holes) in
each region of the kernel half; and `pfn_ioctl --explain` of a vmalloc, a
direct-map and a user address (each entry against `xp` of the physical
address it claims to be read from).  Prints PASS/FAIL lines, each name starting
with PREFIX; exits 1 when it could not do its work.

    mmu_referee.py QMP_SOCKET OUTDIR PREFIX
"""
import json
import os
import re
import socket
import sys
import time

PAGE = 4096
FRAME = 0x000FFFFFFFFFF000       # bits 51:12 of an entry
PS, P, AD = 0x80, 0x1, 0x60
LEVEL = {30: "pud", 21: "pmd", 12: "pte"}
# Fixed parts of the x86-64 kernel half (Linux 6.1, 4- and 5-level
# paging: arch/x86/include/asm/pgtable_64_types.h, Documentation/x86/x86_64/mm.rst).
CPU_ENTRY_AREA = 0xFFFFFE0000000000          # p4d slot -4, 512 GiB
ESPFIX = 0xFFFFFF0000000000                  # p4d slot -2, 512 GiB
MODULES = (0xFFFFFFFFC0000000, 0xFFFFFFFFFF000000)
FIXMAP = (0xFFFFFFFFFF000000, 1 << 64)   # and the vsyscall page above it
SAMPLES, HOLES = 6, 2


class Fatal(Exception):
    pass


class Qmp:
    def __init__(self, path, timeout=120):
        end = time.time() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                break
            except OSError as e:
                if time.time() > end:
                    raise Fatal(f"cannot connect to QMP socket {path}: {e}")
                time.sleep(0.2)
        self.r = self.s.makefile("r", encoding="utf-8")
        self._read()                              # the greeting
        self.cmd("qmp_capabilities")

    def _read(self):
        line = self.r.readline()
        if not line:
            raise Fatal("QMP socket closed (QEMU exited?)")
        return json.loads(line)

    def cmd(self, name, **args):
        self.s.sendall((json.dumps({"execute": name, "arguments": args}) + "\n").encode())
        while True:
            m = self._read()
            if "return" in m:
                return m["return"]
            if "error" in m:
                raise Fatal(f"QMP {name} {args}: {m['error']}")

    def hmp(self, line, cpu=None):
        args = {"command-line": line}
        if cpu is not None:
            args["cpu-index"] = cpu
        return self.cmd("human-monitor-command", **args)


class Mmu:
    """The guest, stopped, as the monitor shows it from one vCPU."""

    def __init__(self, qmp):
        self.q = qmp
        self.tables = {}
        self.cpu = None

    WHERE = "in the kernel with the kernel's CR3"

    def stop(self):
        """Stop the guest with some vCPU where take() wants it."""
        cpus = [c["cpu-index"] for c in self.q.cmd("query-cpus-fast")]
        for _ in range(200):
            self.q.cmd("stop")
            for c in cpus:
                if self.take(self.q.hmp("info registers", cpu=c)):
                    self.cpu = c
                    self.tables = {}
                    return
            self.q.cmd("cont")
            time.sleep(0.05)
        raise Fatal(f"no vCPU was {self.WHERE} in 200 tries")

    def take(self, regs):
        """True when the vCPU whose 'info registers' is regs is in the
        kernel (CPL 0, the kernel's CR3); then its tables are the root."""
        cpl = re.search(r"CPL=(\d)", regs)
        cr3 = re.search(r"CR3=([0-9a-fA-F]+)", regs)
        cr4 = re.search(r"CR4=([0-9a-fA-F]+)", regs)
        if not (cpl and cr3 and cr4):
            raise Fatal(f"cannot read CPL/CR3/CR4 from 'info registers': {regs[:200]}")
        cr3 = int(cr3.group(1), 16)
        # With page-table isolation the user copy is the pgd + 4 KiB.
        if cpl.group(1) != "0" or cr3 & 0x1000:
            return False
        self.root = cr3 & FRAME
        self.la57 = bool(int(cr4.group(1), 16) & (1 << 12))
        self.shifts = [48, 39, 30, 21, 12] if self.la57 else [39, 30, 21, 12]
        return True

    def cont(self):
        self.tables = {}
        self.q.cmd("cont")

    def gva2gpa(self, va):
        out = self.q.hmp(f"gva2gpa {va:#x}", cpu=self.cpu)
        m = re.search(r"gpa: (0x[0-9a-fA-F]+)", out)
        if m:
            return int(m.group(1), 16)
        if "Unmapped" in out:
            return None
        raise Fatal(f"gva2gpa {va:#x}: {out.strip()}")

    def xp(self, pa, n):
        out = self.q.hmp(f"xp /{n}gx {pa:#x}")
        vals = []
        for line in out.splitlines():
            if ":" in line:
                vals += [int(x, 16) for x in line.split(":", 1)[1].split()]
        if len(vals) != n:
            raise Fatal(f"xp /{n}gx {pa:#x}: {len(vals)} values: {out[:200]}")
        return vals

    def table(self, pa):
        if pa not in self.tables:
            self.tables[pa] = self.xp(pa, 512)
        return self.tables[pa]

    def walk(self, va):
        """Raw entries from the root down, the leaf level and PA (None: unmapped)."""
        ents, t = [], self.root
        for sh in self.shifts:
            e = self.table(t)[(va >> sh) & 511]
            ents.append(e)
            if not e & P:
                return ents, None, None
            if sh == 12 or (sh in (30, 21) and e & PS):
                mask = (1 << sh) - 1
                return ents, LEVEL[sh], (e & FRAME & ~mask) + (va & mask)
            t = e & FRAME
        raise AssertionError("unreachable")

    def columns(self, ents):
        """The module's pgd, p4d, pud, pmd, pte columns for these entries."""
        if not self.la57:        # 4 levels: the folded pgd shows the PML4E too
            ents = ents[:1] + ents
        return ents + [0] * (5 - len(ents))

    def scan(self, lo, hi):
        """Leaves (va, span, level) and holes (va) in [lo, hi), from the raw
        tables; at most 3 child tables of each table are read (the first,
        the middle and the last present one), so the reads stay few."""
        leaves, holes = [], []
        top = self.shifts[0] + 9          # bits of a canonical address

        def canon(v):
            return v | (~((1 << top) - 1) & (2**64 - 1)) if v >> (top - 1) & 1 else v

        def rec(t, i, base):
            sh = self.shifts[i]
            span = 1 << sh
            kids = []
            for idx, e in enumerate(self.table(t)):
                va = canon(base + idx * span) if i == 0 else base + idx * span
                if va + span <= lo or va >= hi:
                    continue
                if not e & P:
                    holes.append(max(va, lo))
                elif sh == 12 or (sh in (30, 21) and e & PS):
                    leaves.append((va, span, LEVEL[sh]))
                else:
                    kids.append((e & FRAME, va))
            if i + 1 < len(self.shifts) and kids:
                pick = sorted({0, len(kids) // 2, len(kids) - 1})
                for k in pick:
                    rec(kids[k][0], i + 1, kids[k][1])

        rec(self.root, 0, 0)
        return leaves, holes


def spread(items, n):
    if len(items) <= n:
        return list(items)
    return [items[k * len(items) // n] for k in range(n)]


class Referee:
    def __init__(self, qmp_path, outdir, prefix):
        self.out = os.path.join(outdir, "mmu")
        self.status = os.path.join(outdir, "status")
        self.prefix = prefix
        self.n = 0
        self.failed = 0
        self.q = Qmp(qmp_path)
        self.mmu = Mmu(self.q)

    def say(self, ok, name, why=""):
        if ok:
            print(f"PASS {self.prefix}{name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {self.prefix}{name}: {why}", flush=True)

    def wait_file(self, path, timeout):
        end = time.time() + timeout
        while not os.path.exists(path):
            if os.path.exists(self.status):
                raise Fatal(f"the guest's plan ended before {os.path.basename(path)}")
            if time.time() > end:
                raise Fatal(f"no {path} after {timeout} s")
            time.sleep(0.1)

    def ask(self, cmds):
        """Run /proc/pagetable commands in the guest (running); returns
        [(cmd, status, rows)], rows as lists of CSV fields."""
        self.n += 1
        req = os.path.join(self.out, f"req.{self.n}")
        with open(req + ".tmp", "w") as f:
            f.write("".join(c + "\n" for c in cmds))
        os.rename(req + ".tmp", req)
        ans = os.path.join(self.out, f"ans.{self.n}.csv")
        self.wait_file(ans, 600)
        res = []
        with open(ans) as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("# "):
                    cmd, st = line[2:].rsplit(": ", 1)
                    res.append((cmd, st, []))
                elif line:
                    res[-1][2].append(line.split(","))
        return res

    def judge(self, row):
        """Compare one CSV row with the MMU; returns what differs ('' when
        nothing does) and the MMU's leaf level (None: unmapped)."""
        va = int(row[5], 16)
        mmu = self.mmu.gva2gpa(va)
        ents, level, pa = self.mmu.walk(va)
        return self.differ(row, va, mmu, ents, level, pa), level

    def differ(self, row, va, mmu, ents, level, pa):
        if pa != mmu:
            return (f"va {va:#018x}: the raw tables give "
                    f"{'unmapped' if pa is None else hex(pa)}, gva2gpa "
                    f"{'unmapped' if mmu is None else hex(mmu)} (the referee disagrees with itself)")
        walk = int(row[8], 16) if row[8] else None
        if walk != mmu:
            return (f"va {va:#018x}: pa_walk {row[8] or 'not present'}, the MMU "
                    f"{'unmapped' if mmu is None else hex(mmu)}")
        if mmu is not None and row[10] != level:
            return f"va {va:#018x}: level {row[10]}, the MMU's leaf is a {level}"
        # Accessed and dirty left out: the CPU may set them between the reads.
        want = [e & ~AD for e in self.mmu.columns(ents)]
        got = [int(x, 16) & ~AD if x else 0 for x in row[13:18]]
        if got != want:
            return (f"va {va:#018x}: entries {' '.join(row[13:18])}, "
                    f"the tables hold {' '.join('%#018x' % e for e in want)}")
        return ""

    def judge_rows(self, name, rows, want_pages):
        bad, levels = [], {}      # levels: the MMU's leaves, "none": unmapped
        for r in rows:
            why, level = self.judge(r)
            if why:
                bad.append(why)
            levels[level or "none"] = levels.get(level or "none", 0) + 1
        if want_pages is not None and len(rows) != want_pages:
            bad.insert(0, f"{len(rows)} rows, want {want_pages}")
        summary = ", ".join(f"{v} {k}" for k, v in sorted(levels.items()))
        self.say(not bad, f"{name}: {len(rows)} pages = MMU (MMU leaves: {summary})",
                 f"{len(bad)} differ; {'; '.join(bad[:3])}")
        return levels

    def allocations(self):
        for cmd, pages in (("kmalloc 1M", 256), ("vmalloc 4M", 1024),
                           ("kvmalloc 8M", 2048), ("alloc_pages 6", 64)):
            self.mmu.cont()
            (_, st, rows), = self.ask([cmd])
            self.mmu.stop()
            if st != "ok":
                self.say(False, f"mmu {cmd}", f"the module answered {st}")
                continue
            self.judge_rows(f"mmu {cmd}", rows, pages)

    def explained(self, va, lines):
        """pfn_ioctl --explain's lines for va against the stopped MMU: each
        entry's raw value against `xp` of the address it was read from,
        and the final PA; '' when all agree."""
        text = "\n".join(",".join(r) for r in lines)
        ents = re.findall(r"^(\w+): .*entry at PA (0x[0-9a-f]+): (0x[0-9a-f]+)", text, re.M)
        pa = re.search(r"^PA: .* = (0x[0-9a-f]+)$", text, re.M)
        if not ents or not pa:
            return f"va {va:#018x}: no entries or PA in the output: {text[:300]}"
        bad = []
        for lvl, where, raw in ents:
            mem = self.mmu.xp(int(where, 16), 1)[0]
            # Accessed and dirty left out: the CPU may set them between the reads.
            if mem & ~AD != int(raw, 16) & ~AD:
                bad.append(f"{lvl} at {where}: explain {raw}, xp {mem:#018x}")
        if bad:
            return f"va {va:#018x}: " + "; ".join(bad)
        return "" if int(pa.group(1), 16) else f"va {va:#018x}: PA 0"

    def explains(self):
        """pfn_ioctl --explain against the MMU: a vmalloc and a direct-map
        address (PID 0; the PA also against gva2gpa, the entries also
        against the referee's own walk), and a user page of PID 1 (its
        entries are in PID 1's tables, not in this vCPU's CR3: xp of each
        entry's address is the judge)."""
        self.mmu.cont()
        # vmalloc last: each command's result replaces the one before and
        # frees its allocation (the direct map stays mapped when kmalloc's
        # memory is freed; a `pid` walk allocates nothing).
        ans = self.ask(["pid 1"])
        ans += self.ask(["kmalloc 64K"])
        ans += self.ask(["vmalloc 64K"])
        vas = []
        for (cmd, st, rows), pid in zip(ans, (1, 0, 0)):
            good = [r for r in rows if st == "ok" and r[6]]
            if not good:
                self.say(False, f"mmu explain: {cmd}", f"the module answered {st}, {len(rows)} rows")
                continue
            vas.append((pid, int(good[len(good) // 2][5], 16) + 0x18, good[len(good) // 2], cmd))
        res = self.ask([f"explain {pid} {va:#x}" for pid, va, _, _ in vas])
        self.mmu.stop()
        for (pid, va, row, cmd), (_, st, lines) in zip(vas, res):
            name = f"mmu explain {pid} {va:#x} ({cmd})"
            if st != "ok":
                self.say(False, name, f"pfn_ioctl {st}: {' '.join(','.join(r) for r in lines)[:300]}")
                continue
            why = self.explained(va, lines)
            final = int(re.search(r"^PA: .* = (0x[0-9a-f]+)$", "\n".join(",".join(r) for r in lines), re.M).group(1), 16) if not why else None
            if not why and pid == 0:
                mmu = self.mmu.gva2gpa(va)
                ents, _, _ = self.mmu.walk(va)
                got = [int(x, 16) & ~AD for x in re.findall(r"entry at PA 0x[0-9a-f]+: (0x[0-9a-f]+)", "\n".join(",".join(r) for r in lines))]
                if final != mmu:
                    why = f"PA {final:#x}, gva2gpa {mmu if mmu is None else hex(mmu)}"
                elif got != [e & ~AD for e in ents]:
                    why = f"entries {[hex(g) for g in got]}, the referee's walk {[hex(e & ~AD) for e in ents]}"
            elif not why and final != int(row[6], 16) + 0x18:
                why = f"PA {final:#x}, the pid row's pa {row[6]} + 0x18"
            n = len(re.findall(r"entry at PA", "\n".join(",".join(r) for r in lines)))
            self.say(not why, f"{name}: {n} entries = xp of their addresses"
                     + (", PA = gva2gpa" if pid == 0 else ", PA = the pid row's"), why)

    def value(self, sym):
        pa = self.mmu.gva2gpa(self.syms[sym])
        if pa is None:
            raise Fatal(f"{sym} at {self.syms[sym]:#x} is not mapped")
        return self.mmu.xp(pa, 1)[0]

    # Sample a leaf of every size a region has, not only spread ones.
    EVERY_LEAF_SIZE = True

    def region_list(self):
        """(name, lo, hi) of each region of the kernel half to sample."""
        pob, vb, vmb = (self.value(s) for s in ("page_offset_base", "vmalloc_base", "vmemmap_base"))
        return [
            ("direct map", pob, vb),
            ("vmalloc", vb, vmb),
            ("vmemmap", vmb, vmb + (1 << 40)),
            ("cpu_entry_area", CPU_ENTRY_AREA, CPU_ENTRY_AREA + (1 << 39)),
            ("espfix", ESPFIX, ESPFIX + (1 << 39)),
            ("kernel text", self.syms["_text"], self.syms["_end"]),
            ("modules", *MODULES),
            ("fixmap", *FIXMAP),
        ]

    def regions(self):
        """Judge pages sampled from each region_list() region's raw tables:
        a level -> pages dict for each region judged."""
        mod = [v for k, v in self.syms.items() if k.startswith("ptwalk:")]
        plan = []
        for name, lo, hi in self.region_list():
            leaves, holes = self.mmu.scan(lo, hi)
            pick = spread(leaves, SAMPLES)
            for lv in ("pud", "pmd", "pte") if self.EVERY_LEAF_SIZE else ():
                if not any(x[2] == lv for x in pick):
                    pick += [x for x in leaves if x[2] == lv][:1]
            vas = []
            for va, span, _ in pick:
                a, b = max(va, lo), min(va + span, hi)
                vas += sorted({a & ~(PAGE - 1), (a + (b - a) // 2) & ~(PAGE - 1)})
            if name == "modules":
                vas += [v & ~(PAGE - 1) for v in mod[:2]]
            vas += spread(holes, HOLES)
            plan.append((name, lo, hi, len(leaves), vas))
        self.mmu.cont()
        ans = self.ask([f"walk {va:#x}" for _, _, _, _, vas in plan for va in vas])
        self.mmu.stop()
        k = 0
        all_levels = {}
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

    def read_syms(self, need):
        """Wait for the guest, then read its /proc/kallsyms copy into
        self.syms ("name", or "module:name" for a module's symbol)."""
        self.wait_file(os.path.join(self.out, "guest-ready"), 900)
        self.syms = {}
        with open(os.path.join(self.out, "syms.txt")) as f:
            for line in f:
                w = line.split()
                if len(w) >= 3:
                    name = w[2] if len(w) == 3 else f"{w[3].strip('[]')}:{w[2]}"
                    self.syms.setdefault(name, int(w[0], 16))
        for s in need:
            if s not in self.syms:
                raise Fatal(f"no {s} in the guest's /proc/kallsyms")

    def run(self):
        self.read_syms(("page_offset_base", "vmalloc_base", "vmemmap_base", "_text", "_end"))
        with open(os.path.join(self.out, "meminfo.txt")) as f:
            mi = dict((l.split(":")[0], l.split(":")[1].split()[0]) for l in f if ":" in l)
        self.mmu.stop()
        self.say(True, f"mmu referee: vCPU {self.mmu.cpu} in the kernel, "
                 f"{5 if self.mmu.la57 else 4}-level paging (CR4.LA57), CR3 {self.mmu.root:#x}")
        self.allocations()
        self.explains()
        levels = self.regions()
        d1g = int(mi.get("DirectMap1G", "0"))
        dm = levels.get("direct map", {})
        self.say(d1g > 0 and dm.get("pud", 0) > 0,
                 f"mmu 1 GiB leaves: DirectMap1G {d1g} kB, {dm.get('pud', 0)} direct-map pages in pud leaves checked",
                 f"DirectMap1G {d1g} kB, pages in pud leaves checked {dm.get('pud', 0)} (boot with VM_MEM >= 4G)")
        self.mmu.cont()
        self.ask_quit()

    def ask_quit(self):
        self.n += 1
        req = os.path.join(self.out, f"req.{self.n}")
        with open(req + ".tmp", "w") as f:
            f.write("quit\n")
        os.rename(req + ".tmp", req)


def main(referee=Referee):
    """The command line of this referee and of the arm64 one (referee is
    its Referee class): PASS/FAIL lines, 1 when it could not work."""
    if len(sys.argv) != 4:
        print(f"usage: {os.path.basename(sys.argv[0])} QMP_SOCKET OUTDIR PREFIX", file=sys.stderr)
        return 2
    ref = None
    try:
        ref = referee(*sys.argv[1:])
        ref.run()
    except (Fatal, OSError, ValueError) as e:
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
