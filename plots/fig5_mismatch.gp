# plots/fig5_mismatch.gp - virt_to_phys() against the software page walk, by size.
#
#   gnuplot -c plots/fig5_mismatch.gp summary.csv OUT
#
# For each kernel allocator and request size, the share of the pages that
# were compared where virt_to_phys() gives another address than the
# software walk pgd->p4d->pud->pmd->pte (left: v2p_mismatch / v2p_checked)
# and where the walk disagrees with vmalloc_to_page() (right:
# walk_mismatch / walk_checked), mean over the samples, against the size
# on a log2 axis: kvmalloc steps from 0 to 100% where it falls back to
# vmalloc.  A size where nothing was compared (checked = 0) is not 0: it
# is drawn in the "n/a" band below the axis.  The legend gives each
# allocator's v2p - walk offset from v2p.csv (the analyzer's, next to
# summary.csv), where the two differ.
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
V2P = system("dirname '".DATA."'")."/v2p.csv"
set datafile columnheaders

HAVE = ""
do for [a in ALLOCS] {
	stats DATA using (is("source", "kernel") && is("allocator", a) && a ne "pidwalk") nooutput
	if (STATS_sum > 0) { HAVE = HAVE." ".a }
}
# v2p.csv's off_tib of allocator a when its shown row differs, else "".
offtib(a) = system(sprintf("[ -f '%s' ] && awk -F, -v a='%s' '%s$c[\"source\"] == \"kernel\" && $c[\"allocator\"] == a && $c[\"off_bytes\"] != \"0\" && $c[\"off_bytes\"] != \"\" { print $c[\"off_tib\"]; exit }' '%s'", V2P, a, AWK_COLS, V2P))
key(a) = alloc_title(a).(offtib(a) ne "" ? sprintf(" (v2p - walk = %s TiB)", offtib(a)) : "")
# The n/a band: one row per allocator below 0, so that markers stay apart.
rank(a, i) = i > words(HAVE) ? 0 : (word(HAVE, i) eq a ? i : rank(a, i + 1))
na_y(a) = -4 - 4 * rank(a, 1)
NA_Y = -4 - 2 * (words(HAVE) + 1)
# Where allocators share a value (kmalloc, alloc_pages and kvmalloc up to
# its fallback, all at 0%), the one drawn later would hide the others:
# each is drawn a size smaller than the one before it, so every marker
# shows around the next.
msize(a) = 2.3 - 0.4 * rank(a, 1)

do for [fmt in FORMATS] {
	eval open(fmt)
	eval unlegend
	@SIZE_XTICS
	set logscale x 2
	set xlabel "request size (bytes, log2 scale)"
	set offsets graph 0.02, graph 0.02, 0, 0
	set yrange [-6 - 4 * words(HAVE):106]
	set ytics 0, 25, 100
	set ytics add ("n/a" NA_Y)
	set format y "%g%%"
	set arrow 1 from graph 0, first -2 to graph 1, first -2 nohead lc rgb "#909090" dt 3 back
	set multiplot
	eval panel(1)
	set title "virt_to_phys() != software walk"
	set ylabel "mismatching pages (% of compared)"
	plot for [a in HAVE] DATA using (is("source", "kernel") && is("allocator", a) && column("v2p_checked") > 0 ? column("size_bytes") : NaN):(100.0 * column("v2p_mismatch") / column("v2p_checked")) \
			smooth unique with linespoints ls alloc_ls(a) ps msize(a) notitle, \
		for [a in HAVE] DATA using (is("source", "kernel") && is("allocator", a) && column("v2p_checked") == 0 ? column("size_bytes") : NaN):(na_y(a)) \
			with points ls alloc_ls(a) notitle
	eval panel(2)
	set title "software walk != vmalloc_to_page()"
	set ylabel ""
	plot for [a in HAVE] DATA using (is("source", "kernel") && is("allocator", a) && column("walk_checked") > 0 ? column("size_bytes") : NaN):(100.0 * column("walk_mismatch") / column("walk_checked")) \
			smooth unique with linespoints ls alloc_ls(a) ps msize(a) notitle, \
		for [a in HAVE] DATA using (is("source", "kernel") && is("allocator", a) && column("walk_checked") == 0 ? column("size_bytes") : NaN):(na_y(a)) \
			with points ls alloc_ls(a) notitle
	unset arrow 1
	set offsets 0, 0, 0, 0
	eval legend(2)
	plot for [a in HAVE] -1 with linespoints ls alloc_ls(a) title key(a)
	unset multiplot
	eval close
}
