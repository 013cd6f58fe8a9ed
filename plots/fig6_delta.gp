# plots/fig6_delta.gp - where the next page lands: PFN deltas, one panel per allocator.
#
#   gnuplot -c plots/fig6_delta.gp deltabins.csv OUT
#
# deltabins.csv is the analyzer's: source,allocator,bin,pairs,present_pairs,
# share.  For consecutive pages i, i+1 of one allocation, d = pfn[i+1] -
# pfn[i]; the analyzer counts the pairs of each allocator, over every size
# and sample, in five named bins: -1 (the frame below), 0 (the same
# frame), +1 (the physically next frame), +-2..511 and +-512 and more.
# Small multiples: one panel per allocator with pairs, the bins' shares as
# bars with the percentage printed on each (so the figure reads in grey).
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
set datafile columnheaders

binx(s) = s eq "-1" ? 0 : s eq "0" ? 1 : s eq "+1" ? 2 : s eq "+-2..511" ? 3 : s eq "+-512+" ? 4 : NaN
HAVE = ""
do for [a in ALLOCS] {
	stats DATA using (is("allocator", a) ? column("present_pairs") : 0) nooutput
	if (STATS_max > 0 && a ne "pidwalk") { HAVE = HAVE." ".a }
}
NP = words(HAVE)
COLS = NP > 4 ? 4 : (NP > 0 ? NP : 1)
ROWS = NP > 0 ? int((NP + COLS - 1) / COLS) : 1
PDFTERM = sprintf("pdfcairo color noenhanced font 'DejaVu Sans,9' size 6.4in,%.1fin linewidth 1.3 rounded", 0.6 + 2.0 * ROWS)
PNGTERM = sprintf("pngcairo color noenhanced font 'DejaVu Sans,11' size 1280,%d linewidth 1.8 rounded", 120 + 400 * ROWS)

set style fill solid 0.8 border lc rgb "#303030"
set boxwidth 0.7
set xrange [-0.6:4.6]
set yrange [0:118]
set ytics 0, 25, 100
set format y "%g%%"
set xtics ("-1" 0, "0" 1, "+1" 2, "+-2..511" 3, "+->=512" 4) font ",8" scale 0 rotate by 30 right
set grid noxtics ytics
unset key
do for [fmt in FORMATS] {
	eval open(fmt)
	set multiplot layout ROWS, COLS title "PFN delta d = pfn[i+1] - pfn[i] between consecutive virtual pages (% of each allocator's page pairs, all sizes and samples)" margins 0.07, 0.98, 0.1, 0.86 spacing 0.05, 0.14
	if (NP == 0) {
		set label 1 "no page pairs in this run" at graph 0.5, 0.5 center
		plot NaN
		unset label 1
	}
	do for [a in HAVE] {
		set title alloc_title(a)
		plot DATA using (is("allocator", a) ? binx(strcol("bin")) : NaN):(100.0 * column("share")) \
				with boxes ls alloc_ls(a) dt 1, \
			DATA using (is("allocator", a) ? binx(strcol("bin")) : NaN):(100.0 * column("share") + 4):(sprintf("%.1f%%", 100.0 * column("share"))) \
				with labels font ",8"
	}
	unset multiplot
	eval close
}
