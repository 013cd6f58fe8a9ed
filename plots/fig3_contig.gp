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

HAVE = ""
do for [a in ALLOCS] {
	stats DATA using (is(2, a) && a ne "pidwalk") nooutput
	if (STATS_sum > 0) { HAVE = HAVE." ".a }
}

@SIZE_XTICS
set logscale x 2
set xlabel "request size (bytes, log2 scale)"
set offsets graph 0.02, graph 0.02, 0, 0
do for [fmt in FORMATS] {
	eval open(fmt)
	set multiplot layout 1, 2 margins 0.08, 0.98, 0.27, 0.93 spacing 0.09
	set key at screen 0.5, 0.01 center bottom horizontal maxrows 3 width 1 nobox
	set title "contiguity: physically adjacent neighbour pairs"
	set ylabel "contiguous pairs / (pages - 1)"
	unset logscale y
	set yrange [-0.02:1.02]
	set format y "%.1f"
	plot for [a in HAVE] DATA using (is(2, a) ? $3 : NaN):10 smooth unique \
		with linespoints ls alloc_ls(a) title alloc_title(a)
	unset key
	set title "largest physically contiguous run"
	set ylabel "pages (log scale)"
	set logscale y 2
	set yrange [0.8:*]
	set format y "%g"
	plot for [a in HAVE] DATA using (is(2, a) ? $3 : NaN):8 smooth unique \
		with linespoints ls alloc_ls(a) notitle
	unset multiplot
	eval close
}
