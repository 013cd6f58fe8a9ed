# plots/fig7_frag.gp - fragmentation indices of the buddy allocator.
#
#   gnuplot -c plots/fig7_frag.gp frag.csv OUT
#
# The kernel's unusable free space index and fragmentation index
# (mm/vmstat.c, as the analyzer computes them from buddyinfo snapshots)
# against the allocation order, one line per snapshot (phase of the run),
# for the zone that holds the most free pages in the first snapshot.  With
# snapshots named fresh and fragmented (vm/plans/report.sh) only those and
# released are drawn, the others stay in frag.csv.  The legend sits under
# both panels in one row (style.gp panel/legend).
# A fragmentation index of -1 means an allocation of that order would
# succeed from the free lists.
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
set datafile columnheaders

# Phases in file order (the order the plan took the snapshots).
PHASES = system(sprintf("awk -F, '%s!seen[$c[\"phase\"]]++ { printf \"%%s \", $c[\"phase\"] }' '%s'", AWK_COLS, DATA))
# A run with the fresh and fragmented phases (vm/plans/report.sh): those
# two, the pattern alone before fragment's --huge step (patterned), and
# the state after the fragmenter let go; else every snapshot.
if (strstrt(" ".PHASES, " fresh ") > 0 && strstrt(" ".PHASES, " fragmented ") > 0) {
	PHASES = "fresh".(strstrt(" ".PHASES, " patterned ") > 0 ? " patterned" : "")." fragmented".(strstrt(" ".PHASES, " released ") > 0 ? " released" : "")
}
ZONE = ""
best = -1
do for [z in "DMA DMA32 Normal Movable HighMem Device"] {
	stats DATA using ((strcol("phase") eq word(PHASES, 1) && strcol("zone") eq z && column("order") == 0) ? column("free_pages") : 0) nooutput
	if (STATS_max > best) { best = STATS_max; ZONE = z }
}
stats DATA using "order" nooutput
MAXORD = STATS_max

# Room for the page title above the two panel titles.
PANEL_TOP = 0.85
sel(ph) = strcol("phase") eq ph && strcol("zone") eq ZONE
# Phase label for the legend: the snapshot name and its free pages in ZONE.
freepages(ph) = system(sprintf("awk -F, -v p='%s' -v z='%s' '%s$c[\"phase\"] == p && $c[\"zone\"] == z && $c[\"order\"] == 0 { print $c[\"free_pages\"]; exit }' '%s'", ph, ZONE, AWK_COLS, DATA))
do for [fmt in FORMATS] {
	eval open(fmt)
	eval unlegend
	set xrange [-0.3:MAXORD + 0.3]
	set xtics 1
	set xlabel "allocation order j (blocks of 2^j pages)"
	set multiplot title sprintf("buddy allocator, zone %s (the zone with the most free pages at '%s')", ZONE, word(PHASES, 1))
	eval panel(1)
	set title "unusable free space index"
	set ylabel "share of free memory unusable at order j"
	set yrange [-0.02:1.02]
	set format y "%.1f"
	plot for [i = 1:words(PHASES)] DATA using (sel(word(PHASES, i)) ? column("order") : NaN):"unusable_index" \
		with linespoints ls i notitle
	eval panel(2)
	set title "fragmentation index (-1: a free block of order j exists)"
	set ylabel "index"
	set yrange [-1.1:1.1]
	plot for [i = 1:words(PHASES)] DATA using (sel(word(PHASES, i)) ? column("order") : NaN):"frag_index" \
		with linespoints ls i notitle
	eval legend(1)
	plot for [i = 1:words(PHASES)] -1 with linespoints ls i \
		title sprintf("%s (%s free pages)", word(PHASES, i), freepages(word(PHASES, i)))
	unset multiplot
	eval close
}
