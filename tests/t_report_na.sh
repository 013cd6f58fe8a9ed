#!/bin/bash
# tests/t_report_na.sh - the report prints n/a, never 0, for a mismatch
# count over 0 compared rows (issue 15 point 6): reports/gen.sh on a
# report directory whose summary.csv comes from tests/golden/analyze/exp.csv
# (alloc_pages: virt_to_phys() compared on 2 pages, the walk against
# vmalloc_to_page() on none; kvmalloc: the walk compared on 2, one differs).
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden/analyze
R=$TMP/rdir
if [ ! -x "$BIN/analyze" ]; then
	fail "report n/a: $BIN/analyze missing"
	exit 0
fi
mkdir -p "$R/data"
printf 'TARGET=vm\nKERNEL_RELEASE=test\nPAGING_LEVELS=4\n' >"$R/meta.txt"
$BIN/analyze -q -o "$R" "$G/exp.csv"
if ! (cd "$ROOT" && reports/gen.sh "$R") >"$TMP/out" 2>&1; then
	fail "report n/a: reports/gen.sh failed: $(head -c 300 "$TMP/out")"
	exit 0
fi
md=$R/report.md
f=$(grep '^- \*\*alloc_pages\*\*' "$md")
check "report n/a: alloc_pages v2p compared on 2 pages" grep -q 'differed from the software walk on 0 of 2 pages compared' <<<"$f"
check "report n/a: alloc_pages walk vs vmalloc_to_page() not compared" grep -q 'not compared with `vmalloc_to_page()` (n/a' <<<"$f"
check "report n/a: no 'on 0.' for a comparison that did not run" bash -c "! grep -q 'vmalloc_to_page()\` on 0\.' '$md'"
f=$(grep '^- \*\*kvmalloc\*\*' "$md")
check "report n/a: kvmalloc walk differed on 1 of 2" grep -q 'differed from `vmalloc_to_page()` on 1 of 2 pages compared' <<<"$f"
check "report n/a: kvmalloc v2p not compared" grep -q '`virt_to_phys()` was not compared' <<<"$f"
# The per-allocator tables: alloc_pages' row has v2p 0 and walk n/a,
# kvmalloc's v2p n/a and walk 1.
trow() { awk -v a="### $1" '$0 == a { on = 1; next } on && /^\| 8 KiB/ { print; exit }' "$md"; }
check "report n/a: alloc_pages table prints 0 for v2p, n/a for walk" grep -qE '\| 0 \| n/a \| 1 \|$' <<<"$(trow alloc_pages)"
check "report n/a: kvmalloc table prints n/a for v2p, 1 for walk" grep -qE '\| n/a \| 1 \| 1 \|$' <<<"$(trow kvmalloc)"
