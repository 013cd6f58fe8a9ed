#!/bin/bash
# tests/t_report_gen.sh - the report renderer (reports/gen.sh + gen.awk) on
# a fixed set of analyzer tables, host only, no guest and no figures.
#
# tests/golden/report/ holds a hand-made report directory (meta.txt,
# summary.csv with runs != largest_run and other columns apart, refusals,
# two-context walks, times) and the report.md and report.tex rendered from
# it, checked by hand.  Both must come out byte for byte; and, independent
# of that golden text, every number the findings, the refusals, the tables
# and the run line print is recomputed from its source cell by a Python
# reference written from README.md's definitions, and must be the number
# printed.  Last, make report's SIZES check (reports/sizes.sh): README's
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

if ! command -v python3 >/dev/null; then
	skip "report renderer numbers against their source cells: no python3"
	exit 0
fi
# One line per check: "ok NAME" or "bad NAME: why".
python3 - "$d" >"$TMP/py.out" 2>&1 <<'EOF'
import csv, math, sys
rdir = sys.argv[1]
md = open(rdir + "/report.md").read().split("\n")
S = list(csv.DictReader(open(rdir + "/summary.csv")))
F = list(csv.DictReader(open(rdir + "/data/failures.csv")))
X = list(csv.DictReader(open(rdir + "/data/twoctx.csv")))
T = dict(l.strip().split("=", 1) for l in open(rdir + "/data/times.txt") if "=" in l)

def human(b):
    for unit, n in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= n and b % n == 0:
            return "%d %s" % (b // n, unit)
    return "%d B" % b

def report(name, got, want):
    print(("ok %s" if got == want else "bad %s: printed %r, from the tables %r") % ((name,) if got == want else (name, got, want)))

order = "malloc4k block thp hugetlb kmalloc vmalloc kvmalloc alloc_pages pidwalk".split()
findings = [l[2:] for l in md if l.startswith("- ")]
for a in order:
    G = [r for r in S if r["allocator"] == a]
    if not G:
        continue
    src = G[-1]["source"]
    sizes = []
    for r in G:
        if int(r["size_bytes"]) not in sizes:
            sizes.append(int(r["size_bytes"]))
    full = [r["runs"] == "1" and r["present"] == r["pages"] for r in G]
    upto, broke = None, False
    for s in sizes:
        if any(not f for r, f in zip(G, full) if int(r["size_bytes"]) == s):
            broke = True
            break
        upto = s
    last = [r for r in G if int(r["size_bytes"]) == sizes[-1]]
    nl = len(last)
    lr = [int(r["largest_run"]) for r in last]
    P = sum(int(r["present"]) for r in G)
    R = sum(int(r["runs"]) for r in G)
    V = sum(int(r["v2p_mismatch"]) for r in G)
    W = sum(int(r["walk_mismatch"]) for r in G)
    mr = ct = fr = pg = 0.0
    for r in last:
        mr += float(r["mean_run"]); ct += float(r["contiguity"])
        fr += float(r["frames_2m"]); pg += float(r["pages"])
    s = "**%s** (%s, %s to %s, %d experiments, sizes x samples): " % (a, src, human(sizes[0]), human(sizes[-1]), len(G))
    s += "%d of %d are one physically contiguous run; " % (sum(full), len(G))
    if upto is None:
        s += "no size was contiguous in every sample"
    elif not broke:
        s += "every sample is contiguous up to the largest size measured, " + human(upto)
    else:
        s += "every sample is contiguous up to %s, not beyond" % human(upto)
    s += ". At %s (%d sample%s): mean run %.3f pages, contiguity %.6f" % (human(sizes[-1]), nl, "" if nl == 1 else "s", mr / nl, ct / nl)
    s += ", largest run %s pages" % (str(min(lr)) if min(lr) == max(lr) else "%d-%d" % (min(lr), max(lr)))
    if fr > 0:
        s += ", %.1f distinct 2 MiB frames for %.0f pages" % (fr / nl, pg / nl)
    s += ". Over all sizes: mean run %.3f pages." % (P / R if R else 0)
    if src == "kernel":
        s += " `virt_to_phys()` differed from the software walk on %d of %d present pages (%s); the walk differed from `vmalloc_to_page()` on %d." % (
            V, P, "%.2f%%" % (100.0 * V / P) if P else "n/a", W)
    elif W:
        s += " The walk differed from pagemap on %d pages." % W
    got = [f for f in findings if f.startswith("**%s**" % a)]
    report("finding %s" % a, got[0] if got else None, s)
    # The ones the issue names: largest_run, not runs; mean run; counts.
    report("finding %s largest run (largest_run of %s)" % (a, human(sizes[-1])),
           (got[0].split("largest run ")[1].split(" pages")[0] if got else None),
           str(min(lr)) if min(lr) == max(lr) else "%d-%d" % (min(lr), max(lr)))
for f in F:
    a, b = f["allocator"], int(f["size_bytes"])
    what = "order %d (%s)" % (round(math.log2(b / 4096)), human(b)) if a == "alloc_pages" else human(b)
    want = "Refused: `%s` of %s in sample %s with %s (%s)." % (a, what, f["sample"], f["errno"], f["message"])
    report("refusal %s %s" % (a, b), want in findings, True)
# The per-allocator tables: every cell of summary.csv, as it is.
rows, a = [], None
for l in md:
    if l.startswith("### "):
        a = l[4:]
    elif a and l.startswith("| ") and l[2:3].isdigit():
        rows.append([a] + [c.strip() for c in l.strip("|").split("|")])
want = [[r["allocator"], human(int(r["size_bytes"])), r["size_bytes"], r["sample"], r["pages"], r["present"], r["runs"],
         r["largest_run"], r["mean_run"], r["contiguity"], r["v2p_mismatch"], r["walk_mismatch"], r["frames_2m"]] for a in order for r in S if r["allocator"] == a]
report("tables: %d rows, every summary.csv cell" % len(want), rows, want)
# Two contexts: the table's cells, as data/twoctx.csv has them.
tw = [l for l in md if l.startswith("| kmalloc |") or l.startswith("| vmalloc |")]
want = ["| %s | %s | %s | %s | %s | %s | %s |" % (x["allocator"], x["sample"], x["pgd_slot"], x["pgd"], x["pud"], x["pa_walk"], x["pa_v2p"]) for x in X]
report("two-context table: %d rows" % len(want), tw, want)
# Two contexts, the sentences: what is the same and what differs, as
# strings (hex addresses, never compared as numbers).
for a in sorted(set(x["allocator"] for x in X)):
    p = [x for x in X if x["allocator"] == a][:2]
    s = "**%s** (VA %s, pids %s and %s): the pgd slots %s; the pgd entries %s, the pud entries %s, and the walk gives %s; `virt_to_phys()` %s." % (
        a, p[0]["va"], p[0]["sample"], p[1]["sample"],
        "are the same" if p[0]["pgd_slot"] == p[1]["pgd_slot"] else "differ",
        "hold the same value" if p[0]["pgd"] == p[1]["pgd"] else "differ",
        "are the same" if p[0]["pud"] == p[1]["pud"] else "differ",
        "the same physical address " + p[0]["pa_walk"] if p[0]["pa_walk"] == p[1]["pa_walk"] else "different physical addresses",
        "agrees with the walk" if p[0]["pa_v2p"] == p[0]["pa_walk"] else "gives %s, not the walk's address" % p[0]["pa_v2p"])
    got = [f for f in findings if f.startswith("**%s** (VA" % a)]
    report("two-context finding %s" % a, got[0] if got else None, s)
run = [l for l in md if l.startswith("Collection times")]
report("run line: times.txt's seconds", run[0] if run else None,
       "Collection times in the guest (seconds): boot %s; user sweeps %s; kernel allocations %s; two-context walk %s; whole run %s." % (
           T["BOOT_S"], T["USER_S"], T["KERNEL_S"], T["TWOCTX_S"], T["TOTAL_S"]))
EOF
st=$?
sed -n 's/^ok /PASS report renderer numbers: /p; s/^bad /FAIL report renderer numbers: /p' "$TMP/py.out"
n=$(grep -cE "^(ok|bad) " "$TMP/py.out")
if [ "$st" != 0 ] || [ "$n" -lt 10 ]; then
	fail "report renderer numbers: the Python reference failed (status $st, $n checks): $(grep -v '^ok ' "$TMP/py.out" | head -c 400)"
fi

# make report's SIZES, checked on the host before anything is built or
# booted (reports/sizes.sh): README's list, FROM:TO, and what is neither.
S=$ROOT/reports/sizes.sh
for v in "4K 64K 1M" "4K,64K,1M" "4K:256M" "4096 2M 1G"; do
	check "report SIZES '$v' accepted" env PTWALK_SIZES="$v" "$S"
done
check_err "report SIZES: bad size in a list" 2 "^make report: bad SIZES '4K 6x': '6x' is not a size" env PTWALK_SIZES="4K 6x" "$S"
check_err "report SIZES: FROM: without TO" 2 "^make report: bad SIZES '4K:': FROM and TO must both be sizes" env PTWALK_SIZES="4K:" "$S"
check_err "report SIZES: two colons" 2 "more than one ':'" env PTWALK_SIZES="4K:8K:16K" "$S"
check_err "report SIZES: spaces in FROM:TO" 2 "FROM:TO takes no spaces" env PTWALK_SIZES="4K : 8K" "$S"
check_err "report SIZES: zero" 2 "'0K' is zero" env PTWALK_SIZES="0K" "$S"
check_err "report SIZES: a unit with B" 2 "'4KB' is not a size" env PTWALK_SIZES="4KB" "$S"
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
