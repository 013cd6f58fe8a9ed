#!/bin/bash
# tests/t_frag_section.sh - the report's Fragmentation section
# (reports/frag_section.sh) on fixed data, host only.
#
# tests/golden/frag/data/ holds three phases of a guest's data: the fresh
# and fragmented buddyinfo snapshots and debugfs extfrag files are the
# guest's own (as in tests/golden/analyze), "released" is hand-made with
# its extfrag files printed by `analyze -p`; allocs.PHASE.csv and small
# user.PHASE.csv are hand-made.  The section is rendered twice, with the
# analyzer's tables given, and with none (the section runs the analyzer
# itself; the debugfs extfrag files stay in the data, unused): both must
# equal the golden frag.md and frag.tex.  Then a Python reference
# recomputes every cell of the table and every number of the findings
# from the data files, and each must be what the section prints.  The
# analyzer's fragphase.csv, which the section picks its sums from, has a
# golden file and a tie case of its own.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden/frag

if [ ! -x "$BIN/analyze" ]; then
	fail "frag section: $BIN/analyze missing"
	exit 0
fi
for src in analyzer self; do
	d=$TMP/$src
	mkdir -p "$d/an"
	cp -r "$G/data" "$d/data"
	# Compaction counters and pagetypeinfo: another frag check's (the
	# analyzer's own test data), in the order they were taken.
	for p in fresh fragmented released; do
		cp "$ROOT/tests/golden/compact/data/vmstat.$p.txt" "$ROOT/tests/golden/compact/data/pagetypeinfo.$p.txt" "$d/data/"
	done
	$BIN/analyze -q -o "$d/an" "$d"/data/vmstat.fresh.txt "$d"/data/vmstat.fragmented.txt \
		"$d"/data/vmstat.released.txt "$d"/data/pagetypeinfo.*.txt >/dev/null
	if [ $src = analyzer ]; then
		$BIN/analyze -q -o "$d/an" "$d"/data/buddyinfo.*.txt "$d"/data/allocs.*.csv >/dev/null
		rm -f "$d"/data/extfrag_*
	fi
	if ! ANALYZE=$BIN/analyze "$ROOT/reports/frag_section.sh" "$d/data" "$d/an" "$d/frag" 2>"$TMP/err"; then
		fail "frag section ($src tables): exit non-zero: $(head -c 300 "$TMP/err")"
		continue
	fi
	check_eq "frag section ($src tables): quiet" "$(cat "$TMP/err")" ""
	for f in frag.md frag.tex; do
		if diff -u "$G/want/$f" "$d/$f" >"$TMP/diff"; then
			pass "frag section ($src tables): $f equals the golden one"
		else
			fail "frag section ($src tables): $f differs: $(head -c 500 "$TMP/diff")"
		fi
	done
done

# fragphase.csv, the per-snapshot sums the section picks: golden, and
# the largest zone on a tie is the first one listed.
$BIN/analyze -q -o "$TMP/fp" "$G"/data/buddyinfo.fresh.txt "$G"/data/buddyinfo.fragmented.txt \
	"$G"/data/buddyinfo.released.txt >/dev/null
check "frag section: fragphase.csv equals the golden one" cmp -s "$G/want/fragphase.csv" "$TMP/fp/fragphase.csv"
printf 'Node 0, zone      DMA      2      1      0\nNode 0, zone    DMA32      0      0      1\nNode 1, zone   Normal      4      0      0\n' \
	>"$TMP/buddyinfo.tie.txt"
$BIN/analyze -q -o "$TMP/tie" "$TMP/buddyinfo.tie.txt" >/dev/null
check_eq "frag section: fragphase.csv on a tie, small orders" "$(sed -n 2p "$TMP/tie/fragphase.csv")" \
	"tie,3,12,0,2,2,1,0,DMA,4"

if ! command -v python3 >/dev/null; then
	skip "frag section numbers against the data: no python3"
	exit 0
fi
python3 - "$TMP/self/data" "$TMP/self/frag.md" >"$TMP/py.out" 2>&1 <<'EOF'
import csv, sys
data, mdfile = sys.argv[1], sys.argv[2]
md = open(mdfile).read().split("\n")
phases = ["fresh", "fragmented", "released"]

def report(name, got, want):
    if got == want:
        print("ok %s" % name)
    else:
        print("bad %s: printed %r, from the data %r" % (name, got, want))

def buddy(p):
    return [l.split() for l in open("%s/buddyinfo.%s.txt" % (data, p)) if "zone" in l]

def mib(b):
    return ("%g MiB" % (b / 1048576)) if b >= 1048576 else ("%g KiB" % (b / 1024))

# The zone with the most free pages in the first phase, and order 9.
zone = max(buddy("fresh"), key=lambda z: sum(int(c) << i for i, c in enumerate(z[4:])))[3]
o = 9
rows = {}
for l in md:
    if l.startswith("| ") and not l.startswith("| measure"):
        c = [x.strip() for x in l.strip("|").split("|")]
        rows[c[0]] = c[1:]
want = {}
for p in phases:
    B = buddy(p)
    free = sum(int(c) << i for z in B for i, c in enumerate(z[4:]))
    want.setdefault("free memory (all zones)", []).append("%d MiB" % (free * 4 // 1024))
    want.setdefault("free blocks of order >= 9 (all zones)", []).append(str(sum(int(c) for z in B for c in z[4 + o:])))
    for kind, name in (("unusable", "unusable index"), ("index", "fragmentation index")):
        f = "%s/extfrag_%s.%s.txt" % (data, kind, p)
        v = [l.split()[4 + o] for l in open(f) if l.split()[3] == zone]
        want.setdefault("%s, order %d, %s" % (name, o, zone), []).append(v[0])
    A = list(csv.DictReader(open("%s/allocs.%s.csv" % (data, p)))) if p != "released" else None
    for al, label in (("kmalloc", "largest kmalloc that succeeded"), ("vmalloc", "largest vmalloc that succeeded"),
                      ("alloc_pages", "largest alloc_pages that succeeded")):
        if A is None:
            want.setdefault(label, []).append("not measured"); continue
        ok = [r for r in A if r["allocator"] == al and r["ok"] == "1"]
        bad = [r for r in A if r["allocator"] == al and r["ok"] == "0"]
        best = max(ok, key=lambda r: int(r["order"]))
        s = mib(int(best["size_bytes"])) + ("" if al == "vmalloc" else " (order %s)" % best["order"])
        if not bad:
            s += ", all succeeded"
        elif al == "vmalloc":
            s += "; failed at %s %s" % (mib(4096 << int(bad[0]["order"])), bad[0]["errno"])
        else:
            s += "; failed at order %s (%s)" % (bad[0]["order"], bad[0]["errno"])
        want.setdefault(label, []).append(s)
    try:
        U = list(csv.DictReader(open("%s/user.%s.csv" % (data, p))))
    except FileNotFoundError:
        U = None
    if U is None:
        want.setdefault("user block (memalloc -b 1G)", []).append("not measured")
        want.setdefault("user THP (memalloc -b thp)", []).append("not measured")
        continue
    b = [int(r["pa"], 16) // 4096 for r in U if r["allocator"] == "block"]
    pairs = sum(1 for i in range(1, len(b)) if b[i] == b[i - 1] + 1)
    runs, run, lr = len(b) - pairs, 1, 1
    for i in range(1, len(b)):
        run = run + 1 if b[i] == b[i - 1] + 1 else 1
        lr = max(lr, run)
    size = int([r for r in U if r["allocator"] == "block"][0]["size_bytes"])
    want.setdefault("user block (memalloc -b 1G)", []).append(
        "contiguity %.6f, largest run %d pages, %d runs (%s)" % (pairs / (len(b) - 1), lr, runs, mib(size)))
    t = [r for r in U if r["allocator"] == "thp"]
    nt = sum(1 for r in t if "thp" in r["flags"].split("|"))
    want.setdefault("user THP (memalloc -b thp)", []).append(
        "%d of %d pages in THPs (%.1f%%, %s)" % (nt, len(t), 100 * nt / len(t), mib(int(t[0]["size_bytes"]))))
# Compaction: each vmstat counter less the snapshot before's; pageblocks
# and free blocks of order >= 9 per migrate type from pagetypeinfo.
prev = None
for p in phases:
    v = dict(l.split() for l in open("%s/vmstat.%s.txt" % (data, p)))
    k = "direct compactions since the snapshot before"
    if prev is None:
        want.setdefault(k, []).append("first snapshot")
    else:
        d = lambda c: int(v[c]) - int(prev[1][c])
        want.setdefault(k, []).append("%d (%d succeeded, %d failed) since %s" % (
            d("compact_stall"), d("compact_success"), d("compact_fail"), prev[0]))
    prev = (p, v)
    free, blocks = {}, {}
    lines = open("%s/pagetypeinfo.%s.txt" % (data, p)).read().split("\n")
    for l in lines:
        w = l.replace(",", " ").split()
        if len(w) > 6 and w[0] == "Node" and w[2] == "zone" and w[4] == "type" and w[3] == zone:
            free[w[5]] = sum(int(c.lstrip(">")) for c in w[6 + 9:])
        if l.startswith("Number of blocks type"):
            types = l.split()[4:]
        elif len(w) > 3 and w[0] == "Node" and w[4] != "type" and w[3] == zone and "types" in dir():
            blocks.update(zip(types, w[4:]))
            del types
    want.setdefault("pageblocks by migrate type, %s" % zone, []).append(
        ", ".join("%s %s" % (t, n) for t, n in blocks.items() if n != "0"))
    want.setdefault("free blocks of order >= pageblock order by migrate type, %s" % zone, []).append(
        ", ".join("%s %d" % (t, n) for t, n in free.items() if n) or "none")
for k, v in want.items():
    report("table: %s" % k, rows.get(k), v)
report("table: nothing else", sorted(rows), sorted(want))
# The findings sentence, from the same numbers.
W = {k: dict(zip(phases, v)) for k, v in want.items()}
u = W["unusable index, order 9, %s" % zone]
f = ("Fragmenting moved the unusable free space index at order 9 in %s from %s to %s: %.1f%% of the free memory could not serve a 2 MiB request, against %.1f%% fresh. "
     % (zone, u["fresh"], u["fragmented"], 100 * float(u["fragmented"]), 100 * float(u["fresh"])))
h = W["free blocks of order >= 9 (all zones)"]
f += "Free blocks of order 9 or more went from %s to %s while %s stayed free. " % (h["fresh"], h["fragmented"], W["free memory (all zones)"]["fragmented"])
ap = W["largest alloc_pages that succeeded"]; km = W["largest kmalloc that succeeded"]
order = lambda s: s.split("(order ")[1].split(")")[0]
f += "The largest alloc_pages order that succeeded was %s fresh and %s fragmented; for kmalloc %s fresh and %s fragmented. " % (
    order(ap["fresh"]), order(ap["fragmented"]), order(km["fresh"]), order(km["fragmented"]))
bl = W["user block (memalloc -b 1G)"]
cont = lambda s: s.split("contiguity ")[1].split(",")[0]
lrun = lambda s: s.split("largest run ")[1].split(" ")[0]
f += "A %s user block had contiguity %s fresh and %s fragmented (largest run %s and %s pages): the allocator hands out the smallest free blocks first, here the frames given back. " % (
    bl["fresh"].split("(")[1].rstrip(")"), cont(bl["fresh"]), cont(bl["fragmented"]), lrun(bl["fresh"]), lrun(bl["fragmented"]))
th = W["user THP (memalloc -b thp)"]
pc = lambda s: s.split("(")[1].split("%")[0]
f += "THP backed %s%% of a %s madvised block fresh and %s%% fragmented. " % (pc(th["fresh"]), th["fresh"].split(", ")[1].rstrip(")"), pc(th["fragmented"]))
c = W["direct compactions since the snapshot before"]["fragmented"]
f += "Between the %s and fragmented snapshots the kernel stalled %s times to compact memory for an allocation (%s succeeded, %s failed; /proc/vmstat). " % (
    c.split(" since ")[1], c.split(" ")[0], c.split("(")[1].split(" ")[0], c.split(", ")[1].split(" ")[0])
fh = W["free blocks of order >= pageblock order by migrate type, %s" % zone]
f += "By migrate type (/proc/pagetypeinfo), the free blocks of pageblock order or more in %s were %s fresh and %s fragmented. " % (
    zone, fh["fresh"], fh["fragmented"])
# The findings are items under "### Findings": each a claim (the numbers
# above), then its mechanism and what would change it.
items = [l[2:] for l in md[md.index("### Findings"):] if l.startswith("- ")] if "### Findings" in md else []
report("findings: every number", "".join(i.split(" **Why:** ")[0] + " " for i in items) if items else None, f)
report("findings: %d items, each with **Why:** and **What would change it:**" % len(items),
       [i for i in items if not (" **Why:** " in i and " **What would change it:** " in i.split(" **Why:** ")[1])], [])
EOF
st=$?
sed -n 's/^ok /PASS frag section numbers: /p; s/^bad /FAIL frag section numbers: /p' "$TMP/py.out"
n=$(grep -cE '^(ok|bad) ' "$TMP/py.out")
if [ "$st" != 0 ] || [ "$n" -lt 10 ]; then
	fail "frag section numbers: the Python reference failed (status $st, $n checks): $(grep -vE '^(ok|bad) ' "$TMP/py.out" | head -c 400)"
fi
