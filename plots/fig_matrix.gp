# plots/fig_matrix.gp - the kernel matrix's targets side by side.
#
#   gnuplot -c plots/fig_matrix.gp matrix.csv OUT
#
# matrix.csv is mk/matrix-table.sh's table, one row per target (6.1-4level,
# 6.12-5level, ...), cells of each target's findings.csv.  Three panels,
# one cluster per target: the largest buddy orders (largest successful
# kmalloc and alloc_pages, and the order of kmalloc's longest physically
# contiguous run); vmalloc's mean physically contiguous run in pages; and
# the analyzer's percentages: vmalloc pages virt_to_phys() gets wrong, the
# walk and vmalloc_to_page() disagree on, and vmalloc-area pages a huge
# pmd leaf maps.  Every value is a cell: nothing is computed here.
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2

col(name) = column(name)
# "6.12-5level" -> "6.12/5" (kernel series / paging levels), so four
# targets fit under a panel.
lab(t) = t[1:strstrt(t, "-") - 1] . "/" . t[strstrt(t, "-") + 1:strstrt(t, "l") - 1]
set key autotitle columnhead
set style data histograms
set style histogram clustered gap 1.2
set style fill solid 0.85 border lc rgb "#404040"
set grid ytics lc rgb "#D0D0D0"
set xtics scale 0 noenhanced
set xlabel "kernel / paging levels" font ",9"
set key outside below vertical Left reverse samplen 1.5 font ",8"

do for [fmt in FORMATS] {
	eval open(fmt)
	set multiplot layout 1, 3 title "The kernel matrix: Debian 6.1 and 6.12, 4- and 5-level paging"

	set title "largest orders" font ",10"
	set ylabel "buddy order (log2 of 4 KiB pages)"
	set yrange [0:*]
	set ytics 1
	plot DATA using (col("kmalloc_size_max_order")):xtic(lab(strcol("target"))) title "kmalloc, largest success" lc rgb "#E69F00", \
		'' using (col("alloc_pages_size_max_order")) title "alloc_pages, largest success" lc rgb "#009E73", \
		'' using (col("kmalloc_largest_run_order")) \
			title "kmalloc, longest contiguous run (its order)" lc rgb "#CC79A7" fs pattern 4 border lc rgb "#404040"

	set title "mean physically contiguous run" font ",10"
	set ylabel "pages (log scale)"
	set logscale y
	set ytics autofreq
	set yrange [1:*]
	plot DATA using (col("malloc4k_all_mean_run")):xtic(lab(strcol("target"))) title "user 4 KiB blocks" lc rgb "#0072B2", \
		'' using (col("block_all_mean_run")) title "user block (-b 1G)" lc rgb "#E69F00", \
		'' using (col("thp_all_mean_run")) title "user THP block" lc rgb "#009E73", \
		'' using (col("vmalloc_all_mean_run")) title "kernel vmalloc" lc rgb "#56B4E9" fs pattern 4 border lc rgb "#404040"
	unset logscale y

	set title "vmalloc-area pages" font ",10"
	set ylabel "% of the allocator's vmalloc-area pages"
	set yrange [0:110]
	plot DATA using (col("vmalloc_v2p_pct")):xtic(lab(strcol("target"))) \
			title "virt_to_phys() != walk" lc rgb "#D55E00", \
		'' using (col("vmalloc_walk_pct")) \
			title "walk != vmalloc_to_page()" lc rgb "#0072B2", \
		'' using (col("vmalloc_area_pmd_pct")) \
			title "vmalloc: under a pmd leaf" lc rgb "#F0E442" fs pattern 5 border lc rgb "#404040", \
		'' using (col("kvmalloc_area_pmd_pct")) \
			title "kvmalloc: under a pmd leaf" lc rgb "#CC79A7" fs pattern 4 border lc rgb "#404040"
	unset multiplot
	eval close
}
