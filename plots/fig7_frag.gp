# plots/fig7_frag.gp - fragmentation indices of the buddy allocator.
#
#   gnuplot -c plots/fig7_frag.gp fragzone.csv OUT
#
# The kernel's unusable free space index and fragmentation index
# (mm/vmstat.c, as the analyzer computes them from buddyinfo snapshots)
# against the allocation order, one line per snapshot (phase of the run),
# for the zone the analyzer chose and names in every row of fragzone.csv
# (the zone with the most free pages in any snapshot): this script picks
# no zone and computes nothing, it draws the rows.  With snapshots named
# fresh and fragmented (vm/plans/report.sh) only those, patterned and
# released are drawn, the others stay in the table.  The legend sits
# under both panels in one row (style.gp panel/legend).
# A fragmentation index of -1 means an allocation of that order would
# succeed from the free lists.  The top panel draws what both indices come
# from: the raw buddyinfo count of free blocks per order (free_blocks),
# one line per phase, on a log scale with 0 drawn on its own tick.
# Orders 9 (2 MiB: a THP or a pmd leaf) and 10 (4 MiB, the largest order
# of this kernel, MAX_ORDER - 1) are marked in every panel.
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
# The zone: the analyzer's choice, as every row names it.
ZONE = system(sprintf("awk -F, '%s{ printf \"%%s\", $c[\"zone\"]; exit }' '%s'", AWK_COLS, DATA))
stats DATA using "order" nooutput
MAXORD = STATS_max

# The page: the free-blocks panel across the top, the two index panels
# side by side under it (style.gp panel() with PANEL_TOP lowered), the
# legend at the bottom.
PDFTERM = "pdfcairo color noenhanced font 'DejaVu Sans,9' size 6.4in,5.6in linewidth 1.3 rounded pointscale 0.6"
PNGTERM = "pngcairo color noenhanced font 'DejaVu Sans,11' size 1280,1120 linewidth 1.8 rounded"
LEGEND_H = 0.09
PANEL_TOP = 0.46
top_panel = "set lmargin at screen 0.08; set rmargin at screen 0.98; set tmargin at screen 0.9; set bmargin at screen 0.63; unset key"
marks = "set arrow 9 from 9, graph 0 to 9, graph 1 nohead dt 2 lw 1 lc rgb '#404040' back; set arrow 10 from 10, graph 0 to 10, graph 1 nohead dt 4 lw 1 lc rgb '#404040' back"
# zero free blocks: drawn at 0.5, on a tick named 0 (log scale)
zb(n) = n > 0 ? n : 0.5
sel(ph) = strcol("phase") eq ph
# Phase label for the legend: the snapshot name and its free pages in ZONE.
freepages(ph) = system(sprintf("awk -F, -v p='%s' '%s$c[\"phase\"] == p { print $c[\"free_pages\"]; exit }' '%s'", ph, AWK_COLS, DATA))
do for [fmt in FORMATS] {
	eval open(fmt)
	eval unlegend
	set xrange [-0.3:MAXORD + 0.3]
	set xtics 1
	set xlabel "allocation order j (blocks of 2^j pages)"
	set multiplot title sprintf("buddy allocator, zone %s (the zone with the most free pages in any snapshot)", ZONE)
	eval top_panel
	eval marks
	set title "free blocks per order (/proc/buddyinfo)"
	set ylabel "free blocks (log scale)"
	set logscale y 10
	set yrange [0.4:*]
	set format y "%.0f"
	set ytics add ("0" 0.5)
	set label 9 "order 9: 2 MiB (THP, pmd leaf)" at 9, graph 0.97 right offset -0.5, 0 font ",8" front
	set label 10 "order 10: 4 MiB (largest)" at 10, graph 0.85 right offset -0.5, 0 font ",8" front
	plot for [i = 1:words(PHASES)] DATA using (sel(word(PHASES, i)) ? column("order") : NaN):(zb(column("free_blocks"))) \
		with linespoints ls i notitle
	unset label 9
	unset label 10
	unset logscale y
	set ytics autofreq
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
	unset arrow 9
	unset arrow 10
	eval legend(1)
	plot for [i = 1:words(PHASES)] -1 with linespoints ls i \
		title sprintf("%s (%s free pages)", word(PHASES, i), freepages(word(PHASES, i)))
	unset multiplot
	eval close
}
