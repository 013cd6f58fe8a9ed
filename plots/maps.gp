# plots/maps.gp - shared body of the VA->PA map figures (fig1, fig2).
#
# Loaded by a figure script after it sets FILES (samples CSVs in schema 1,
# one allocator each), TITLE and OUT.  Draws one panel per file, side by
# side: the page index in the allocation (virtual order) against the
# page frame number the row's pa gives.  Every panel shows the same
# request size, the largest one that every file holds, and each file's
# first sample, so the panels compare like with like.  Hex addresses are
# read by gnuplot itself (real("0x...")).
NF = words(FILES)
array AL[NF]
S = -1
do for [i = 1:NF] {
	stats word(FILES, i) using 3 nooutput
	S = (S < 0 || STATS_max < S) ? STATS_max : S
}
array SMP[NF]
array NPTS[NF]
do for [i = 1:NF] {
	f = word(FILES, i)
	stats f using ($3 == S ? $4 : NaN) nooutput
	SMP[i] = STATS_min
	AL[i] = system(sprintf("awk -F, 'NR == 2 { print $2; exit }' '%s'", f))
}
pfn(c) = strcol(c)[1:2] eq "0x" ? real(strcol(c)) / 4096 : NaN
sizestr(b) = b >= 1073741824 ? sprintf("%g GiB", b / 1073741824.0) : \
	b >= 1048576 ? sprintf("%g MiB", b / 1048576.0) : sprintf("%g KiB", b / 1024.0)

set xlabel "page index in the allocation (virtual order)"
set format y "%.0f"
set format x "%g"
set xrange [-0.5:S / 4096 - 0.5]
set xtics (S / 4096 >= 8 ? S / 4096 / 4 : 1)
unset key
do for [fmt in FORMATS] {
	eval open(fmt)
	set multiplot layout 1, NF title sprintf("%s: %s request, first sample", TITLE, sizestr(S)) \
		margins 0.1, 0.98, 0.12, 0.86 spacing 0.1
	do for [i = 1:NF] {
		set title alloc_title(AL[i])
		set ylabel (i == 1 ? "physical page frame number (PFN)" : "")
		ps_map = S / 4096 > 2048 ? 0.25 : (S / 4096 > 256 ? 0.5 : 0.8)
		plot word(FILES, i) using (($3 == S && $4 == SMP[i]) ? $5 : NaN):(pfn(7)) \
			with points ls alloc_ls(AL[i]) pt 7 ps ps_map
	}
	unset multiplot
	eval close
}
