# plots/style.gp - the one look every figure shares (loaded by plots/*.gp).
#
# A figure script is run as `gnuplot -c plots/figN.gp DATA... OUT` and draws
# the same plot twice, `do for [fmt in FORMATS] { eval open(fmt); ...; eval
# close }`, once to OUT.pdf (pdfcairo) and once to OUT.png (pngcairo).  Each
# allocator keeps one colour, dash type and point type in every figure
# (alloc_ls); the colours are the Okabe-Ito set, and the dash and point types
# differ too, so the lines stay apart when printed in grey.  Data files are
# the analyzer's CSVs (comma separated, one header line).

set datafile separator comma
set datafile missing ""
set termoption noenhanced

FORMATS = "pdf png"
PDFTERM = "pdfcairo color noenhanced font 'DejaVu Sans,9' size 6.4in,3.6in linewidth 1.3 rounded pointscale 0.6"
PNGTERM = "pngcairo color noenhanced font 'DejaVu Sans,11' size 1280,720 linewidth 1.8 rounded"
# OUT is the output path without extension; every script sets it from its
# last argument before it calls open().
open(fmt) = sprintf("set terminal %s; set output '%s.%s'", \
	fmt eq "pdf" ? PDFTERM : PNGTERM, OUT, fmt)
close = "unset output"

# Allocators in the order the legends list them; alloc_ls(a) is the line
# style of allocator a (0 when unknown, which no script plots).
ALLOCS = "malloc4k block thp hugetlb kmalloc vmalloc kvmalloc alloc_pages pidwalk"
alloc_ls_from(a, i) = i > words(ALLOCS) ? 0 : (word(ALLOCS, i) eq a ? i : alloc_ls_from(a, i + 1))
alloc_ls(a) = alloc_ls_from(a, 1)
# What each one is, for legends: the memalloc mode or the kernel call.
alloc_title(a) = a eq "malloc4k" ? "user: 4 KiB blocks (-b 4K)" : \
	a eq "block" ? "user: one block (-b 1G)" : \
	a eq "thp" ? "user: THP block (-b thp)" : \
	a eq "hugetlb" ? "user: hugetlb (-b hugetlb)" : \
	a eq "kmalloc" ? "kernel: kmalloc" : \
	a eq "vmalloc" ? "kernel: vmalloc" : \
	a eq "kvmalloc" ? "kernel: kvmalloc" : \
	a eq "alloc_pages" ? "kernel: alloc_pages" : \
	a eq "pidwalk" ? "kernel walk of a process" : a

set style line 1 lc rgb "#0072B2" dt 1 pt 7 ps 0.8 lw 1.5
set style line 2 lc rgb "#D55E00" dt 2 pt 5 ps 0.8 lw 1.5
set style line 3 lc rgb "#009E73" dt 3 pt 9 ps 0.9 lw 1.5
set style line 4 lc rgb "#CC79A7" dt 4 pt 11 ps 0.9 lw 1.5
set style line 5 lc rgb "#E69F00" dt 1 pt 13 ps 0.9 lw 1.5
set style line 6 lc rgb "#56B4E9" dt 5 pt 6 ps 0.8 lw 1.5
set style line 7 lc rgb "#000000" dt 6 pt 4 ps 0.8 lw 1.5
set style line 8 lc rgb "#882255" dt (12, 4, 2, 4) pt 8 ps 0.9 lw 1.5
set style line 9 lc rgb "#777777" dt (2, 6) pt 2 ps 0.8 lw 1.5
# Grid and frame: light, behind the data.
set style line 100 lc rgb "#D0D0D0" dt 3 lw 0.8
set grid back ls 100
set border 3 back
set tics nomirror out scale 0.6
set key outside right top vertical Left reverse samplen 3 spacing 1.15 box lc rgb "#B0B0B0"

# Two panels side by side with one legend under both, in rows across the
# whole width (a key belongs to one plot, and in half the width gnuplot
# fits only one column of these titles).  In `set multiplot` (no layout):
#   eval unlegend; axis settings; eval panel(1); plot ... notitle
#   eval panel(2); plot ... notitle
#   eval legend(ROWS); plot for [...] -1 with ... title ...  (y = -1 is
#   outside the legend's range: clipped, while NaN would be an error)
# panel() leaves the bottom LEGEND_H of the page (screen units) to the
# legend, which is a frameless plot with a key and no data.
LEGEND_H = 0.13
PANEL_TOP = 0.9
panel(i) = sprintf("set lmargin at screen %g; set rmargin at screen %g; set tmargin at screen %g; set bmargin at screen %g", \
	i == 1 ? 0.08 : 0.585, i == 1 ? 0.475 : 0.98, PANEL_TOP, LEGEND_H + 0.1) . "; unset key"
legend(rows) = sprintf("set lmargin at screen 0.01; set rmargin at screen 0.99; set tmargin at screen %g; set bmargin at screen 0.005; ", LEGEND_H - 0.02) . \
	"unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset logscale; unset label; unset arrow; " . \
	"set xrange [0:1]; set yrange [0:1]; " . \
	sprintf("set key inside center center horizontal Left reverse nobox samplen 3 spacing 1.2 width 2 maxrows %d", rows)
# What legend() changed, back to this file's look: run it at the start of
# each format's pass, before the script's own axis settings (the second
# pass must not inherit the legend's ranges).
unlegend = "set border 3 back; set xtics autofreq; set ytics autofreq; set tics nomirror out scale 0.6; " . \
	"set grid back ls 100; set autoscale; unset format; set key default; " . \
	"set key outside right top vertical Left reverse samplen 3 spacing 1.15 box lc rgb '#B0B0B0'"

# Request sizes on a log2 axis, labelled in KiB/MiB/GiB every factor 4.
SIZE_XTICS = "set xtics (\"4K\" 4096, \"16K\" 16384, \"64K\" 65536, \"256K\" 262144, \"1M\" 1048576, \"4M\" 4194304, \"16M\" 16777216, \"64M\" 67108864, \"256M\" 268435456, \"1G\" 1073741824)"

# One field of a CSV row, by its header name (a script that reads a table
# sets `set datafile columnheaders`), equal to a string; strcol() is empty
# on a missing field, so a short row never matches.  Figures pick every
# column by name, never by position (DESIGN.md "Layout").
is(col, s) = strcol(col) eq s
# An awk prelude that maps a table's header names to field numbers, c[name],
# for the scripts that ask awk about a table: $c["phase"], not $1.
AWK_COLS = "NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } "
# The header and the rows of one allocator of DATA, filtered by awk (by
# column name): gnuplot reads only them; and how many rows that is.
sel(a) = sprintf("< awk -F, -v a='%s' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } $c[\"allocator\"] == a' '%s'", a, DATA)
nrows(a) = system(sprintf("awk -F, -v a='%s' '%s$c[\"allocator\"] == a { n++ } END { print n + 0 }' '%s'", a, AWK_COLS, DATA)) + 0
