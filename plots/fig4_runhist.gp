# plots/fig4_runhist.gp - how long the physically contiguous runs are.
#
#   gnuplot -c plots/fig4_runhist.gp runhist.csv OUT
#
# For each allocator, the share of its pages that lie in runs of 2^k to
# 2^(k+1)-1 physically contiguous pages (the analyzer's run order k), over
# every size and sample; user allocators on top, kernel ones below, one
# bar group per order.  smooth frequency adds the pages of equal x.
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
set datafile columnheaders

# Per allocator: the total pages, for the share; the allocators with data.
array TOTAL[words(ALLOCS)]
USER = ""
KERN = ""
do for [i = 1:words(ALLOCS)] {
	a = word(ALLOCS, i)
	stats DATA using (is("allocator", a) ? column("pages") : 0) nooutput
	TOTAL[i] = STATS_sum
	if (STATS_sum > 0 && a ne "pidwalk") {
		stats DATA using (is("allocator", a) && is("source", "user")) nooutput
		if (STATS_sum > 0) { USER = USER." ".a } else { KERN = KERN." ".a }
	}
}
stats DATA using "order" nooutput
MAXORD = STATS_max

# Bars of one group sit side by side around the order; n bars share 0.8.
barx(order, j, n) = order - 0.4 + (j - 0.5) * 0.8 / n
share(a) = 100.0 * column("pages") / TOTAL[alloc_ls(a)]

set style fill solid 0.85 border lc rgb "#404040"
set xrange [-0.6:MAXORD + 0.6]
set xtics 1
set yrange [0:*]
set ylabel "% of the allocator's pages"
set key at screen 0.995, graph 1 right top vertical Left reverse samplen 2 box lc rgb "#B0B0B0"
do for [fmt in FORMATS] {
	eval open(fmt)
	set multiplot layout 2, 1 margins 0.08, 0.74, 0.1, 0.93 spacing 0.12
	set title "user memory: pages by contiguous run length"
	set xlabel ""
	set format x ""
	if (words(USER) > 0) {
		set boxwidth 0.8 / words(USER) absolute
		plot for [j = 1:words(USER)] DATA \
			using (is("allocator", word(USER, j)) ? barx(column("order"), j, words(USER)) : NaN):(share(word(USER, j))) \
			smooth frequency with boxes ls alloc_ls(word(USER, j)) lw 0.5 title alloc_title(word(USER, j))
	} else {
		plot NaN notitle
	}
	set title "kernel memory"
	set xlabel "run length order k: runs of 2^k to 2^(k+1)-1 physically contiguous 4 KiB pages"
	set format x "%g"
	if (words(KERN) > 0) {
		set boxwidth 0.8 / words(KERN) absolute
		plot for [j = 1:words(KERN)] DATA \
			using (is("allocator", word(KERN, j)) ? barx(column("order"), j, words(KERN)) : NaN):(share(word(KERN, j))) \
			smooth frequency with boxes ls alloc_ls(word(KERN, j)) lw 0.5 title alloc_title(word(KERN, j))
	} else {
		plot NaN notitle
	}
	unset multiplot
	eval close
}
