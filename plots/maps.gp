# plots/maps.gp - shared body of the VA->PA map figures (fig1, fig2).
#
# Loaded by a figure script after it sets DATA (the analyzer's pfnmap.csv:
# source,allocator,size_bytes,sample,page,pfn,pfn_offset), SHOW (the
# allocators, one panel each, side by side), TITLE and OUT.  A panel
# plots the page index in the allocation (virtual order) against the page
# frame number; pfnmap.csv holds, per allocator, the first sample of its
# largest request, and each panel names that size.  An allocator without
# rows gets a panel that says so.
set datafile columnheaders
# The header and the rows of one allocator, filtered by awk (by column
# name): gnuplot reads only them.
sel(a) = sprintf("< awk -F, -v a='%s' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next } $c[\"allocator\"] == a' '%s'", a, DATA)
nrows(a) = system(sprintf("awk -F, -v a='%s' '%s$c[\"allocator\"] == a { n++ } END { print n + 0 }' '%s'", a, AWK_COLS, DATA)) + 0
NP = words(SHOW)
array SZ[NP]
array SMP[NP]
array NPAGES[NP]
array PMIN[NP]
array PMAX[NP]
do for [i = 1:NP] {
	a = word(SHOW, i)
	SZ[i] = 0
	SMP[i] = 0
	if (nrows(a) > 0) {
		# one column at a time: two columns would fit a line and warn
		# about its errors on a group of one or two pages
		stats sel(a) using "size_bytes" nooutput
		SZ[i] = STATS_max
		stats sel(a) using "sample" nooutput
		SMP[i] = STATS_max
		stats sel(a) using "pfn" nooutput
		PMIN[i] = STATS_min
		PMAX[i] = STATS_max
	}
	NPAGES[i] = SZ[i] / 4096
}
sizestr(b) = b >= 1073741824 ? sprintf("%g GiB", b / 1073741824.0) : \
	b >= 1048576 ? sprintf("%g MiB", b / 1048576.0) : sprintf("%g KiB", b / 1024.0)

set xlabel "page index (virtual order)"
set format y "%.0f"
set format x "%g"
unset key
do for [fmt in FORMATS] {
	eval open(fmt)
	set multiplot layout 1, NP title TITLE margins 0.1, 0.98, 0.12, 0.84 spacing 0.1
	do for [i = 1:NP] {
		a = word(SHOW, i)
		set title sprintf("%s\n%s, sample %d", alloc_title(a), sizestr(SZ[i]), SMP[i])
		set ylabel (i == 1 ? "physical page frame number (PFN)" : "")
		if (SZ[i] > 0) {
			unset label 1
			set xrange [-0.5:NPAGES[i] - 0.5]
			set xtics 0, (NPAGES[i] >= 8 ? NPAGES[i] / 4 : 1)
			# one frame in the panel: a range around it (autoscale warns)
			if (PMIN[i] == PMAX[i]) { set yrange [PMIN[i] - 1:PMAX[i] + 1] } else { set autoscale y }
			ps_map = NPAGES[i] > 2048 ? 0.25 : (NPAGES[i] > 256 ? 0.5 : 0.8)
			plot sel(a) using "page":"pfn" \
				with points ls alloc_ls(a) pt 5 ps ps_map
		} else {
			set title alloc_title(a)
			set label 1 "no rows in this run" at graph 0.5, 0.5 center
			set xrange [0:1]
			set yrange [0:1]
			plot NaN
		}
	}
	unset multiplot
	eval close
}
