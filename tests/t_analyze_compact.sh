#!/bin/bash
# tests/t_analyze_compact.sh - compact.csv and pageblocks.csv (analyze/compact.c)
# from /proc/vmstat and /proc/pagetypeinfo snapshots.
#
# tests/golden/compact/data/: the fresh, fragmented and released
# snapshots of a guest's frag check (Debian 6.1; vmstat cut to the
# counters the table reads and pgfault, pagetypeinfo whole: its
# fragmented Movable order-0 count is the kernel's ">100000"), and two
# hand-made ones: vmstat.reboot.txt (counters lower than the snapshot
# before: no change is given) and pagetypeinfo.mixed.txt (two nodes, a
# capped count, a "Number of mixed blocks" section that is not pageblocks).
# The tables must equal the golden ones; then a Python reference that
# shares no code with the analyzer recomputes every cell; then bad input
# gets one line naming the file and line.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden/compact
IN="$G/data/vmstat.fresh.txt $G/data/vmstat.fragmented.txt $G/data/vmstat.released.txt
$G/data/vmstat.reboot.txt $G/data/pagetypeinfo.fresh.txt $G/data/pagetypeinfo.fragmented.txt
$G/data/pagetypeinfo.released.txt $G/data/pagetypeinfo.mixed.txt"

if [ ! -x "$BIN/analyze" ]; then
	fail "analyze compact: $BIN/analyze missing"
	exit 0
fi
# shellcheck disable=SC2086 # one word per file
if ! "$BIN/analyze" -q -o "$TMP/out" $IN 2>"$TMP/err"; then
	fail "analyze compact: exit non-zero: $(head -c 300 "$TMP/err")"
	exit 0
fi
for f in compact.csv pageblocks.csv; do
	if diff -u "$G/want/$f" "$TMP/out/$f" >"$TMP/diff"; then
		pass "analyze compact golden $f"
	else
		fail "analyze compact golden $f: $(head -c 600 "$TMP/diff")"
	fi
	check_eq "analyze compact: $f header is --schema's" \
		"$(head -n 1 "$TMP/out/$f")" "$("$BIN/analyze" --schema="$f")"
done
check_eq "analyze compact: no samples table without samples" \
	"$(ls "$TMP/out" | tr '\n' ' ')" "compact.csv pageblocks.csv "

if command -v python3 >/dev/null; then
	# shellcheck disable=SC2086
	python3 - "$TMP/out" $IN <<'EOF'
import csv, os, re, sys
out, inputs = sys.argv[1], sys.argv[2:]
C = ["compact_stall", "compact_success", "compact_fail", "compact_migrate_scanned",
     "compact_free_scanned", "compact_daemon_wake", "thp_collapse_alloc"]

def report(name, got, want):
    print(("PASS %s" % name) if got == want else "FAIL %s: analyze %r, reference %r" % (name, got, want))

# compact.csv: counters, and their change since the vmstat before (none
# at all when one of them went down: another boot).
want, prev = [], None
for f in inputs:
    b = os.path.basename(f)
    if not b.startswith("vmstat."):
        continue
    v = dict(l.split() for l in open(f) if l.strip())
    row = {"phase": b[len("vmstat."):-len(".txt")], "prev_phase": prev[0] if prev else ""}
    for c in C:
        row[c] = v.get(c, "")
    down = prev is not None and any(c in v and c in prev[1] and int(v[c]) < int(prev[1][c]) for c in C)
    for c in C:
        ok = prev is not None and not down and c in v and c in prev[1]
        row["d_" + c] = str(int(v[c]) - int(prev[1][c])) if ok else ""
    want.append(row)
    prev = (row["phase"], v)
got = list(csv.DictReader(open(out + "/compact.csv")))
report("analyze compact: compact.csv rows re-derived from the vmstat files", got, want)

# pageblocks.csv: per (phase, node, zone, type): pageblocks from the
# "Number of blocks type" section, free pages = sum count << order and
# free blocks of order >= pageblock order from the free lists.
want = []
for f in inputs:
    b = os.path.basename(f)
    if not b.startswith("pagetypeinfo."):
        continue
    phase = b[len("pagetypeinfo."):-len(".txt")]
    text = open(f).read()
    order = int(re.search(r"Page block order: (\d+)", text).group(1))
    free, order_zt, blocks = {}, [], {}
    section = None
    for l in text.split("\n"):
        if l.startswith("Number of blocks type"):
            section, types = "blocks", l.split()[4:]
            continue
        if l.startswith("Number of mixed"):
            section = "mixed"
            continue
        m = re.match(r"Node\s+(\d+), zone\s+(\w+), type\s+(\w+)\s+(.*)", l)
        if m and section is None:
            counts = m.group(4).split()
            key = (m.group(1), m.group(2), m.group(3))
            free[key] = (sum(int(c.lstrip(">")) << k for k, c in enumerate(counts)),
                         sum(int(c.lstrip(">")) for c in counts[order:]),
                         int(any(c.startswith(">") for c in counts)))
            order_zt.append(key)
            continue
        m = re.match(r"Node\s+(\d+), zone\s+(\w+)\s+(.*)", l)
        if m and section == "blocks":
            for t, n in zip(types, m.group(3).split()):
                blocks[(m.group(1), m.group(2), t)] = n
    for key in order_zt:
        fp, fh, cap = free[key]
        want.append({"phase": phase, "node": key[0], "zone": key[1], "migratetype": key[2],
                     "pageblock_order": str(order), "pageblocks": blocks.get(key, ""),
                     "free_pages": str(fp), "free_high_blocks": str(fh), "capped": str(cap)})
got = list(csv.DictReader(open(out + "/pageblocks.csv")))
report("analyze compact: pageblocks.csv rows re-derived from the pagetypeinfo files", got, want)
# The fresh DMA32 Movable row by hand: 453 order-10 blocks and
# 2+4+16+64+256 pages below order 9, 914 pageblocks.
report("analyze compact: fresh DMA32 Movable by hand",
       [r for r in got if r["phase"] == "fresh" and r["zone"] == "DMA32" and r["migratetype"] == "Movable"][0],
       {"phase": "fresh", "node": "0", "zone": "DMA32", "migratetype": "Movable", "pageblock_order": "9",
        "pageblocks": "914", "free_pages": str(453 * 1024 + 342), "free_high_blocks": "453", "capped": "0"})
EOF
else
	skip "analyze compact references: no python3"
fi

# Bad input: one line, the file and line.
printf 'compact_stall 1\ncompact_stall 2\n' >"$TMP/vmstat.twice.txt"
check_err "analyze compact: a counter twice" 1 "vmstat.twice.txt:2: compact_stall twice" \
	"$BIN/analyze" -q -o "$TMP/e1" "$TMP/vmstat.twice.txt"
printf 'compact_stall 1\ncompact_fail x\n' >"$TMP/vmstat.bad.txt"
check_err "analyze compact: a vmstat line without a count" 1 "vmstat.bad.txt:2: bad vmstat line" \
	"$BIN/analyze" -q -o "$TMP/e2" "$TMP/vmstat.bad.txt"
: >"$TMP/vmstat.empty.txt"
check_err "analyze compact: an empty vmstat" 1 "vmstat.empty.txt:1: empty file" \
	"$BIN/analyze" -q -o "$TMP/e3" "$TMP/vmstat.empty.txt"
sed 's/ Movable >100000 / Movable 1x /' "$G/data/pagetypeinfo.fragmented.txt" >"$TMP/pagetypeinfo.bad.txt"
check_err "analyze compact: a bad free count" 1 "pagetypeinfo.bad.txt:11: bad pagetypeinfo line \(a free count\)" \
	"$BIN/analyze" -q -o "$TMP/e4" "$TMP/pagetypeinfo.bad.txt"
sed '$s/ *0 *$//' "$G/data/pagetypeinfo.fresh.txt" >"$TMP/pagetypeinfo.short.txt"
check_err "analyze compact: a block line short of a type" 1 "pagetypeinfo.short.txt:18: bad pagetypeinfo line \(fewer block counts" \
	"$BIN/analyze" -q -o "$TMP/e5" "$TMP/pagetypeinfo.short.txt"
sed 1d "$G/data/pagetypeinfo.fresh.txt" >"$TMP/pagetypeinfo.noorder.txt"
check_err "analyze compact: no pageblock order" 1 "pagetypeinfo.noorder.txt:4: .*before 'Page block order:'" \
	"$BIN/analyze" -q -o "$TMP/e6" "$TMP/pagetypeinfo.noorder.txt"
check_err "analyze compact: a bad phase" 1 "vmstat.a b.txt:0: bad phase" \
	"$BIN/analyze" -q -o "$TMP/e7" "$TMP/vmstat.a b.txt"
cat "$G/data/pagetypeinfo.fresh.txt" "$G/data/pagetypeinfo.fresh.txt" >"$TMP/pagetypeinfo.two.txt"
check_err "analyze compact: two snapshots in one file" 1 "pagetypeinfo.two.txt:[0-9]+: .*two snapshots in one file" \
	"$BIN/analyze" -q -o "$TMP/e8" "$TMP/pagetypeinfo.two.txt"
check_eq "analyze compact: no table left after an error" "$(ls "$TMP"/e[1-8] 2>/dev/null | grep -c csv)" "0"
