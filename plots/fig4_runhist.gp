# plots/fig4_runhist.gp - how long the physically contiguous runs are, per size.
#
#   gnuplot -c plots/fig4_runhist.gp runhist.csv OUT
#
# A heatmap per allocator (small multiples): request size across (log2),
# run order k down (runs of 2^k to 2^(k+1)-1 physically contiguous pages),
# each cell shaded by the analyzer's size_share, the share of that size's
# pages (over its samples) that lie in runs of that order.  A column with
# one dark cell at k = log2(pages) is one contiguous block; a column dark
# at k = 0 is scattered 4 KiB frames.  The shading runs from white to dark
# blue with falling lightness, so it reads in grey-scale too; cells of
# 50% and more also print their percentage, in white on the dark cells
# (75% and more) and in black on the lighter ones.
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
set datafile columnheaders

HAVE = ""
do for [a in ALLOCS] {
	stats DATA using (is("allocator", a) ? 1 : 0) nooutput
	if (STATS_sum > 0 && a ne "pidwalk") { HAVE = HAVE." ".a }
}
stats DATA using "order" nooutput
MAXORD = STATS_max
NP = words(HAVE)
# Two panels a row: with four, a column of 17 sizes was 5 pt wide at the
# printed size and the cells' percentages ran into each other.
COLS = NP > 2 ? 2 : (NP > 0 ? NP : 1)
ROWS = NP > 0 ? int((NP + COLS - 1) / COLS) : 1
FIG_H = 0.8 + 1.95 * ROWS
PDFTERM = sprintf("pdfcairo color noenhanced font 'DejaVu Sans,9' size 6.4in,%.2fin linewidth 1.3 rounded", FIG_H)
PNGTERM = sprintf("pngcairo color noenhanced font 'DejaVu Sans,11' size 1280,%d linewidth 1.8 rounded", int(200 * FIG_H))
lg2(x) = log(x) / log(2)

set palette defined (0 "#FFFFFF", 0.25 "#C6DBEF", 0.5 "#6BAED6", 0.75 "#2171B5", 1 "#08306B")
set cbrange [0:1]
set cbtics ("0" 0, "25%%" 0.25, "50%%" 0.5, "75%%" 0.75, "100%%" 1)
COLORBOX = "set colorbox user origin screen 0.935, screen 0.3 size screen 0.015, screen 0.4"
set xtics ("4K" 12, "64K" 16, "1M" 20, "16M" 24, "256M" 28, "1G" 30) font ",8"
set ytics 0, 2 font ",8"
set yrange [-0.5:MAXORD + 0.5]
set grid noxtics noytics
set style fill solid 1.0 noborder
unset key
do for [fmt in FORMATS] {
	eval open(fmt)
	# one colour box for the figure: drawn with the first panel only (the
	# same box drawn once a panel printed its labels eight times over)
	eval COLORBOX
	set multiplot layout ROWS, COLS title "pages by physically contiguous run order k (runs of 2^k to 2^(k+1)-1 pages), per request size" margins 0.08, 0.9, 0.45 / FIG_H, 1 - 0.5 / FIG_H spacing 0.08, 0.75 / FIG_H
	if (NP == 0) {
		set label 1 "no runs in this run" at graph 0.5, 0.5 center
		plot NaN
		unset label 1
	}
	do for [a in HAVE] {
		set title alloc_title(a)
		set autoscale xy
		stats DATA using (is("allocator", a) ? lg2(column("size_bytes")) : NaN) nooutput
		set xrange [STATS_min - 0.6:STATS_max + 0.6]
		set yrange [-0.5:MAXORD + 0.5]
		set xlabel "request size" font ",8"
		set ylabel "run order k" font ",8"
		plot DATA using (is("allocator", a) ? lg2(column("size_bytes")) : NaN):"order":(0.5):(0.5):"size_share" \
				with boxxyerror fc palette, \
			DATA using (is("allocator", a) && column("size_share") >= 0.5 ? lg2(column("size_bytes")) : NaN):"order":(sprintf("%.0f", 100.0 * column("size_share"))):(column("size_share") >= 0.75 ? 0xFFFFFF : 0) \
				with labels font ",6" tc rgb variable
		unset colorbox
	}
	unset multiplot
	eval close
}
