#!/bin/bash
# tests/t_analyze_exp.sh - the summary.csv columns and reuse.csv that tell
# an experiment's artifacts from its findings (issue 15; DESIGN.md
# "Analyzer outputs"): v2p_checked, walk_checked, pairs_down,
# contiguity_any, set_runs, va_stride, leaf_pte/pmd/pud and reuse.csv.
#
# tests/golden/analyze/exp.csv is made by hand so that each column has a
# case that tells a right answer from a plausible wrong one: a descending
# run (pairs_down 3, contiguity 0, contiguity_any 1; none across a page
# gap), two interleaved
# ascending streams (set_runs 2, contiguity 0), a frame three times
# (distinct frames counted once), a one-page group (va_stride empty,
# contiguity 1), ties in va_stride (4096 against 8192 picks 4096; -4096
# against 8192 picks -4096), pud and pmd leaves, a comparison that ran and
# matched (v2p_checked 2, mismatch 0) next to one that did not run
# (checked 0), reuse of half, all and none of the previous sample's
# frames, and groups without a frame (share 0); findings.csv over sizes
# given out of order.  The expected tables were
# worked out by hand, and tests/helpers/summary_ref.py recomputes them
# (and a generated 40,000-row file) in plain Python.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/analyze_lib.sh"
G=$ROOT/tests/golden/analyze
REF=$ROOT/tests/helpers/summary_ref.py

if [ ! -x "$BIN/analyze" ]; then
	fail "analyze built: $BIN/analyze missing"
	exit 0
fi

for mode in $MODES; do
	if an $mode -q -o "$TMP/$mode" "$G/exp.csv" 2>"$TMP/err"; then
		for f in summary reuse findings; do
			if diff -u "$G/exp.$f.csv" "$TMP/$mode/$f.csv" >"$TMP/diff" 2>&1; then
				pass "analyze exp golden $f.csv ($mode)"
			else
				fail "analyze exp golden $f.csv ($mode): $(head -c 600 "$TMP/diff")"
			fi
		done
	else
		fail "analyze exp golden ($mode): exit $?: $(head -c 300 "$TMP/err")"
	fi
done

# One named check per column of interest, so a failure says which.
col() {                 # FILE ROW(1-based data row) COLUMN-NAME
	awk -F, -v r="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		NR == r + 1 { print $(h[c]); exit }' "$1"
}
S=$TMP/file/summary.csv
if [ -f "$S" ]; then
	check_eq "exp descending run: pairs_down" "$(col "$S" 1 pairs_down)" 3
	check_eq "exp descending run: contiguity_any" "$(col "$S" 1 contiguity_any)" 1.000000
	check_eq "exp descending run: contiguity" "$(col "$S" 1 contiguity)" 0.000000
	check_eq "exp interleaved streams: set_runs" "$(col "$S" 4 set_runs)" 2
	check_eq "exp va_stride tie 4096/8192 is the smaller" "$(col "$S" 4 va_stride)" 4096
	check_eq "exp va_stride tie -4096/8192 is the smaller" "$(col "$S" 5 va_stride)" -4096
	check_eq "exp duplicate frames: set_runs" "$(col "$S" 5 set_runs)" 1
	check_eq "exp one page: va_stride empty" "$(col "$S" 3 va_stride)" ""
	check_eq "exp one page: contiguity_any" "$(col "$S" 3 contiguity_any)" 1.000000
	check_eq "exp no frame: set_runs" "$(col "$S" 6 set_runs)" 0
	check_eq "exp v2p compared, equal: v2p_checked" "$(col "$S" 8 v2p_checked)" 2
	check_eq "exp walk not compared: walk_checked" "$(col "$S" 8 walk_checked)" 0
	check_eq "exp walk compared: walk_checked" "$(col "$S" 9 walk_checked)" 2
	check_eq "exp pud leaves" "$(col "$S" 8 leaf_pud)" 2
	check_eq "exp pmd leaves" "$(col "$S" 9 leaf_pmd)" 2
	check_eq "exp descending pair across a page gap is no pair" "$(col "$S" 10 pairs_down)" 0
fi

# findings.csv, worked out by hand from exp.csv.
fcol() { awk -F, -v a="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$2 == a { print $(h[c]); exit }' "$TMP/file/findings.csv"; }
if [ -f "$TMP/file/findings.csv" ]; then
	check_eq "exp findings malloc4k: one-run groups (the one-page group)" "$(fcol malloc4k one_run_groups)" 1
	check_eq "exp findings malloc4k: mean contiguity_any at the largest size" "$(fcol malloc4k max_contiguity_any)" 0.888889
	check_eq "exp findings malloc4k: present / runs over all sizes (9 / 7)" "$(fcol malloc4k all_mean_run)" 1.286
	check_eq "exp findings malloc4k: reuse 3 of 5 frames" "$(fcol malloc4k reuse_shared)/$(fcol malloc4k reuse_frames)" 3/5
	check_eq "exp findings hugetlb: one run with a page absent is not contiguous" "$(fcol hugetlb one_run_groups)" 0
	check_eq "exp findings block: sizes 4096 to 20480" "$(fcol block size_min)-$(fcol block size_max)" 4096-20480
	check_eq "exp findings kmalloc: sizes sorted, contiguous up to 4096, not beyond" \
		"$(fcol kmalloc contiguous_upto)/$(fcol kmalloc contiguous_all)" 4096/0
	check_eq "exp findings alloc_pages: contiguous up to the largest size" \
		"$(fcol alloc_pages contiguous_upto)/$(fcol alloc_pages contiguous_all)" 8192/1
	check_eq "exp findings kvmalloc: walk 1 of 2 compared, v2p 0 of 0, pmd leaves 2" \
		"$(fcol kvmalloc walk_mismatch)/$(fcol kvmalloc walk_checked) $(fcol kvmalloc v2p_mismatch)/$(fcol kvmalloc v2p_checked) $(fcol kvmalloc leaf_pmd)" "1/2 0/0 2"
	check_eq "exp findings kvmalloc: walk_pct 50.00, both rows in the vmalloc area at pmd (100.00), from 8192, one size" \
		"$(fcol kvmalloc walk_pct) $(fcol kvmalloc area_pmd_pages)/$(fcol kvmalloc area_pages) $(fcol kvmalloc area_pmd_pct) $(fcol kvmalloc area_size_min) $(fcol kvmalloc area_pmd_sizes):$(fcol kvmalloc area_pmd_size_min)-$(fcol kvmalloc area_pmd_size_max)" \
		"50.00 2/2 100.00 8192 1:8192-8192"
	check_eq "exp findings block: no walk compared (walk_pct empty, n/a), no vmalloc area (area_pmd_pct, area_size_min empty)" \
		"[$(fcol block walk_pct)] [$(fcol block area_pmd_pct)] [$(fcol block area_size_min)] $(fcol block area_pmd_sizes)" "[] [] [] 0"
	check_eq "exp findings block: 20480 B is order 3; longest run 1 page (order 0), one-page groups included" \
		"$(fcol block size_max_order) $(fcol block largest_run_all) $(fcol block largest_run_order)" "3 1 0"
	check_eq "exp findings malloc4k: longest run 2 pages, order 1; no THP (0 of 9 rows)" \
		"$(fcol malloc4k largest_run_all) $(fcol malloc4k largest_run_order) $(fcol malloc4k thp_pages)/$(fcol malloc4k all_pages) $(fcol malloc4k thp_pct)" "2 1 0/9 0.0"
fi

# The Python reference, on the golden input and on a generated file.
if ! command -v python3 >/dev/null; then
	skip "analyze exp vs summary_ref.py: no python3"
else
	ref_cmp() {     # NAME CSV OUTDIR
		python3 "$REF" "$2" >"$TMP/ref.txt"
		{ cut -d, -f1-4,13- "$3/summary.csv" | tail -n +2; echo --
		  tail -n +2 "$3/reuse.csv"; } >"$TMP/got.txt"
		if diff "$TMP/ref.txt" "$TMP/got.txt" >"$TMP/rdiff"; then
			pass "$1"
		else
			fail "$1: $(head -c 400 "$TMP/rdiff")"
		fi
	}
	[ -f "$S" ] && ref_cmp "analyze exp golden equals summary_ref.py" "$G/exp.csv" "$TMP/file"
	GEN=$BIN/../bench/gen_samples
	if [ -x "$GEN" ]; then
		"$GEN" 40000 1000 7 >"$TMP/gen.csv"
		$A -q -o "$TMP/gen" "$TMP/gen.csv"
		ref_cmp "analyze new columns of 40000 generated rows equal summary_ref.py" "$TMP/gen.csv" "$TMP/gen"
	else
		skip "analyze exp generated rows: $GEN not built (make bench builds it)"
	fi
fi
