#!/bin/sh
# mk/matrix-table.sh - compare the kernel matrix's targets from their analyses.
#
#   mk/matrix-table.sh MDIR        (MDIR: a run of reports/matrix)
#
# Reads, for every target directory MDIR/SERIES-Nlevel/ that mk/matrix.sh
# filled, the analyzer's summary.csv, the plan's data/failures.csv,
# data/kernel-vmalloc.csv and kernel-kvmalloc.csv (level and flags: how
# many vmalloc-area pages a huge pmd leaf maps) and data/vm.txt, and writes MDIR/matrix.csv (one row
# per target), MDIR/matrix.md and MDIR/matrix.tex (the comparison table,
# a metric per row and a target per column, and the metrics that differ
# between the two kernels at the same paging), and draws
# plots/fig_matrix.gp to MDIR/fig_matrix.pdf and .png.  Every number is
# computed here from those files; nothing is typed in.
set -eu
mdir=${1:?usage: mk/matrix-table.sh MDIR}
prog=mk/matrix-table.sh
targets=$(for d in "$mdir"/*-*level; do
	[ -f "$d/summary.csv" ] && echo "${d##*/}"
done | sort -V)
[ -n "$targets" ] || { echo "$prog: no target with a summary.csv in $mdir (make matrix)" >&2; exit 1; }

csv=$mdir/matrix.csv
tmp=$csv.tmp
echo "target,kernel,paging,la57,vmalloc_pages,vmalloc_walk_mismatch,vmalloc_v2p_mismatch,vmalloc_v2p_rate,directmap_pages,directmap_v2p_mismatch,directmap_v2p_rate,kmalloc_largest_run_bytes,kmalloc_max_bytes,kmalloc_max_order,kmalloc_refused,alloc_pages_max_order,alloc_pages_refused,vmalloc_mean_run,vmalloc_pmd_pages,vmalloc_pmd_sizes,kvmalloc_vmap_pmd_pages,kvmalloc_vmap_pmd_sizes,kvmalloc_vmap_from,kvmalloc_vmap_pages,user_malloc4k_mean_run,user_block_mean_run,user_thp_mean_run,user_hugetlb_mean_run,tests,boot_s,total_s" >"$tmp"
for t in $targets; do
	d=$mdir/$t
	kv() { sed -n "s/^$1=//p" "$d/data/vm.txt" 2>/dev/null | head -n 1; }
	# The first refusal of kmalloc and alloc_pages: "SIZE errno".
	refused() {
		awk -F, -v a="$1" 'NR > 1 && $1 == a { printf "%s %s", $2, $4; exit }' "$d/data/failures.csv" 2>/dev/null
	}
	# Pages in the vmalloc area the walk found under a pmd leaf (a huge
	# vmalloc mapping), the sizes where it did, and the smallest size that
	# landed in the vmalloc area at all (kvmalloc's fallback from kmalloc),
	# and all its pages there: "pmdpages,sizes,from,pages", from the plan's
	# rows (level and flags columns).
	vmap() {
		awk -F, 'NR > 1 && $12 ~ /vmalloc_area/ {
			if ($11 == "pmd") { n++; if (!($3 in s)) { s[$3] = 1; out = out (out == "" ? "" : " ") $3 } }
			if (min == "" || $3 + 0 < min) min = $3 + 0
			all++
		} END { printf "%d,%s,%s,%d", n, out, min, all }' "$d/data/kernel-$1.csv" 2>/dev/null || echo "0,,,0"
	}
	pmd=$(vmap vmalloc)
	kpmd=$(vmap kvmalloc)
	# The in-guest suite on the same target (make test-matrix or make matrix).
	r=${MATRIX_TESTS:-build/matrix}/test-$t/results.txt
	tests=""
	[ -f "$r" ] && tests=$(awk '{ n[$1]++ } END { printf "%d pass %d fail %d skip", n["PASS"], n["FAIL"], n["SKIP"] }' "$r")
	awk -F, -v t="$t" -v kernel="$(kv KERNEL)" -v paging="$(kv PAGING)" -v la57="$(kv LA57)" \
		-v boot="$(kv BOOT_S)" -v total="$(kv TOTAL_S)" -v pmd="$pmd" -v kpmd="$kpmd" -v tests="$tests" \
		-v kref="$(refused kmalloc)" -v aref="$(refused alloc_pages)" '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["source"] == "user" { up[$c["allocator"]] += $c["present"]; ur[$c["allocator"]] += $c["runs"]; next }
	$c["source"] != "kernel" { next }
	{
		a = $c["allocator"]; p = $c["present"]
		if (a == "vmalloc") {
			vp += p; vw += $c["walk_mismatch"]; vv += $c["v2p_mismatch"]; vr += $c["runs"]
		}
		if (a == "kmalloc" || a == "alloc_pages") { dp += p; dv += $c["v2p_mismatch"] }
		if (a == "kmalloc") {
			if ($c["largest_run"] * 4096 > klr) klr = $c["largest_run"] * 4096
			if ($c["size_bytes"] + 0 > kmax) kmax = $c["size_bytes"] + 0
		}
		if (a == "alloc_pages" && $c["size_bytes"] + 0 > amax) amax = $c["size_bytes"] + 0
	}
	function order(b,   o) { if (b <= 0) return ""; for (o = 0; 4096 * 2 ^ o < b; o++); return o }
	function mrun(a) { return ur[a] > 0 ? sprintf("%.3f", up[a] / ur[a]) : "" }
	function rate(n, d) { return d > 0 ? sprintf("%.6f", n / d) : "" }
	function ref(s,   w) { if (s == "") return "none"; split(s, w, " "); return w[2] " at order " order(w[1]) }
	END {
		split(pmd, P, ","); split(kpmd, K, ",")
		printf "%s,%s,%s,%s,%d,%d,%d,%s,%d,%d,%s,%d,%d,%s,%s,%s,%s,%s,%d,%s,%d,%s,%s,%d,%s,%s,%s,%s,%s,%s,%s\n", t, kernel, paging, la57,
			vp, vw, vv, rate(vv, vp), dp, dv, rate(dv, dp), klr, kmax, order(kmax), ref(kref),
			order(amax), ref(aref), (vr > 0 ? sprintf("%.3f", vp / vr) : ""), P[1], P[2], K[1], K[2], K[3], K[4], mrun("malloc4k"), mrun("block"), mrun("thp"), mrun("hugetlb"), tests, boot, total
	}' "$d/summary.csv" >>"$tmp"
done
mv "$tmp" "$csv"

# matrix.md and matrix.tex: the same table, a metric per row.
awk -F, -v md="$mdir/matrix.md.tmp" -v tex="$mdir/matrix.tex.tmp" '
function human(b) {
	if (b == "") return ""
	if (b >= 1073741824 && b % 1073741824 == 0) return (b / 1073741824) " GiB"
	if (b >= 1048576 && b % 1048576 == 0) return (b / 1048576) " MiB"
	if (b >= 1024 && b % 1024 == 0) return (b / 1024) " KiB"
	return b " B"
}
# "8388608 16777216 ..." -> "8 MiB to 64 MiB (4 sizes)"
function sizes(l,   w, k, lo, hi, i) {
	k = split(l, w, " ")
	if (k == 0) return "none"
	lo = hi = w[1] + 0
	for (i = 2; i <= k; i++) { if (w[i] + 0 < lo) lo = w[i] + 0; if (w[i] + 0 > hi) hi = w[i] + 0 }
	return k == 1 ? human(lo) : human(lo) " to " human(hi) " (" k " sizes)"
}
function pct(r) { return r == "" ? "" : sprintf("%.2f %%", 100 * r) }
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
		else if (how == "sizes") x = sizes(x)
		else if (how == "ratio") x = v(k, f) " / " v(k, "vmalloc_pages")
		else if (how == "kratio") x = v(k, f) " / " v(k, "kvmalloc_vmap_pages")
		else if (how == "dratio") x = v(k, f) " / " v(k, "directmap_pages")
		s = s " | " x; t = t " & " texesc(x)
	}
	print s " |" > md
	print t " \\\\" > tex
	L[++nl] = label; F[nl] = f; H[nl] = how
}
END {
	s = "| metric"; sep = "|---"; t = "metric"; spec = "l"
	for (k = 1; k <= n; k++) {
		s = s " | " v(k, "target"); sep = sep "|---:"; t = t " & " texesc(v(k, "target")); spec = spec "r"
	}
	print "## Kernel matrix\n" > md
	print "Each column is one target of `make matrix`: the report plan run in the guest on that kernel and paging mode, analyzed on its own (reports/matrix/RUN/TARGET/summary.csv). vmalloc pages are walked three ways: the software walk, vmalloc_to_page() and virt_to_phys(); kmalloc and alloc_pages (the direct map) two ways.\n" > md
	print s " |" > md; print sep "|" > md
	print "\\section{Kernel matrix}" > tex
	print "Each column is one target of \\texttt{make matrix}: the report plan run in the guest on that kernel and paging mode, analyzed on its own. vmalloc pages are walked three ways (software walk, vmalloc\\_to\\_page(), virt\\_to\\_phys()); kmalloc and alloc\\_pages (the direct map) two ways.\n" > tex
	print "\\begin{center}\\resizebox{\\textwidth}{!}{\\begin{tabular}{" spec "}\\hline" > tex
	print t " \\\\ \\hline" > tex
	row("kernel", "kernel")
	row("paging levels", "paging")
	row("vmalloc pages compared (three ways)", "vmalloc_pages")
	row("walk vs vmalloc_to_page() mismatches", "vmalloc_walk_mismatch", "ratio")
	row("virt_to_phys() vs walk mismatches (vmalloc)", "vmalloc_v2p_mismatch", "ratio")
	row("v2p mismatch rate, vmalloc", "vmalloc_v2p_rate", "pct")
	row("v2p mismatches, direct map (kmalloc, alloc_pages)", "directmap_v2p_mismatch", "dratio")
	row("kmalloc largest contiguous run", "kmalloc_largest_run_bytes", "human")
	row("kmalloc largest success", "kmalloc_max_bytes", "human")
	row("kmalloc largest order", "kmalloc_max_order")
	row("kmalloc first refusal", "kmalloc_refused")
	row("alloc_pages largest order", "alloc_pages_max_order")
	row("alloc_pages first refusal", "alloc_pages_refused")
	row("vmalloc mean run (pages)", "vmalloc_mean_run")
	row("vmalloc pages under a pmd leaf", "vmalloc_pmd_pages")
	row("vmalloc sizes with pmd leaves", "vmalloc_pmd_sizes", "sizes")
	row("kvmalloc: smallest size in the vmalloc area", "kvmalloc_vmap_from", "human")
	row("kvmalloc: vmalloc-area pages under a pmd leaf", "kvmalloc_vmap_pmd_pages", "kratio")
	row("kvmalloc: sizes with pmd leaves", "kvmalloc_vmap_pmd_sizes", "sizes")
	row("user 4 KiB blocks (-b 4K) mean run (pages)", "user_malloc4k_mean_run")
	row("user block (-b 1G) mean run (pages)", "user_block_mean_run")
	row("user THP block mean run (pages)", "user_thp_mean_run")
	row("user hugetlb mean run (pages)", "user_hugetlb_mean_run")
	row("in-guest tests", "tests")
	row("boot (s, host clock)", "boot_s")
	row("report plan (s)", "total_s")
	print "\\hline\\end{tabular}}\\end{center}" > tex
	# What differs between the kernels at the same paging mode.
	nd = 0
	for (i = 1; i <= nl; i++) {
		f = F[i]
		if (f == "kernel" || f == "boot_s" || f == "total_s" || f == "tests") continue
		for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) {
			if (v(a, "paging") != v(b, "paging") || v(a, f) == v(b, f)) continue
			D[++nd] = sprintf("%s, %s-level paging: %s on %s, %s on %s", L[i], v(a, "paging"), \
				v(a, f) == "" ? "(none)" : v(a, f), v(a, "kernel"), v(b, f) == "" ? "(none)" : v(b, f), v(b, "kernel"))
		}
	}
	print "\n### What differs between the kernels\n" > md
	print "\\subsection*{What differs between the kernels}" > tex
	if (nd == 0) {
		print "At each paging mode every metric above is the same on both kernels." > md
		print "At each paging mode every metric above is the same on both kernels." > tex
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
