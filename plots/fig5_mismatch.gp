# plots/fig5_mismatch.gp - virt_to_phys() against the software page walk.
#
#   gnuplot -c plots/fig5_mismatch.gp summary.csv OUT
#
# For each kernel allocator, the share of its present pages where
# virt_to_phys() gives another address than the software walk
# pgd->p4d->pud->pmd->pte (v2p_mismatch), and where the walk disagrees
# with pagemap (walk_mismatch), over every size and sample.  The sums are
# taken here only to draw them; the analyzer counted the mismatches.
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2

# summary.csv by column name; $BARS below is this script's own, headerless.
set datafile columnheaders
set print $BARS
do for [a in ALLOCS] {
	stats DATA using (is("source", "kernel") && is("allocator", a) ? column("present") : 0) nooutput
	present = STATS_sum
	if (present > 0) {
		stats DATA using (is("source", "kernel") && is("allocator", a) ? column("v2p_mismatch") : 0) nooutput
		v2p = STATS_sum
		stats DATA using (is("source", "kernel") && is("allocator", a) ? column("walk_mismatch") : 0) nooutput
		walk = STATS_sum
		print sprintf("%s,%.4f,%.4f,%d,%d,%d,%d", a, 100.0 * v2p / present, \
			100.0 * walk / present, alloc_ls(a), v2p, walk, present)
	}
}
unset print
set datafile nocolumnheaders

set style data histograms
set style histogram clustered gap 1.5
set style fill solid 0.85 border lc rgb "#404040"
set yrange [0:105]
set ylabel "mismatching pages (% of present pages)"
set xlabel "kernel allocator (all sizes and samples)"
set key inside left top vertical Left reverse samplen 2 box lc rgb "#B0B0B0"
set grid noxtics
set xtics scale 0
do for [fmt in FORMATS] {
	eval open(fmt)
	set title "virt_to_phys() and vmalloc_to_page() checked against the software walk"
	if (|$BARS| > 0) {
		plot $BARS using 2:xtic(1) title "virt_to_phys() != walk" lc rgb "#D55E00" fs solid 0.85, \
			'' using 3 title "walk != pa_pagemap (vmalloc_to_page)" lc rgb "#56B4E9" fs pattern 4 border lc rgb "#404040", \
			'' using ($0 - 0.5 / 3.5):($2 + 2.5):(sprintf("%d/%d", $5, $7)) with labels font ",8" notitle, \
			'' using ($0 + 0.5 / 3.5):($3 + 2.5):(sprintf("%d/%d", $6, $7)) with labels font ",8" notitle
	} else {
		set label 1 "no kernel rows in this run" at graph 0.5, 0.5 center
		plot NaN notitle
	}
	eval close
}
