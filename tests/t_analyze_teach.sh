#!/bin/bash
# tests/t_analyze_teach.sh - the report's teaching tables (analyze/teach.c):
# walks.csv, v2p.csv, leaves.csv and overview.csv against golden files,
# and against references that share no code with the analyzer.
#
# tests/golden/analyze/teach_in.csv holds rows cut from a real guest run
# (Debian 6.1, 4-level paging): the first pages of kmalloc (a 2 MiB
# direct-map leaf and a 4 KiB one), vmalloc, kvmalloc's vmalloc fallback
# (pmd leaves), alloc_pages, and a pid walk with a user pte and a THP pmd,
# two samples of some sizes.  Golden: tests/golden/analyze/teach/*.csv,
# from a file and from a pipe (tests/analyze_lib.sh).  Independent:
# tests/helpers/walks_ref.py decodes every walk line again from the raw
# entries and the source rows (Intel SDM, written apart from
# collect/ptentry.c); overview.csv is re-derived here from the same run's
# summary.csv and reuse.csv (tests/helpers/overview_ref.py); v2p.csv's
# arithmetic is redone in Python.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/analyze_lib.sh"
G=$ROOT/tests/golden/analyze
IN=$G/teach_in.csv

if [ ! -x "$BIN/analyze" ]; then
	fail "analyze teach: $BIN/analyze missing"
	exit 0
fi
for mode in $MODES; do
	d=$TMP/t-$mode
	if ! an $mode -q -o "$d" "$IN" 2>"$TMP/err"; then
		fail "analyze teach ($mode): exit non-zero: $(head -c 300 "$TMP/err")"
		continue
	fi
	for f in walks v2p leaves overview; do
		if diff -u "$G/teach/$f.csv" "$d/$f.csv" >"$TMP/diff" 2>&1; then
			pass "analyze teach golden $f.csv ($mode)"
		else
			fail "analyze teach golden $f.csv ($mode): $(head -c 600 "$TMP/diff")"
		fi
	done
done
d=$TMP/t-file
check_eq "analyze teach: every walk case the fixture holds" \
	"$(cut -d, -f1 "$d/walks.csv" | sed 1d | uniq | tr '\n' ' ')" \
	"kmalloc vmalloc kvmalloc_vmalloc alloc_pages user_4k user_thp direct_map_4k direct_map_2m "

if ! command -v python3 >/dev/null; then
	skip "analyze teach references: no python3"
	exit 0
fi
python3 "$ROOT/tests/helpers/walks_ref.py" "$d/walks.csv" "$IN"
check "analyze teach: overview.csv re-derived from summary.csv and reuse.csv (tests/helpers/overview_ref.py)" \
	cmp -s <(python3 "$ROOT/tests/helpers/overview_ref.py" "$d") "$d/overview.csv"
python3 - "$d" "$IN" <<'EOF'
import csv, sys
d, src = sys.argv[1], sys.argv[2]
rows = lambda f: list(csv.DictReader(open(d + "/" + f)))
V = rows("v2p.csv")

def report(name, got, want):
    print(("PASS %s" % name) if got == want else "FAIL %s: analyze %r, reference %r" % (name, got, want))

# v2p.csv: page_offset_base from every direct-map row, and the arithmetic
rs = list(csv.DictReader(open(src)))
bases = [int(r["va"], 16) - int(r["pa_v2p"], 16) for r in rs if "direct_map" in r["flags"].split("|") and r["pa_v2p"]]
for v in V:
    va, v2p, walk = int(v["va"], 16), int(v["pa_v2p"], 16), int(v["pa_walk"], 16)
    A = [r for r in rs if (r["source"], r["allocator"]) == (v["source"], v["allocator"]) and r["pa_v2p"] and r["pa_walk"]]
    diff = [r for r in A if r["pa_v2p"] != r["pa_walk"]]
    pick = (diff or A)[0]
    off = v2p - walk
    report("analyze teach v2p %s: row, base, arithmetic and counts" % v["allocator"],
           [v["va"], v["page_offset_base"], v["va_minus_base"], v["off_bytes"], v["off_tib"], v["checked"], v["differ"], v["base_rows"], v["base_agree"]],
           [pick["va"], "0x%016x" % bases[0], "0x%016x" % ((va - bases[0]) % (1 << 64)), str(off), "%.3f" % (off / 2**40),
            str(len(A)), str(len(diff)), str(len(bases)), str(sum(b == bases[0] for b in bases))])
EOF
