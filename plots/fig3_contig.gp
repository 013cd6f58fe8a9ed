# plots/fig3_contig.gp - physical contiguity against the size asked for.
#
#   gnuplot -c plots/fig3_contig.gp summary.csv OUT
#
# Left: contiguity (the share of neighbouring pages that are also
# neighbours in physical memory), right: the largest physically contiguous
# run in pages, both against the request size on a log2 axis, one line per
# allocator, the mean over samples (smooth unique averages equal x).
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
set datafile columnheaders

HAVE = ""
do for [a in ALLOCS] {
	stats DATA using (is("allocator", a) && a ne "pidwalk") nooutput
	if (STATS_sum > 0) { HAVE = HAVE." ".a }
}

do for [fmt in FORMATS] {
	eval open(fmt)
	eval unlegend
	@SIZE_XTICS
	set logscale x 2
	set xlabel "request size (bytes, log2 scale)"
	set offsets graph 0.02, graph 0.02, 0, 0
	set multiplot
	eval panel(1)
	set title "contiguity: physically adjacent neighbour pairs"
	set ylabel "contiguous pairs / (pages - 1)"
	unset logscale y
	set yrange [-0.02:1.02]
	set format y "%.1f"
	plot for [a in HAVE] DATA using (is("allocator", a) ? column("size_bytes") : NaN):"contiguity" smooth unique \
		with linespoints ls alloc_ls(a) notitle
	eval panel(2)
	set title "largest physically contiguous run"
	set ylabel "pages (log2 scale)"
	set logscale y 2
	set yrange [0.8:*]
	set format y "%g"
	plot for [a in HAVE] DATA using (is("allocator", a) ? column("size_bytes") : NaN):"largest_run" smooth unique \
		with linespoints ls alloc_ls(a) notitle
	set offsets 0, 0, 0, 0
	eval legend(2)
	plot for [a in HAVE] -1 with linespoints ls alloc_ls(a) title alloc_title(a)
	unset multiplot
	eval close
}
