# plots/fig7_frag.gp - fragmentation indices of the buddy allocator.
#
#   gnuplot -c plots/fig7_frag.gp frag.csv OUT
#
# The kernel's unusable free space index and fragmentation index
# (mm/vmstat.c, as the analyzer computes them from buddyinfo snapshots)
# against the allocation order, one line per snapshot (phase of the run),
# for the zone that holds the most free pages in the first snapshot.
# A fragmentation index of -1 means an allocation of that order would
# succeed from the free lists.
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
set datafile columnheaders

# Phases in file order (the order the plan took the snapshots).
PHASES = system(sprintf("awk -F, 'NR > 1 && !seen[$1]++ { printf \"%%s \", $1 }' '%s'", DATA))
ZONE = ""
best = -1
do for [z in "DMA DMA32 Normal Movable HighMem Device"] {
	stats DATA using ((strcol("phase") eq word(PHASES, 1) && strcol("zone") eq z && column("order") == 0) ? column("free_pages") : 0) nooutput
	if (STATS_max > best) { best = STATS_max; ZONE = z }
}
stats DATA using "order" nooutput
MAXORD = STATS_max

sel(ph) = strcol("phase") eq ph && strcol("zone") eq ZONE
set xrange [-0.3:MAXORD + 0.3]
set xtics 1
set xlabel "allocation order j (blocks of 2^j pages)"
set key at screen 0.5, 0.01 center bottom horizontal maxrows 2 width 2 nobox
do for [fmt in FORMATS] {
	eval open(fmt)
	set multiplot layout 1, 2 title sprintf("buddy allocator, zone %s (%d free pages in '%s')", ZONE, best, word(PHASES, 1)) \
		margins 0.08, 0.98, 0.22, 0.88 spacing 0.09
	set title "unusable free space index"
	set ylabel "share of free memory unusable at order j"
	set yrange [-0.02:1.02]
	plot for [i = 1:words(PHASES)] DATA using (sel(word(PHASES, i)) ? column("order") : NaN):"unusable_index" \
		with linespoints ls i title "snapshot: ".word(PHASES, i)
	set title "fragmentation index (-1: the order is available)"
	set ylabel "index"
	set yrange [-1.05:1.05]
	plot for [i = 1:words(PHASES)] DATA using (sel(word(PHASES, i)) ? column("order") : NaN):"frag_index" \
		with linespoints ls i notitle
	unset multiplot
	eval close
}
