# plots/fig_matrix.gp - the kernel matrix's targets side by side.
#
#   gnuplot -c plots/fig_matrix.gp matrix.csv OUT
#
# matrix.csv is mk/matrix-table.sh's table, one row per target (6.1-4level,
# 6.12-5level, ...).  Three panels, one cluster per target: the largest
# buddy orders (largest successful kmalloc and alloc_pages, and kmalloc's
# largest physically contiguous run as log2 of its pages); vmalloc's mean
# physically contiguous run in pages; and, in percent of the vmalloc pages,
# those virt_to_phys() gets wrong and those a huge pmd leaf maps.  The
# values are the table's; only the log2 and the percentages are taken here.
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
	plot DATA using (col("kmalloc_max_order")):xtic(lab(strcol("target"))) title "kmalloc, largest success" lc rgb "#E69F00", \
		'' using (col("alloc_pages_max_order")) title "alloc_pages, largest success" lc rgb "#009E73", \
		'' using (col("kmalloc_largest_run_bytes") > 0 ? log(col("kmalloc_largest_run_bytes") / 4096.0) / log(2) : 0) \
			title "kmalloc, longest contiguous run" lc rgb "#CC79A7" fs pattern 4 border lc rgb "#404040"

	set title "mean physically contiguous run" font ",10"
	set ylabel "pages (log scale)"
	set logscale y
	set ytics autofreq
	set yrange [1:*]
	plot DATA using (col("user_malloc4k_mean_run")):xtic(lab(strcol("target"))) title "user 4 KiB blocks" lc rgb "#0072B2", \
		'' using (col("user_block_mean_run")) title "user block (-b 1G)" lc rgb "#E69F00", \
		'' using (col("user_thp_mean_run")) title "user THP block" lc rgb "#009E73", \
		'' using (col("vmalloc_mean_run")) title "kernel vmalloc" lc rgb "#56B4E9" fs pattern 4 border lc rgb "#404040"
	unset logscale y

	set title "vmalloc-area pages" font ",10"
	set ylabel "% of the allocator's vmalloc-area pages"
	set yrange [0:110]
	plot DATA using (100.0 * col("vmalloc_v2p_mismatch") / col("vmalloc_pages")):xtic(lab(strcol("target"))) \
			title "virt_to_phys() != walk" lc rgb "#D55E00", \
		'' using (100.0 * col("vmalloc_walk_mismatch") / col("vmalloc_pages")) \
			title "walk != vmalloc_to_page()" lc rgb "#0072B2", \
		'' using (100.0 * col("vmalloc_pmd_pages") / col("vmalloc_pages")) \
			title "vmalloc: under a pmd leaf" lc rgb "#F0E442" fs pattern 5 border lc rgb "#404040", \
		'' using (col("kvmalloc_vmap_pages") > 0 ? 100.0 * col("kvmalloc_vmap_pmd_pages") / col("kvmalloc_vmap_pages") : 0) \
			title "kvmalloc: under a pmd leaf" lc rgb "#CC79A7" fs pattern 4 border lc rgb "#404040"
	unset multiplot
	eval close
}
