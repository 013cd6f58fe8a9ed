#!/bin/bash
# tests/t_report_gen.sh - the report renderer (reports/gen.sh + gen.awk) on
# a fixed set of analyzer tables, host only, no guest and no figures.
#
# tests/golden/report/ holds a hand-made report directory (meta.txt,
# summary.csv with runs != largest_run and other columns apart, sizes
# measured out of order, comparisons that ran on no page (n/a), reuse.csv,
# findings.csv, refusals by ptwalk and by the kernel, two-context walks,
# times) and the report.md and report.tex rendered from it, checked by
# hand.  Both must come out byte for byte; and, independent of that golden
# text, a Python reference written from analyze/README.md's definitions
# re-derives every findings.csv cell from summary.csv and reuse.csv, and
# every number the findings, the refusals, the tables and the run line
# print from its source cell, and each must be the number printed.  The
# same reference then runs on what analyze itself writes from its fixture
# tests/golden/analyze/exp.csv, and the report rendered from that.  Last,
# make report's SIZES check (reports/sizes.sh): README's
# list form and FROM:TO pass, anything else is refused before a build.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden/report

if ! command -v awk >/dev/null; then
	skip "report renderer: no awk"
	exit 0
fi
d=$TMP/rdir
cp -r "$G" "$d"
rm -rf "$d/want"
if ! "$ROOT/reports/gen.sh" "$d" >"$TMP/gen.out" 2>&1; then
	fail "report renderer: reports/gen.sh exit non-zero: $(head -c 300 "$TMP/gen.out")"
	exit 0
fi
for f in report.md report.tex; do
	if diff -u "$G/want/$f" "$d/$f" >"$TMP/diff" 2>&1; then
		pass "report renderer: $f equals the golden one"
	else
		fail "report renderer: $f differs from the golden one: $(head -c 600 "$TMP/diff")"
	fi
done
check_eq "report renderer: quiet" "$(cat "$TMP/gen.out")" ""

# Tables stay inside the text width: pdflatex on the golden report finds no
# table (an alignment) more than 5 pt too wide.  The two-context and VMA
# tables of full 64-bit addresses ran 36 and 16 pt into the margin.
if command -v pdflatex >/dev/null; then
	if "$ROOT/reports/latex.sh" "$d" >"$TMP/latex.out" 2>&1; then
		check_eq "report renderer: no table wider than the text in report.pdf" \
			"$(awk '/^Overfull \\hbox \(.*pt too wide\) in alignment/ { w = $3; sub(/^\(/, "", w); sub(/pt$/, "", w); if (w + 0 > 5) print }' "$d/report.log")" ""
	else
		fail "report renderer: reports/latex.sh on the golden report: $(head -c 300 "$TMP/latex.out")"
	fi
else
	skip "report renderer: tables inside the text width: no pdflatex (make setup)"
fi

# The text's pointers to figures carry the number the Figures section gives
# the figure: with only fig3_contig and fig5_mismatch drawn (empty files
# stand for them), they are figures 1 and 2, in the text as in the captions.
f=$TMP/rfig
cp -r "$G" "$f"
rm -rf "$f/want"
mkdir -p "$f/fig"
for x in fig3_contig fig5_mismatch; do : >"$f/fig/$x.png"; : >"$f/fig/$x.pdf"; done
# and a plan that stopped vmalloc at its KMAX: the Method says whose limit that is
echo KMAX_BYTES=67108864 >>"$f/meta.txt"
if "$ROOT/reports/gen.sh" "$f" >/dev/null 2>&1; then
	check_eq "report renderer: the plan's KMAX named as the plan's limit, not the kernel's" \
		"$(grep -c "vmalloc and kvmalloc stop at 64 MiB, the plan's own limit (KMAX in meta.txt), not one of the kernel's" "$f/report.md")" 1
	check_eq "report renderer: figure pointers in the text, with the captions' numbers" \
		"$(grep -o 'Figure [0-9]* draws contiguity\|(Figure [0-9]* draws the share\|^\*Figure [0-9]*: [A-Z][a-z]*' "$f/report.md" | tr '\n' '|')" \
		"(Figure 2 draws the share|Figure 1 draws contiguity|*Figure 1: Contiguity|*Figure 2: Kernel|"
else
	fail "report renderer: gen.sh with two figures drawn exit non-zero"
fi

if ! command -v python3 >/dev/null; then
	skip "report renderer numbers against their source cells: no python3"
	exit 0
fi
# The reference, REF RDIR: one line per check, "ok NAME" or "bad NAME: why".
# The data/ files are optional (an analyzer's output directory has none).
cat >"$TMP/ref.py" <<'EOF'
import csv, math, os, sys
rdir = sys.argv[1]
md = open(rdir + "/report.md").read().split("\n")
rows = lambda f: list(csv.DictReader(open(rdir + f))) if os.path.exists(rdir + f) else []
S = rows("/summary.csv")
FD = rows("/findings.csv")
U = rows("/reuse.csv")
F = rows("/data/failures.csv")
X = rows("/data/twoctx.csv")
WK = rows("/walks.csv")
V2 = rows("/v2p.csv")
LV = rows("/leaves.csv")
OV = rows("/overview.csv")
T = dict(l.strip().split("=", 1) for l in open(rdir + "/data/times.txt") if "=" in l) if os.path.exists(rdir + "/data/times.txt") else {}

def human(b):
    for unit, n in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= n and b % n == 0:
            return "%d %s" % (b // n, unit)
    return "%d B" % b

def report(name, got, want):
    print(("ok %s" if got == want else "bad %s: printed %r, from the tables %r") % ((name,) if got == want else (name, got, want)))

order = "malloc4k block thp hugetlb kmalloc vmalloc kvmalloc alloc_pages pidwalk".split()
findings = [l[2:] for l in md if l.startswith("- ")]
# findings.csv's row of allocator a, re-derived from summary.csv and
# reuse.csv by analyze/README.md's definitions (sizes sorted, whatever
# order they were measured in).
def derive(a):
    G = [r for r in S if r["allocator"] == a]
    sizes = sorted(set(int(r["size_bytes"]) for r in G))
    full = lambda r: r["runs"] == "1" and r["present"] == r["pages"]
    upto, allfull = 0, 1
    for s in sizes:
        if not all(full(r) for r in G if int(r["size_bytes"]) == s):
            allfull = 0
            break
        upto = s
    last = [r for r in G if int(r["size_bytes"]) == sizes[-1]]
    n = len(last)
    lr = [int(r["largest_run"]) for r in last]
    P = sum(int(r["present"]) for r in G)
    R = sum(int(r["runs"]) for r in G)
    sm = lambda k: sum(int(r[k]) for r in G)
    Ru = [u for u in U if u["allocator"] == a]
    return {"source": G[0]["source"], "allocator": a, "groups": str(len(G)), "sizes": str(len(sizes)),
            "size_min": str(sizes[0]), "size_max": str(sizes[-1]), "one_run_groups": str(sum(map(full, G))),
            "contiguous_upto": str(upto), "contiguous_all": str(allfull), "max_samples": str(n),
            "max_mean_run": "%.3f" % (sum(float(r["mean_run"]) for r in last) / n),
            "max_contiguity": "%.6f" % (sum(float(r["contiguity"]) for r in last) / n),
            "max_contiguity_any": "%.6f" % (sum(float(r["contiguity_any"]) for r in last) / n),
            "max_largest_run_min": str(min(lr)), "max_largest_run_max": str(max(lr)),
            "max_frames_2m": "%.1f" % (sum(float(r["frames_2m"]) for r in last) / n),
            "max_pages": "%.0f" % (sum(float(r["pages"]) for r in last) / n),
            "all_mean_run": "%.3f" % (P / R if R else 0),
            "v2p_mismatch": str(sm("v2p_mismatch")), "v2p_checked": str(sm("v2p_checked")),
            "walk_mismatch": str(sm("walk_mismatch")), "walk_checked": str(sm("walk_checked")),
            "reuse_groups": str(len(Ru)), "reuse_shared": str(sum(int(u["shared_frames"]) for u in Ru)),
            "reuse_frames": str(sum(int(u["frames"]) for u in Ru)),
            "leaf_pte": str(sm("leaf_pte")), "leaf_pmd": str(sm("leaf_pmd")), "leaf_pud": str(sm("leaf_pud")),
            "v2p_pct": "%.2f" % (100.0 * sm("v2p_mismatch") / sm("v2p_checked")) if sm("v2p_checked") else ""}
seen = []
for r in S:
    if r["allocator"] not in seen:
        seen.append(r["allocator"])
report("findings.csv: its allocators, in first-seen order", [f["allocator"] for f in FD], seen)
for a in order:
    if not any(r["allocator"] == a for r in S):
        continue
    d = derive(a)
    fd = [f for f in FD if f["allocator"] == a]
    bad = sorted(k for k in d if not fd or fd[0].get(k) != d[k])
    report("findings.csv %s: every cell re-derived from summary.csv and reuse.csv" % a,
           ["%s=%s" % (k, fd[0].get(k) if fd else None) for k in bad], ["%s=%s" % (k, d[k]) for k in bad])
    src = d["source"]
    lr = d["max_largest_run_min"] if d["max_largest_run_min"] == d["max_largest_run_max"] else d["max_largest_run_min"] + "-" + d["max_largest_run_max"]
    sizes = human(int(d["size_min"])) + ("" if d["size_min"] == d["size_max"] else " to " + human(int(d["size_max"])))
    s = "**%s** (%s, %s, %s experiment%s, sizes x samples): " % (a, src, sizes, d["groups"], "" if d["groups"] == "1" else "s")
    s += "%s of %s are one physically contiguous run; " % (d["one_run_groups"], d["groups"])
    if d["contiguous_upto"] == "0":
        s += "no size was contiguous in every sample"
    elif d["contiguous_all"] == "1":
        s += "every sample is contiguous up to the largest size measured, " + human(int(d["contiguous_upto"]))
    else:
        s += "every sample is contiguous up to %s, not beyond" % human(int(d["contiguous_upto"]))
    s += ". At %s (%s sample%s): mean run %s pages, contiguity %s (%s counting frames handed out in descending order too)" % (
        human(int(d["size_max"])), d["max_samples"], "" if d["max_samples"] == "1" else "s", d["max_mean_run"], d["max_contiguity"], d["max_contiguity_any"])
    s += ", largest run %s pages" % lr
    if float(d["max_frames_2m"]) > 0:
        s += ", %s distinct 2 MiB frames for %s pages" % (d["max_frames_2m"], d["max_pages"])
    s += ". Over all sizes: mean run %s pages; leaves: %s pte, %s pmd, %s pud." % (d["all_mean_run"], d["leaf_pte"], d["leaf_pmd"], d["leaf_pud"])
    if int(d["reuse_groups"]):
        s += " Repeated samples: %s of %s frames were also the previous sample's." % (d["reuse_shared"], d["reuse_frames"])
    V, VC, W, WC = (int(d[k]) for k in ("v2p_mismatch", "v2p_checked", "walk_mismatch", "walk_checked"))
    if src == "kernel":
        s += (" `virt_to_phys()` differed from the software walk on %d of %d pages compared (%.2f%%)" % (V, VC, 100.0 * V / VC)
              if VC else " `virt_to_phys()` was not compared with the software walk (n/a)")
        s += ("; the walk differed from `vmalloc_to_page()` on %d of %d pages compared." % (W, WC)
              if WC else "; the walk was not compared with `vmalloc_to_page()` (n/a: no page has both).")
    elif WC:
        s += " The walk differed from pagemap on %d of %d pages compared." % (W, WC)
    got = [f for f in findings if f.startswith("**%s** (%s, " % (a, src))]
    # The claim and its numbers, then why and what would change it
    # (reports/teach.awk's finding_why; its wording is in the golden text).
    report("finding %s" % a, got[0][:len(s)] if got else None, s)
    report("finding %s: why and what would change it" % a,
           bool(got) and got[0][len(s):].startswith(" **Why:** ") and " **What would change it:** " in got[0], True)
    # The ones the issue names: largest_run, not runs; mean run; counts.
    report("finding %s largest run (largest_run of %s)" % (a, human(int(d["size_max"]))),
           (got[0].split("largest run ")[1].split(" pages")[0] if got else None), lr)
for f in F:
    a, b = f["allocator"], int(f["size_bytes"])
    what = "order %d (%s)" % (round(math.log2(b / 4096)), human(b)) if a == "alloc_pages" else human(b)
    by = {"ptwalk": "by ptwalk's own check against %s = %s, before asking the kernel" % (f["limit_name"], f["limit_value"]),
          "kernel": "by the kernel%s: the allocator found no memory" % (" (%s)" % f["limit_name"] if f["limit_name"] else ""),
          "memalloc": "by memalloc's own check against %s" % f["limit_name"]}.get(f["refused_by"], "(who refused is not known)")
    want = "Refused %s: `%s` of %s in sample %s with %s (%s)." % (by, a, what, f["sample"], f["errno"], f["message"])
    # The refusal, then why and what would change it (teach.awk's refusal_why).
    report("refusal %s %s" % (a, b), any(l == want or l.startswith(want + " **Why:** ") for l in findings), True)
# The per-allocator tables: every cell of summary.csv, as it is.
rows, a = [], None
for l in md:
    if l.startswith("### "):
        a = l[4:]
    elif l.startswith("## "):
        a = ""
    elif a and l.startswith("| ") and l[2:3].isdigit():
        rows.append([a] + [c.strip() for c in l.strip("|").split("|")])
want = [[r["allocator"], human(int(r["size_bytes"])), r["size_bytes"], r["sample"], r["pages"], r["present"], r["runs"],
         r["largest_run"], r["mean_run"], r["contiguity"],
         r["v2p_mismatch"] if int(r["v2p_checked"]) else "n/a", r["walk_mismatch"] if int(r["walk_checked"]) else "n/a", r["frames_2m"]] for a in order
        for r in sorted((r for r in S if r["allocator"] == a), key=lambda r: (int(r["size_bytes"]), int(r["sample"])))]
report("tables: %d rows, every summary.csv cell" % len(want), rows, want)
# The table rows ("| ..." lines but the separator) of the section whose
# heading ("## " or "### ") is `title`, up to the next heading of its kind.
# Header rows (the line before a "|---" line) are left out.
def section_rows(title):
    out, on = [], False
    lvl = title.split(" ")[0] + " "
    for i, l in enumerate(md):
        if l.startswith(lvl) or l.startswith("## "):
            on = l == title
        elif on and l.startswith("| ") and not (i + 1 < len(md) and md[i + 1].startswith("|---")):
            out.append([c.strip() for c in l.strip("|").split("|")])
    return out
# Two contexts: the table's cells, as data/twoctx.csv has them.
# The user side: every pagemap.csv entry as printed, and the worked PA.
PM = list(csv.DictReader(open(rdir + "/pagemap.csv"))) if os.path.exists(rdir + "/pagemap.csv") else []
if PM:
    sec = section_rows("## The user side: /proc/PID/maps and /proc/PID/pagemap")
    got = [r for r in sec if len(r) == 11]
    vm, seen = [], set()
    for r in PM:
        if r["vma_start"] and (r["pid"], r["vma_start"]) not in seen:
            seen.add((r["pid"], r["vma_start"]))
            vm.append([r["pid"], r["vma_start"] + "-" + r["vma_end"], r["vma_perms"], r["vma_name"] or "(anonymous)",
                       str(sum(1 for x in PM if (x["pid"], x["vma_start"]) == (r["pid"], r["vma_start"])))])
    report("user side: the VMAs and their entry counts", [r for r in sec if len(r) == 5], vm)
    report("user side: every pagemap.csv entry", got,
           [[r["reader"], r["va"], (r["vma_name"] or "(anonymous)") if r["vma_start"] else "none (not mapped)", r["raw"], r["present"], r["swapped"], r["file_shared"],
             r["exclusive"], r["soft_dirty"], "0 (hidden)" if r["pfn_hidden"] == "1" else r["pfn"] or "none", r["pa"] or "none"] for r in PM])
    w = [r for r in PM if r["pa"] and r["offset"] != "0x000"][:1]
    for r in w:
        report("user side: PA = PFN x 4096 + offset, the arithmetic", r["pa"], hex(int(r["pfn"], 16) * 4096 + int(r["offset"], 16)))
        report("user side: the worked PA printed", any(("PA = PFN x 4096 + offset = %s x 4096 + %s = **%s**" % (r["pfn"], r["offset"], r["pa"])) in l for l in md), True)
tw = ["| " + " | ".join(r) + " |" for r in section_rows("## Two contexts, one kernel address")]
want = ["| %s | %s | %s | %s | %s | %s | %s | %s |" % (x["allocator"], x["sample"], x["pgd_slot"], x["pgd"], x["pud"], x["pmd"], x["pte"], x["pa_walk"]) for x in X]
report("two-context table: %d rows" % len(want), tw, want)
# Two contexts, the sentences: what is the same and what differs, as
# strings (hex addresses, never compared as numbers).
for a in sorted(set(x["allocator"] for x in X)):
    p = [x for x in X if x["allocator"] == a][:2]
    s = "**%s** (VA %s, pids %s and %s): the pgd slots %s; the pgd entries %s, the pud entries %s, the pmd entries %s, the pte entries %s, and the walk gives %s; `virt_to_phys()` %s." % (
        a, p[0]["va"], p[0]["sample"], p[1]["sample"],
        "are the same" if p[0]["pgd_slot"] == p[1]["pgd_slot"] else "differ",
        "hold the same value" if p[0]["pgd"] == p[1]["pgd"] else "differ",
        "are the same" if p[0]["pud"] == p[1]["pud"] else "differ",
        "are the same" if p[0]["pmd"] == p[1]["pmd"] else "differ",
        "are the same" if p[0]["pte"] == p[1]["pte"] else "differ",
        "the same physical address " + p[0]["pa_walk"] if p[0]["pa_walk"] == p[1]["pa_walk"] else "different physical addresses",
        "agrees with the walk" if p[0]["pa_v2p"] == p[0]["pa_walk"] else "gives %s, not the walk's address" % p[0]["pa_v2p"])
    got = [f for f in findings if f.startswith("**%s** (VA" % a)]
    report("two-context finding %s" % a, got[0] if got else None, s)
# The body's one table: overview.csv's cells, one row per size, a group
# of columns per allocator (user, then kernel; pidwalk in a sentence),
# rounded to three decimals; and overview.csv in full in the appendix
# (overview.csv itself is checked against summary.csv by
# tests/helpers/overview_ref.py below).
body = []
for src in ("user", "kernel"):
    A = [a for a in order if a != "pidwalk" and any(o["allocator"] == a and o["source"] == src for o in OV)]
    A += [a for a in dict.fromkeys(o["allocator"] for o in OV if o["source"] == src) if a not in A and a != "pidwalk"]
    if not A:
        continue
    C = {(o["allocator"], int(o["size_bytes"])): ["%.3f" % float(o["median_contiguity_any"]), o["largest_run"], o["leaf"],
         "%.3f" % float(o["reuse_share"]) if o["reuse_share"] else ""] for o in OV if o["source"] == src}
    for z in sorted(set(int(o["size_bytes"]) for o in OV if o["source"] == src and o["allocator"] in A)):
        body.append([human(z)] + sum((C.get((a, z), ["-"] * 4) for a in A), []))
report("size x allocator table: %d rows, overview.csv's cells by size" % len(body), section_rows("## Results: size x allocator"), body)
report("appendix: %d rows, every overview.csv cell" % len(OV), section_rows("## Appendix: size x allocator, overview.csv in full"),
       [[o["allocator"], o["source"], human(int(o["size_bytes"])), o["samples"], o["median_contiguity"], o["median_contiguity_any"],
         o["largest_run"], o["leaf"], o["reuse_share"]] for o in OV])
# memalloc's maps lines: vmas.csv's excerpt rows in the body, every row
# in the appendix.
VM = list(csv.DictReader(open(rdir + "/vmas.csv"))) if os.path.exists(rdir + "/vmas.csv") else []
if VM:
    vrow = lambda v: [v["allocator"], human(int(v["size_bytes"])), v["sample"], "%08x-%08x" % (int(v["va_start"], 16), int(v["va_end"], 16)),
                      "%08x-%08x" % (int(v["vma_start"], 16), int(v["vma_end"], 16)), v["perms"], v["name"] or "(anonymous)", v["vma_kib"], v["pages"]]
    report("maps excerpt: vmas.csv's excerpt rows", section_rows("### The VMA of each memalloc experiment"),
           [vrow(v) for v in VM if v["excerpt"] == "1"])
    report("appendix: every vmas.csv row", section_rows("## Appendix: the VMA of every memalloc experiment"), [vrow(v) for v in VM])
# The worked walks: one table per case, walks.csv's cells; the leaf's sum.
titles = {"kmalloc": "kmalloc: a direct-map address", "vmalloc": "vmalloc: the vmalloc area, 4 KiB pages",
          "kvmalloc_vmalloc": "kvmalloc's vmalloc fallback", "alloc_pages": "alloc_pages: a direct-map address",
          "user_4k": "A user 4 KiB page", "user_thp": "A user THP page", "direct_map_4k": "The direct map at a 4 KiB leaf",
          "direct_map_2m": "The direct map at a 2 MiB leaf", "direct_map_1g": "The direct map at a 1 GiB leaf"}
seen = set()
if not WK:
    report("walks: none in walks.csv, said so", any(l.startswith("No worked walk:") for l in md), True)
    titles = {}
for c in titles:
    L = [w for w in WK if w["case"] == c]
    if not L:
        report("walk %s: not walked, said so" % c, any(l.startswith("Not in this run's rows") and "`%s`" % c in l for l in md), True)
        continue
    k = tuple(L[0][x] for x in ("source", "allocator", "size_bytes", "sample", "page"))
    if k in seen:
        report("walk %s: the same page as an earlier walk, said so" % c, section_rows("### " + titles[c]), [])
        continue
    seen.add(k)
    want = [[w["level"], w["shift"], w["index"], w["entry_addr"], w["raw"], w["bits"],
             "= the pgd entry (folded)" if w["folded"] == "1" else w["next_pa"] + " table" if w["next_pa"]
             else w["frame"] + " leaf" if w["frame"] else "none: not present"] for w in L]
    report("walk %s: every walks.csv cell" % c, section_rows("### " + titles[c]), want)
    last = L[-1]
    if last["frame"]:
        report("walk %s: the leaf's sum" % c, any(l.startswith("PA = leaf frame %s + offset %s (va's low %s bits) = **%s**; the row's `pa` is %s: %s" % (
            last["frame"], last["offset"], last["shift"], last["pa"], last["row_pa"], "the same" if last["agrees"] == "1" else "they **differ**")) for l in md), True)
# virt_to_phys: the table and the vmalloc sentence, v2p.csv's cells.
if V2:
    report("v2p table: every v2p.csv row", section_rows("## Why virt_to_phys() is wrong for vmalloc"),
           [[v["allocator"], v["checked"], v["differ"], v["off_tib"] if int(v["differ"]) else "0 (agrees)"] for v in V2])
    for v in V2:
        if v["allocator"] == "vmalloc":
            want = "The first vmalloc page that differs: VA %s - %s = %s, which is what `virt_to_phys()` returned (%s); the walk gives %s. The answer is off by %s bytes, %s TiB" % (
                v["va"], v["page_offset_base"], v["va_minus_base"], v["pa_v2p"], v["pa_walk"], v["off_bytes"], v["off_tib"])
            report("v2p vmalloc sentence: v2p.csv's cells", any(want in l for l in md), True)
# Leaf levels: findings.csv's leaf counts and leaves.csv's rows.
if LV:
    report("leaf tables: findings.csv's leaf_* and every leaves.csv row", section_rows("## Leaf levels"),
           [[f["allocator"], f["source"], f["leaf_pte"], f["leaf_pmd"], f["leaf_pud"]] for f in FD] +
           [[x["allocator"], x["region"], x["level"], x["rows"], x["pa_min"], x["pa_max"]] for x in LV])
run = [l for l in md if l.startswith("Collection times")]
if T: report("run line: times.txt's seconds", run[0] if run else None,
       "Collection times in the guest (seconds): boot %s; user sweeps %s; kernel allocations %s; two-context walk %s; whole run %s." % (
           T["BOOT_S"], T["USER_S"], T["KERNEL_S"], T["TWOCTX_S"], T["TOTAL_S"]))
EOF
# ref LABEL RDIR: run the reference on RDIR, one PASS or FAIL per check.
ref() {
	local st=0 n
	python3 "$TMP/ref.py" "$2" >"$TMP/py.out" 2>&1 || st=$?
	sed -n "s/^ok /PASS $1: /p; s/^bad /FAIL $1: /p" "$TMP/py.out"
	n=$(grep -cE "^(ok|bad) " "$TMP/py.out")
	if [ "$st" != 0 ] || [ "$n" -lt 10 ]; then
		fail "$1: the Python reference failed (status $st, $n checks): $(grep -v '^ok ' "$TMP/py.out" | head -c 400)"
	fi
}
ref "report renderer numbers" "$d"
# The worked walks' decoded bits and addresses, against the raw values, by
# a decoder that shares no code with the one that wrote them.
python3 "$ROOT/tests/helpers/walks_ref.py" "$d/walks.csv" | sed 's/^\(PASS\|FAIL\) /\1 report fixture /'
check "report fixture: the kernel image's place as meta.txt has it" \
	grep -qF "The kernel image lies at $(sed -n 's/^KERNEL_IMAGE_PA=//p' "$d/meta.txt") (/proc/iomem)." "$d/report.md"
check "report fixture: overview.csv re-derived from its summary.csv and reuse.csv" \
	cmp -s <(python3 "$ROOT/tests/helpers/overview_ref.py" "$d") "$d/overview.csv"
# The same reference on what the analyzer itself writes (its fixture with
# every allocator, sizes out of order, repeated samples): its findings.csv
# cell by cell against its summary.csv and reuse.csv, and the report
# rendered from them.
if [ -x "$BIN/analyze" ]; then
	a=$TMP/adir
	mkdir -p "$a"
	cp "$G/meta.txt" "$a/"
	if ${WRAP:-} "$BIN/analyze" -q -o "$a" "$ROOT/tests/golden/analyze/exp.csv" >"$TMP/an.out" 2>&1 &&
		"$ROOT/reports/gen.sh" "$a" >"$TMP/gen.out" 2>&1; then
		ref "analyzer's findings.csv and its report" "$a"
	else
		fail "analyzer's findings.csv and its report: analyze or gen.sh failed: $(head -c 300 "$TMP/an.out" "$TMP/gen.out")"
	fi
else
	fail "analyzer's findings.csv and its report: $BIN/analyze missing"
fi

# make report's SIZES, checked on the host before anything is built or
# booted (reports/sizes.sh): README's list, FROM:TO, and what is neither.
S=$ROOT/reports/sizes.sh
export MEMALLOC=$BIN/memalloc
for v in "4K 64K 1M" "4K,64K,1M" "4K:256M" "4096 2M 1G"; do
	check "report SIZES '$v' accepted" env PTWALK_SIZES="$v" "$S"
done
check_err "report SIZES: bad size in a list" 2 "^make report: bad SIZES '4K 6x': '6x' is not a size" env PTWALK_SIZES="4K 6x" "$S"
check_err "report SIZES: FROM: without TO" 2 "^make report: bad SIZES '4K:': FROM and TO must both be sizes" env PTWALK_SIZES="4K:" "$S"
check_err "report SIZES: two colons" 2 "more than one ':'" env PTWALK_SIZES="4K:8K:16K" "$S"
check_err "report SIZES: spaces in FROM:TO" 2 "FROM:TO takes no spaces" env PTWALK_SIZES="4K : 8K" "$S"
check_err "report SIZES: zero" 2 "'0K' is zero" env PTWALK_SIZES="0K" "$S"
# The grammar is memalloc's (collect/size.c): 4KB is 4 KiB, a bare B is not.
check_err "report SIZES: a bare B" 2 "^make report: bad SIZES '4 4B': '4B' is not a size: unknown suffix" \
	env PTWALK_SIZES="4 4B" "$S"
check "report SIZES '4KB' accepted, as memalloc -m takes it" env PTWALK_SIZES="4KB" "$S"
check_err "report SIZES: FROM:TO not powers of two" 2 "^make report: bad SIZES '3K:8K': FROM and TO must be powers of two; want" \
	env PTWALK_SIZES="3K:8K" "$S"
# Wired into make report: refused before the build step, nothing made.
name=test-sizes-$$
st=0
env -u MAKEFLAGS -u MAKELEVEL make --no-print-directory -C "$ROOT" report "SIZES=4K 6x" REPORT_NAME=$name \
	>"$TMP/mk.out" 2>&1 || st=$?
if [ "$st" != 0 ] && grep -q "^make report: bad SIZES '4K 6x'" "$TMP/mk.out" &&
	! grep -q '^\[1/' "$TMP/mk.out" && [ ! -e "$ROOT/reports/$name" ]; then
	pass "make report SIZES='4K 6x': refused before building or booting (exit $st)"
else
	fail "make report SIZES='4K 6x': exit $st, $(head -c 300 "$TMP/mk.out")"
	rm -rf "${ROOT:?}/reports/$name"
fi
