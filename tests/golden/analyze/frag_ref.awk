# frag_ref.awk - the kernel's fragmentation indices, written again in awk
# from mm/vmstat.c (fill_contig_page_info, unusable_free_index,
# __fragmentation_index), independently of analyze/metrics.c, to make
# and re-check the expected frag outputs of the analyzer's golden tests.
#
#   awk -v phase=P -f frag_ref.awk buddyinfo.P.txt       frag.csv rows
#   awk -v kind=unusable -f frag_ref.awk buddyinfo.P.txt  debugfs lines
#   awk -v kind=extfrag  -f frag_ref.awk buddyinfo.P.txt
#
# Values are scaled by 1000 and divided with truncation, as div_u64()
# does; "%d.%03d" of index/1000 and index%1000, where awk's int() and %
# truncate toward zero as C does.
function fmt(x, w) { return sprintf(w ? "%2d.%03d" : "%d.%03d", int(x / 1000), x % 1000) }
/^Node/ {
	node = $2; sub(/,/, "", node); zone = $4
	n = NF - 4
	line = sprintf("Node %d, zone %8s ", node, zone)
	for (j = 0; j < n; j++) {
		F = 0; B = 0; S = 0
		for (k = 0; k < n; k++) {
			c = $(k + 5)
			B += c; F += c * 2 ^ k
			if (k >= j) S += c * 2 ^ (k - j)
		}
		u = F == 0 ? 1000 : int((F - S * 2 ^ j) * 1000 / F)
		if (B == 0) x = 0
		else if (S > 0) x = -1000
		else x = 1000 - int((1000 + int(F * 1000 / 2 ^ j)) / B)
		if (kind == "unusable") line = line fmt(u, 0) " "
		else if (kind == "extfrag") line = line fmt(x, 1) " "
		else printf "%s,%d,%s,%d,%d,%d,%s,%s\n", phase, node, zone, j, $(j + 5), F, fmt(u, 0), fmt(x, 0)
	}
	if (kind) print line
}
