# plots/fig3_contig.gp - physical contiguity against the size asked for.
#
#   gnuplot -c plots/fig3_contig.gp summary.csv OUT
#
# Left: contiguity in either direction (contiguity_any: the share of
# neighbouring pages that are also neighbours in physical memory, frame
# i+1 = frame i + 1 or - 1, so that frames handed out downwards count too),
# right: the largest physically contiguous
# run in pages, both against the request size on a log2 axis, one line per
# allocator, the mean over samples (smooth unique averages equal x).
# kmalloc is drawn last, with larger open markers, so that it stays
# visible where its line lies on alloc_pages' (both are the buddy
# allocator's contiguous blocks up to the largest kmalloc size).
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
set datafile columnheaders

HAVE = ""
do for [a in ALLOCS] {
	stats DATA using (is("allocator", a) && a ne "pidwalk") nooutput
	if (STATS_sum > 0 && a ne "kmalloc") { HAVE = HAVE." ".a }
	if (STATS_sum > 0 && a eq "kmalloc") { KM = a }
}
# kmalloc, when the run has it, as its own last plot (an empty word list
# plots nothing): open, larger markers on top of the others.
if (!exists("KM")) { KM = "" }

do for [fmt in FORMATS] {
	eval open(fmt)
	eval unlegend
	@SIZE_XTICS
	set logscale x 2
	set xlabel "request size (bytes, log2 scale)"
	set offsets graph 0.02, graph 0.02, 0, 0
	set multiplot
	eval panel(1)
	set title "contiguity in either direction (contiguity_any)"
	set ylabel "pairs with frame +-1 / (pages - 1)"
	unset logscale y
	set yrange [-0.02:1.02]
	set format y "%.1f"
	plot for [a in HAVE] DATA using (is("allocator", a) ? column("size_bytes") : NaN):"contiguity_any" smooth unique \
		with linespoints ls alloc_ls(a) notitle, \
		for [a in KM] DATA using (is("allocator", a) ? column("size_bytes") : NaN):"contiguity_any" smooth unique \
		with linespoints ls alloc_ls(a) pt 6 ps 1.6 lw 2.2 notitle
	eval panel(2)
	set title "largest physically contiguous run"
	set ylabel "pages (log2 scale)"
	set logscale y 2
	set yrange [0.8:*]
	set format y "%g"
	plot for [a in HAVE] DATA using (is("allocator", a) ? column("size_bytes") : NaN):"largest_run" smooth unique \
		with linespoints ls alloc_ls(a) notitle, \
		for [a in KM] DATA using (is("allocator", a) ? column("size_bytes") : NaN):"largest_run" smooth unique \
		with linespoints ls alloc_ls(a) pt 6 ps 1.6 lw 2.2 notitle
	set offsets 0, 0, 0, 0
	eval legend(2)
	plot for [a in HAVE] -1 with linespoints ls alloc_ls(a) title alloc_title(a), \
		for [a in KM] -1 with linespoints ls alloc_ls(a) pt 6 ps 1.6 lw 2.2 title alloc_title(a)
	unset multiplot
	eval close
}
