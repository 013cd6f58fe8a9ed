#!/bin/sh
# mk/matrix-table.sh - compare the kernel matrix's targets from their analyses.
#
#   mk/matrix-table.sh MDIR        (MDIR: a run of reports/matrix)
#
# Reads, for every target directory MDIR/SERIES-Nlevel/ that mk/matrix.sh
# filled, the analyzer's findings.csv and refusals.csv (reports/analyze.sh
# made them; refusals.csv is made here from data/failures.csv when an
# older run lacks it) and data/vm.txt, and writes MDIR/matrix.csv (one
# row per target), MDIR/matrix.md and MDIR/matrix.tex (the comparison
# table, a metric per row and a target per column, and the metrics that
# differ between kernels at the same paging, when two targets share
# one), and draws
# plots/fig_matrix.gp to MDIR/fig_matrix.pdf and .png.  Every number is a
# cell of those files, picked here, never computed (analyze/README.md
# defines the findings.csv columns); the one count made here is of the
# in-guest suite's PASS/FAIL/SKIP lines, test outcomes rather than data.
set -eu
mdir=${1:?usage: mk/matrix-table.sh MDIR}
prog=mk/matrix-table.sh
ANALYZE=${ANALYZE:-build/bin/analyze}
targets=$(for d in "$mdir"/*-*level; do
	[ -f "$d/findings.csv" ] && echo "${d##*/}"
done | sort -V)
[ -n "$targets" ] || { echo "$prog: no target with a findings.csv in $mdir (make matrix)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/matrix-table.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

csv=$mdir/matrix.csv
out=$csv.tmp
# matrix.csv's columns: TARGET's own, then ALLOCATOR_COLUMN picks of its
# findings.csv (allocator_findingscolumn), then the refusals.
picks="vmalloc:v2p_checked vmalloc:v2p_mismatch vmalloc:v2p_pct vmalloc:walk_checked vmalloc:walk_mismatch vmalloc:walk_pct
kmalloc:v2p_checked kmalloc:v2p_mismatch alloc_pages:v2p_checked alloc_pages:v2p_mismatch
kmalloc:largest_run_all kmalloc:largest_run_order kmalloc:size_max kmalloc:size_max_order alloc_pages:size_max_order
vmalloc:all_mean_run vmalloc:area_pages vmalloc:area_pmd_pages vmalloc:area_pmd_pct vmalloc:area_pmd_sizes vmalloc:area_pmd_size_min vmalloc:area_pmd_size_max
kvmalloc:area_size_min kvmalloc:area_pages kvmalloc:area_pmd_pages kvmalloc:area_pmd_pct kvmalloc:area_pmd_sizes kvmalloc:area_pmd_size_min kvmalloc:area_pmd_size_max
malloc4k:all_mean_run block:all_mean_run thp:all_mean_run hugetlb:all_mean_run"
picks=$(echo $picks)
{
	printf 'target,kernel,paging,la57'
	for p in $picks; do printf ',%s_%s' "${p%%:*}" "${p#*:}"; done
	echo ",kmalloc_refused,alloc_pages_refused,tests,boot_s,total_s"
} >"$out"
for t in $targets; do
	d=$mdir/$t
	kv() { sed -n "s/^$1=//p" "$d/data/vm.txt" 2>/dev/null | head -n 1; }
	ref=$d/refusals.csv
	if [ ! -f "$ref" ] && [ -f "$d/data/failures.csv" ]; then
		mkdir -p "$tmp/$t"
		"$ANALYZE" -q -o "$tmp/$t" "$d/data/failures.csv" >/dev/null 2>"$tmp/$t.err" ||
			{ echo "$prog: analyze of $d/data/failures.csv failed: $(head -n 1 "$tmp/$t.err")" >&2; exit 1; }
		ref=$tmp/$t/refusals.csv
	fi
	[ -f "$ref" ] || ref=/dev/null
	# The in-guest suite on the same target (make test-matrix or make matrix).
	r=${MATRIX_TESTS:-build/matrix}/test-$t/results.txt
	tests=""
	[ -f "$r" ] && tests="$(grep -c '^PASS' "$r") pass $(grep -c '^FAIL' "$r") fail $(grep -c '^SKIP' "$r") skip"
	awk -F, -v t="$t" -v kernel="$(kv KERNEL)" -v paging="$(kv PAGING)" -v la57="$(kv LA57)" \
		-v boot="$(kv BOOT_S)" -v total="$(kv TOTAL_S)" -v tests="$tests" -v picks="$picks" '
	FNR == 1 { f++; for (i = 1; i <= NF; i++) c[f, $i] = i; next }
	f == 1 { for (i = 1; i <= NF; i++) F[$c[1, "allocator"], i] = $i; next }
	# refusals.csv: the first refusal of each allocator, "ERRNO at order N"
	!(($c[2, "allocator"]) in R) { R[$c[2, "allocator"]] = $c[2, "errno"] " at order " $c[2, "order"] }
	END {
		s = t "," kernel "," paging "," la57
		n = split(picks, P, " ")
		for (i = 1; i <= n; i++) { split(P[i], w, ":"); s = s "," ((1, w[2]) in c ? F[w[1], c[1, w[2]]] : "") }
		print s "," ("kmalloc" in R ? R["kmalloc"] : "none") "," ("alloc_pages" in R ? R["alloc_pages"] : "none") "," tests "," boot "," total
	}' "$d/findings.csv" "$ref" >>"$out"
done
mv "$out" "$csv"

# matrix.md and matrix.tex: the same table, a metric per row.
awk -F, -v md="$mdir/matrix.md.tmp" -v tex="$mdir/matrix.tex.tmp" '
function human(b) {
	if (b == "") return ""
	if (b >= 1073741824 && b % 1073741824 == 0) return (b / 1073741824) " GiB"
	if (b >= 1048576 && b % 1048576 == 0) return (b / 1048576) " MiB"
	if (b >= 1024 && b % 1024 == 0) return (b / 1024) " KiB"
	return b " B"
}
# "N|MIN|MAX" (the findings.csv cells area_pmd_sizes, _min, _max) -> "8 MiB to 64 MiB (4 sizes)"
function sizes(l,   w) {
	split(l, w, "|")
	if (w[1] == "" || w[1] == "0") return "none"
	return w[1] == "1" ? human(w[2]) : human(w[2]) " to " human(w[3]) " (" w[1] " sizes)"
}
function pct(r) { return r == "" ? "n/a" : r " %" }
function texesc(s) { gsub(/\\/, "\\textbackslash{}", s); gsub(/[_%&#$]/, "\\\\&", s); return s }
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
{ n++; for (i = 1; i <= NF; i++) V[n, i] = $i }
function v(k, f) { return V[k, c[f]] }
function row(label, f, how,   k, s, x, t) {
	s = "| " label; t = texesc(label)
	for (k = 1; k <= n; k++) {
		x = v(k, f)
		if (how == "human") x = human(x)
		else if (how == "pct") x = pct(x)
		else if (how ~ /^sizes /) { split(how, h, " "); x = sizes(v(k, h[2] "_area_pmd_sizes") "|" v(k, h[2] "_area_pmd_size_min") "|" v(k, h[2] "_area_pmd_size_max")) }
		else if (how ~ /^of /) { split(how, h, " "); x = x " / " v(k, h[2]) }
		s = s " | " x; t = t " & " texesc(x); X[nl + 1, k] = x
	}
	print s " |" > md
	print t " \\\\" > tex
	L[++nl] = label; F[nl] = f
}
END {
	s = "| metric"; sep = "|---"; t = "metric"; spec = "l"
	for (k = 1; k <= n; k++) {
		s = s " | " v(k, "target"); sep = sep "|---:"; t = t " & " texesc(v(k, "target")); spec = spec "r"
	}
	print "## Kernel matrix\n" > md
	print "Each column is one target of `make matrix`: the report plan run in the guest on that kernel and paging mode, analyzed on its own (reports/matrix/RUN/TARGET/findings.csv and refusals.csv). vmalloc pages are walked three ways: the software walk, vmalloc_to_page() and virt_to_phys(); kmalloc and alloc_pages (the direct map) two ways.\n" > md
	print s " |" > md; print sep "|" > md
	print "\\section{Kernel matrix}" > tex
	print "Each column is one target of \\texttt{make matrix}: the report plan run in the guest on that kernel and paging mode, analyzed on its own. vmalloc pages are walked three ways (software walk, vmalloc\\_to\\_page(), virt\\_to\\_phys()); kmalloc and alloc\\_pages (the direct map) two ways.\n" > tex
	print "\\begin{center}\\resizebox{\\textwidth}{!}{\\begin{tabular}{" spec "}\\hline" > tex
	print t " \\\\ \\hline" > tex
	row("kernel", "kernel")
	row("paging levels", "paging")
	row("walk vs vmalloc_to_page() mismatches, vmalloc", "vmalloc_walk_mismatch", "of vmalloc_walk_checked")
	row("virt_to_phys() vs walk mismatches, vmalloc", "vmalloc_v2p_mismatch", "of vmalloc_v2p_checked")
	row("v2p mismatch share, vmalloc", "vmalloc_v2p_pct", "pct")
	row("v2p mismatches, kmalloc (direct map)", "kmalloc_v2p_mismatch", "of kmalloc_v2p_checked")
	row("v2p mismatches, alloc_pages (direct map)", "alloc_pages_v2p_mismatch", "of alloc_pages_v2p_checked")
	row("kmalloc longest contiguous run (pages)", "kmalloc_largest_run_all")
	row("kmalloc largest success", "kmalloc_size_max", "human")
	row("kmalloc largest order", "kmalloc_size_max_order")
	row("kmalloc first refusal", "kmalloc_refused")
	row("alloc_pages largest order", "alloc_pages_size_max_order")
	row("alloc_pages first refusal", "alloc_pages_refused")
	row("vmalloc mean run (pages)", "vmalloc_all_mean_run")
	row("vmalloc pages under a pmd leaf", "vmalloc_area_pmd_pages", "of vmalloc_area_pages")
	row("vmalloc sizes with pmd leaves", "vmalloc_area_pmd_sizes", "sizes vmalloc")
	row("kvmalloc: smallest size in the vmalloc area", "kvmalloc_area_size_min", "human")
	row("kvmalloc: vmalloc-area pages under a pmd leaf", "kvmalloc_area_pmd_pages", "of kvmalloc_area_pages")
	row("kvmalloc: sizes with pmd leaves", "kvmalloc_area_pmd_sizes", "sizes kvmalloc")
	row("user 4 KiB blocks (-b 4K) mean run (pages)", "malloc4k_all_mean_run")
	row("user block (-b 1G) mean run (pages)", "block_all_mean_run")
	row("user THP block mean run (pages)", "thp_all_mean_run")
	row("user hugetlb mean run (pages)", "hugetlb_all_mean_run")
	row("in-guest tests", "tests")
	row("boot (s, host clock)", "boot_s")
	row("report plan (s)", "total_s")
	print "\\hline\\end{tabular}}\\end{center}" > tex
	# What differs between the kernels at the same paging mode; nothing
	# is said when no two targets share one (one target, or one a mode).
	nd = np = 0
	for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) np += v(a, "paging") == v(b, "paging")
	if (np == 0) exit
	for (i = 1; i <= nl; i++) {
		f = F[i]
		if (f == "kernel" || f == "boot_s" || f == "total_s" || f == "tests") continue
		for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) {
			if (v(a, "paging") != v(b, "paging") || X[i, a] == X[i, b]) continue
			D[++nd] = sprintf("%s, %s-level paging: %s on %s, %s on %s", L[i], v(a, "paging"), \
				X[i, a] == "" ? "(none)" : X[i, a], v(a, "kernel"), X[i, b] == "" ? "(none)" : X[i, b], v(b, "kernel"))
		}
	}
	print "\n### What differs between the kernels\n" > md
	print "\\subsection*{What differs between the kernels}" > tex
	if (nd == 0) {
		print "At each paging mode every metric above is the same on every kernel run at it." > md
		print "At each paging mode every metric above is the same on every kernel run at it." > tex
	} else {
		print "\\begin{itemize}" > tex
		for (i = 1; i <= nd; i++) { print "- " D[i] > md; print "\\item " texesc(D[i]) > tex }
		print "\\end{itemize}" > tex
	}
}' "$csv"
mv "$mdir/matrix.md.tmp" "$mdir/matrix.md"
mv "$mdir/matrix.tex.tmp" "$mdir/matrix.tex"

if command -v "${GNUPLOT:-gnuplot}" >/dev/null; then
	"${GNUPLOT:-gnuplot}" -c plots/fig_matrix.gp "$csv" "$mdir/fig_matrix" || exit 1
	for f in "$mdir/fig_matrix.pdf" "$mdir/fig_matrix.png"; do
		[ -s "$f" ] || { echo "$prog: plots/fig_matrix.gp made no $f" >&2; exit 1; }
	done
fi
echo "matrix: $mdir/matrix.md, $mdir/matrix.csv, $mdir/fig_matrix.pdf ($(echo $targets | wc -w) targets)"
