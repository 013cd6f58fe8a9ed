# plots/fig6_delta.gp - where the next page lands: PFN deltas.
#
#   gnuplot -c plots/fig6_delta.gp deltas.csv OUT
#
# deltas.csv is the analyzer's: source,allocator,size_bytes,sample,bucket,
# lo_pages,hi_pages,pairs, buckets by sign and power of two.
#
# For consecutive pages i, i+1 of one allocation, d = pfn[i+1] - pfn[i] in
# pages, binned by sign and power of two (bin +1 is d = +1, the physically
# next page; bin +k is 2^(k-1) <= d < 2^k; bin -k mirrors it; 0 is d = 0),
# as a share of each allocator's pairs over every size and sample.  The
# analyzer counts; smooth frequency only adds counts of one bin.
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
set datafile columnheaders

sign_of(x) = x < 0 ? -1 : 1
dbin(d) = d == 0 ? 0 : sign_of(d) * (floor(log(abs(d)) / log(2) + 1e-9) + 1)

array TOTAL[words(ALLOCS)]
HAVE = ""
do for [i = 1:words(ALLOCS)] {
	a = word(ALLOCS, i)
	stats DATA using (strcol("allocator") eq a && strcol("bucket") ne "absent" ? column("pairs") : 0) nooutput
	TOTAL[i] = STATS_sum
	if (STATS_sum > 0 && a ne "pidwalk") { HAVE = HAVE." ".a }
}

set xlabel "PFN delta to the next page (pages): bin 0 is 0, bin k>0 is 2^(k-1) <= d < 2^k, bin -k the same below"
set ylabel "% of consecutive page pairs (log scale)"
set logscale y 10
set yrange [0.001:150]
set format y "%g"
set xtics 2
set mxtics 2
set xzeroaxis lt 1 lc rgb "#909090"
set arrow 1 from 1, graph 0 to 1, graph 1 nohead dt 2 lc rgb "#909090" back
set label 1 "d = +1: physically next page" at 1.4, graph 0.05 left font ",8" tc rgb "#606060"
do for [fmt in FORMATS] {
	eval open(fmt)
	set title "distribution of physical-page deltas between consecutive virtual pages"
	plot for [a in HAVE] DATA using (strcol("allocator") eq a && strcol("bucket") ne "absent" ? dbin(column("lo_pages") > 0 ? column("lo_pages") : column("hi_pages")) : NaN):(100.0 * column("pairs") / TOTAL[alloc_ls(a)]) \
		smooth frequency with points ls alloc_ls(a) ps 1.3 title alloc_title(a)
	eval close
}
