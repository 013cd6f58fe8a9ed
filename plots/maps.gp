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

if (!exists("XVA")) { XVA = 0 }
if (!exists("INSET")) { INSET = 0 }
ROWS = INSET ? 2 : 1
ZOOM = 512
# x of a row: its virtual address (XVA) or its page index; NaN past the
# last page shown (LAST: all of them, or the first ZOOM in the inset row).
xof(last) = column("page") < last ? (XVA ? column("va") : column("page")) : NaN
if (ROWS == 2) {
	PDFTERM = "pdfcairo color noenhanced font 'DejaVu Sans,9' size 6.4in,5.6in linewidth 1.3 rounded pointscale 0.6"
	PNGTERM = "pngcairo color noenhanced font 'DejaVu Sans,11' size 1280,1120 linewidth 1.8 rounded"
}
set format y "%.0f"
unset key
do for [fmt in FORMATS] {
	eval open(fmt)
	set multiplot layout ROWS, NP title TITLE margins 0.1, 0.98, (ROWS == 2 ? 0.1 : 0.12), 0.84 spacing 0.1, 0.16
	do for [r = 1:ROWS] {
	do for [i = 1:NP] {
		a = word(SHOW, i)
		LAST = r == 1 ? NPAGES[i] : (NPAGES[i] < ZOOM ? NPAGES[i] : ZOOM)
		if (r == 1) {
			set title sprintf("%s\n%s, sample %d", alloc_title(a), sizestr(SZ[i]), SMP[i])
		} else {
			set title sprintf("zoom: its first %d pages", LAST)
		}
		set ylabel (i == 1 ? "physical page frame number (PFN)" : "")
		set xlabel (XVA ? "virtual address" : "page index (virtual order)")
		if (SZ[i] > 0) {
			unset label 1
			if (XVA) {
				set autoscale xy
				stats sel(a) using (xof(LAST)) nooutput
				XLO = STATS_min
				XHI = STATS_max
				set format x "0x%x"
				set xtics XLO, (XHI > XLO ? (XHI - XLO) / 2 : 4096), XHI rotate by 20 right font ",7"
				set xrange [XLO - 2048:XHI + 2048]
			} else {
				set format x "%g"
				set xtics 0, (LAST >= 8 ? LAST / 4 : 1) norotate font ""
				set xrange [-0.5:LAST - 0.5]
			}
			# one frame in the panel: a range around it (autoscale warns)
			if (PMIN[i] == PMAX[i]) { set yrange [PMIN[i] - 1:PMAX[i] + 1] } else { set autoscale y }
			ps_map = LAST > 2048 ? 0.25 : (LAST > 256 ? 0.5 : 0.8)
			# the key once, in the last panel of the first row
			if (XVA && r == 1 && i == NP) { set key bottom right opaque font ",8" samplen 1 } else { unset key }
			plot sel(a) using (column("thp") == 1 ? NaN : xof(LAST)):"pfn" \
					with points ls alloc_ls(a) pt 5 ps ps_map title "4 KiB page", \
				sel(a) using (column("thp") == 1 ? xof(LAST) : NaN):"pfn" \
					with points lc rgb "#000000" pt 9 ps ps_map title "THP page (pmd leaf)"
		} else {
			set title alloc_title(a)
			set label 1 "no rows in this run" at graph 0.5, 0.5 center
			set xrange [0:1]
			set yrange [0:1]
			plot NaN notitle
		}
	}
	}
	unset multiplot
	eval close
}
