# reports/teach.awk - the report's teaching sections (issue 16), loaded
# with gen.awk (same helpers: head, para, item, table_*; readcsv, col):
# worked walks from walks.csv, virt_to_phys() against the walk from
# v2p.csv, leaf levels from findings.csv and leaves.csv, and the body's
# size x allocator table from overview.csv.  Every number is a cell of
# those tables or of meta.txt; this file only words them.

function teach_read() {
	if (exists(rdir "/walks.csv")) readcsv(rdir "/walks.csv", W)
	if (exists(rdir "/v2p.csv")) readcsv(rdir "/v2p.csv", V)
	if (exists(rdir "/leaves.csv")) readcsv(rdir "/leaves.csv", L)
	if (exists(rdir "/overview.csv")) readcsv(rdir "/overview.csv", O)
	WCASES = "kmalloc vmalloc kvmalloc_vmalloc alloc_pages user_4k user_thp direct_map_4k direct_map_2m direct_map_1g"
	WT["kmalloc"] = "kmalloc: a direct-map address"
	WT["vmalloc"] = "vmalloc: the vmalloc area, 4 KiB pages"
	WT["kvmalloc_vmalloc"] = "kvmalloc's vmalloc fallback"
	WT["alloc_pages"] = "alloc_pages: a direct-map address"
	WT["user_4k"] = "A user 4 KiB page"
	WT["user_thp"] = "A user THP page"
	WT["direct_map_4k"] = "The direct map at a 4 KiB leaf"
	WT["direct_map_2m"] = "The direct map at a 2 MiB leaf"
	WT["direct_map_1g"] = "The direct map at a 1 GiB leaf"
}

# --- worked walks ----------------------------------------------------------

function walk_one(c,    i, first, last, n, s, nx, key) {
	first = 0
	for (i = 1; i <= W["n"]; i++) if (col(W, i, "case") == c) { if (!first) first = i; last = i }
	if (!first) return 0
	head(2, WT[c])
	key = col(W, first, "source") "," col(W, first, "allocator") "," col(W, first, "size_bytes") "," col(W, first, "sample") "," col(W, first, "page")
	if (col(W, first, "allocator") == "pidwalk")
		s = "VA `" col(W, first, "va") "`: page " col(W, first, "page") " of the module's `pid " col(W, first, "sample") "` walk (every present page of that process, memalloc holding a THP block)."
	else
		s = "VA `" col(W, first, "va") "`: " col(W, first, "source") " row of `" col(W, first, "allocator") "`, " human(col(W, first, "size_bytes")) ", sample " col(W, first, "sample") ", page " col(W, first, "page") "."
	if (key in WSEEN) { para(s " The same page as the walk of " WSEEN[key] " above."); return 1 }
	WSEEN[key] = WT[c]
	para(s)
	table_begin("l r r l l l l", "level|shift|index|entry address|entry|bits|next table or leaf frame")
	for (i = first; i <= last; i++) {
		if (col(W, i, "folded") == "1") nx = "= the pgd entry (folded)"
		else if (col(W, i, "next_pa") != "") nx = col(W, i, "next_pa") " table"
		else if (col(W, i, "frame") != "") nx = col(W, i, "frame") " leaf"
		else nx = "none: not present"
		table_row(col(W, i, "level") "|" col(W, i, "shift") "|" col(W, i, "index") "|" col(W, i, "entry_addr") "|" col(W, i, "raw") "|" col(W, i, "bits") "|" nx)
	}
	table_end()
	if (col(W, last, "frame") != "")
		para("PA = leaf frame " col(W, last, "frame") " + offset " col(W, last, "offset") " (va's low " col(W, last, "shift") " bits) = **" col(W, last, "pa") "**; the row's `pa` is " col(W, last, "row_pa") (col(W, last, "agrees") == "1" ? ": the same, at the row's leaf level." : ": they **differ**."))
	return 1
}

function walks_section(    k, n, C, miss, paging) {
	head(1, "Walking the page tables")
	if (W["n"] == 0) { para("No worked walk: this run has no row with the raw entries (walks.csv is missing or empty)."); return }
	if (M["MACHINE"] == "aarch64") { para("This run is arm64: its walks, decoded as arm64 descriptors, are in the section A worked walk (arm64) below."); return }
	paging = col(W, 1, "paging")
	para("Each walk below is one page of this run, translated the way the MMU does it and as the `vtop` command of crash (the kernel crash-dump analyser) prints it: at each level the index is 9 bits of the VA, index = (va >> shift) & 511, the entry sits at the table's physical address + 8 x index, and the entry holds the next table's physical address (bits 51:12) or, at a leaf, the frame. The pgd line's address (and a folded p4d's) is `pgd_slot`, the slot's kernel virtual address as the module read it; the lines below are physical addresses. Each walk starts in the pgd of the process that asked for it, and every command comes from a process of its own, so the pgd slot's address changes from walk to walk while the entries below the pgd are the same tables (the section Two contexts shows why). Bits are named as in the Intel SDM: P present, RW writable, US user-accessible, PWT/PCD write-through and cache-disable, A accessed, D dirty, PS page size (bit 7 above the pte: a pud or pmd with PS is a 1 GiB or 2 MiB leaf), PAT (bit 7 of a pte, bit 12 of a large leaf), G global, NX no-execute, PKEY protection key; SOFT_DIRTY (bit 11) and the other software bits are Linux's. The module's decoder (collect/ptentry.c) wrote the bits; a test decodes every raw value again with a decoder of its own.")
	if (paging == "4") para("This kernel runs with 4-level paging, so the p4d level is folded: `p4d_offset()` returns the pgd entry itself, and the p4d line repeats the pgd line (same address, same value, same 9 bits of the VA, 47:39). With 5-level paging (LA57) the pgd takes bits 56:48 and the p4d is a real table.")
	else para("This kernel runs with 5-level paging (LA57): the pgd takes VA bits 56:48 and the p4d is a real table, indexed by bits 47:39.")
	para("Read the US bit over the whole walk: an upper-level entry of a kernel address may carry US or not (compare the bits columns: x86-64 points to some kernel tables with `_PAGE_TABLE`, 0x67, which has US, and to others with `_KERNPG_TABLE`, 0x63, which has not), because the permission that counts is the AND over all levels, and a kernel leaf lacks US (and carries G, so the TLB keeps it across process switches).")
	if ("fig0_walk" in FIGNO) para("Figure " FIGNO["fig0_walk"] " draws the vmalloc walk below as the chain of tables a teacher would draw on the board.")
	n = split(WCASES, C, " ")
	miss = ""
	for (k = 1; k <= n; k++) if (!walk_one(C[k])) miss = miss (miss == "" ? "" : ", ") "`" C[k] "`"
	if (miss != "") para("Not in this run's rows, so not walked: " miss ". No allocation of this run landed where the direct map uses that leaf (the Leaf levels section lists, per allocator, the leaves its rows met); the direct map's mix of leaves is there too.")
}

# --- virt_to_phys ----------------------------------------------------------

function v2p_section(    i, r, a, s) {
	head(1, "Why virt_to_phys() is wrong for vmalloc")
	r = 0
	for (i = 1; i <= V["n"]; i++) if (col(V, i, "allocator") == "vmalloc") r = i
	s = "On x86-64, `virt_to_phys(x)` is `__phys_addr(x)`: for an address of the direct map it is x - `page_offset_base` (for the kernel image, x - `__START_KERNEL_map` + `phys_base`). It does not walk the page tables. The direct map maps all of physical memory at one offset, so that arithmetic is right there; a vmalloc address lies elsewhere (the vmalloc area), its pages come one by one from anywhere in memory, and the same subtraction gives a number that is no physical address at all."
	para(s)
	if (r) {
		s = "In this boot (KASLR moves it) `page_offset_base` = " col(V, r, "page_offset_base") " (va - `virt_to_phys(va)` on " col(V, r, "base_agree") " of " col(V, r, "base_rows") " direct-map rows" (M["PAGE_OFFSET_BASE"] != "" ? "; meta.txt: " M["PAGE_OFFSET_BASE"] : "") "). The first vmalloc page that differs: VA " col(V, r, "va") " - " col(V, r, "page_offset_base") " = " col(V, r, "va_minus_base") ", which is what `virt_to_phys()` returned (" col(V, r, "pa_v2p") "); the walk gives " col(V, r, "pa_walk") ". The answer is off by " col(V, r, "off_bytes") " bytes, " col(V, r, "off_tib") " TiB, in a guest of " M["MEMTOTAL_KB"] " kB."
		para(s figref("fig5_mismatch", "draws the share per allocator and size"))
	} else para("No vmalloc row compared `virt_to_phys()` with the walk in this run.")
	table_begin("l r r r", "allocator|pages compared|differ|off by (TiB)")
	for (i = 1; i <= V["n"]; i++)
		table_row(col(V, i, "allocator") "|" col(V, i, "checked") "|" col(V, i, "differ") "|" (col(V, i, "differ") + 0 > 0 ? col(V, i, "off_tib") : "0 (agrees)"))
	table_end()
	para("Debian builds this kernel without `CONFIG_DEBUG_VIRTUAL`; with it, `__phys_addr()` checks its result (`VIRTUAL_BUG_ON`: the subtraction must not wrap and the result must fit the CPU's physical-address width), so an answer tens of TiB beyond the memory stops the kernel with a BUG instead of coming back as a wrong number. For vmalloc memory the right calls are `vmalloc_to_page()` or `vmalloc_to_pfn()`, which walk the tables as the module does.")
	s = "x86-64 has no highmem: `ZONE_HIGHMEM` exists only on 32-bit kernels, where the direct map cannot cover all of memory. Here the direct map covers all of it, and the zones are "
	s = s (M["ZONES_PRESENT"] != "" ? M["ZONES_PRESENT"] " (zone:present pages, /proc/zoneinfo)" : M["ZONES"] != "" ? M["ZONES"] " (/proc/buddyinfo)" : "not recorded in meta.txt") ". `ZONE_DMA` holds the physical addresses below 16 MiB, `ZONE_DMA32` those below 4 GiB, `ZONE_NORMAL` those above 4 GiB (a machine places there the RAM that does not fit below its PCI hole), and `ZONE_MOVABLE` and `ZONE_DEVICE` hold memory only when configured for it (movablecore=, device memory)."
	para(s)
}

# --- leaf levels -----------------------------------------------------------

function leaves_section(    i, r, a, s, dm, pw) {
	head(1, "Leaf levels")
	para("A leaf is the entry that maps the frame: a pte maps 4 KiB, a pmd with PS 2 MiB, a pud with PS 1 GiB. Per allocator, the rows of each leaf level over all sizes and samples (findings.csv):")
	table_begin("l l r r r", "allocator|source|pte leaves|pmd leaves|pud leaves")
	for (i = 1; i <= FD["n"]; i++) {
		table_row(col(FD, i, "allocator") "|" col(FD, i, "source") "|" col(FD, i, "leaf_pte") "|" col(FD, i, "leaf_pmd") "|" col(FD, i, "leaf_pud"))
		if (col(FD, i, "allocator") == "pidwalk") pw = 1
	}
	table_end()
	if (pw) para("`pidwalk` is not an allocator: it is the module's walk of one user process (the one of the user walks), so its source is the module (`kernel`) while its pages are user memory.")
	s = (M["DIRECTMAP_4K_KB"] != "" ? "The direct map (meminfo): " M["DIRECTMAP_4K_KB"] " kB in 4 KiB pages, " M["DIRECTMAP_2M_KB"] " kB in 2 MiB pages, " (M["DIRECTMAP_1G_KB"] != "" ? M["DIRECTMAP_1G_KB"] : "0") " kB in 1 GiB pages." : "The direct map's mix of leaves was not recorded (no DirectMap lines in meta.txt).") " The kernel maps it with the largest leaves that fit and splits a large leaf where part of it needs other permissions or caching (the first megabyte, the kernel image's read-only and no-execute parts, set_memory_*() callers)." (M["KERNEL_IMAGE_PA"] != "" ? " The kernel image lies at " M["KERNEL_IMAGE_PA"] " (/proc/iomem)." : "") " Where this run's rows met the direct map, and at which leaf:"
	para(s)
	table_begin("l l l r l l", "allocator|region|leaf|rows|lowest PA|highest PA")
	for (i = 1; i <= L["n"]; i++)
		table_row(col(L, i, "allocator") "|" col(L, i, "region") "|" col(L, i, "level") "|" col(L, i, "rows") "|" col(L, i, "pa_min") "|" col(L, i, "pa_max"))
	table_end()
	r = 0
	for (i = 1; i <= FD["n"]; i++) if (col(FD, i, "allocator") == "kvmalloc") r = i
	if (r) para("kvmalloc: " col(FD, r, "leaf_pmd") " of its pages were mapped by pmd leaves and " col(FD, r, "leaf_pte") " by ptes. A request kmalloc can serve stays in the direct map (its pte and pmd leaves there); a larger one falls back to vmalloc with `VM_ALLOW_HUGE_VMAP` (kvmalloc_node() passes it; plain vmalloc() does not). From 2 MiB on, such an area is aligned and rounded up to 2 MiB and backed by 2 MiB pages where the allocator has them, each mapped by one pmd leaf: a huge vmap. Plain vmalloc of the same size gets one pte per 4 KiB page (its row above).")
}

# --- memalloc's own maps lines (issue 16 item 5) ----------------------------

# An address as /proc/PID/maps prints it: no 0x, at least 8 hex digits.
function maphex(s) { sub(/^0x/, "", s); while (length(s) > 8 && substr(s, 1, 1) == "0") s = substr(s, 2); return s }
function vma_name(i,    n) { n = col(VM, i, "name"); return n == "" ? "(anonymous)" : n }
function vma_row(i) {
	return col(VM, i, "allocator") "|" human(col(VM, i, "size_bytes")) "|" col(VM, i, "sample") "|" maphex(col(VM, i, "va_start")) "-" maphex(col(VM, i, "va_end")) "|" maphex(col(VM, i, "vma_start")) "-" maphex(col(VM, i, "vma_end")) "|" col(VM, i, "perms") "|" vma_name(i) "|" col(VM, i, "vma_kib") "|" col(VM, i, "pages")
}

# The VMA that held each memalloc experiment, from vmas.csv: the excerpt
# rows (each allocator's smallest and largest size, first sample) here,
# every row in the appendix.
function maps_excerpt(    i) {
	if (!exists(rdir "/vmas.csv")) return
	readcsv(rdir "/vmas.csv", VM)
	if (VM["n"] == 0) return
	if (P["n"] > 0) head(2, "The VMA of each memalloc experiment")
	else head(1, "The user side: the VMA of each memalloc experiment")
	para("memalloc writes, right after it has translated an experiment, the /proc/self/maps line of every VMA that holds part of it (`memalloc --maps`, vmas.csv). Below, the first sample of each mode's smallest and largest size; the appendix lists every experiment. The experiment's range is [start, end) of the pages it measured; the VMA is the maps line's start-end (in hex, as /proc prints it), permissions and name; pages in it: the experiment's pages inside that VMA. A VMA can be larger than its experiment: a THP or hugetlb mapping is rounded up to whole huge pages (the THP one also aligned to 2 MiB), and the kernel merges neighbouring anonymous mappings whose flags match into one VMA (the 4K mode's one-page mappings, made one after another at neighbouring addresses, and any anonymous memory next to them).")
	TABLE_TINY = 1
	table_begin("l r r l l l l r r", "mode|size|sample|experiment's range|VMA start-end|perms|name|VMA KiB|pages in it")
	for (i = 1; i <= VM["n"]; i++) if (col(VM, i, "excerpt") == "1") table_row(vma_row(i))
	table_end()
}

function vmas_appendix(    i) {
	if (VM["n"] == 0) return
	head(1, "Appendix: the VMA of every memalloc experiment")
	para("vmas.csv in full: one row per experiment and VMA that held part of it, in the order memalloc measured them (the columns as in the excerpt above).")
	TABLE_TINY = 1
	table_begin("l r r l l l l r r", "mode|size|sample|experiment's range|VMA start-end|perms|name|VMA KiB|pages in it")
	for (i = 1; i <= VM["n"]; i++) table_row(vma_row(i))
	table_end()
}

# --- the body's one table --------------------------------------------------

function rank(a, RK) { return a in RK ? RK[a] : 1000 }

function overview_section(    i, a, g, k, n, z, src, GA, NG, SZ, NSZ, CELL, hdr, al, cells, grp, RK) {
	# the section starts a page, so that the table is on one page
	print "\\clearpage" > tex
	head(1, "Results: size x allocator")
	if (O["n"] == 0) { para("No overview: overview.csv is missing or empty."); return }
	para("The size x allocator table (overview.csv), one row per request size, one group of columns per allocator, user memory first and kernel memory below: **any**, the median over the samples of contiguity in either direction (the share of neighbouring page pairs whose frames are neighbours, upwards or downwards: frames handed out in descending order are just as contiguous); **run**, the largest physically contiguous run in pages; **leaf**, the leaf levels that mapped its pages; **reuse**, the share of a sample's frames that the previous sample of the same size also had (empty: one sample). A dash: that size has no row for that allocator (the Findings list each request that was refused). The appendix has overview.csv in full (with contiguity upwards only and the sample counts) and every sample." (("fig3_contig" in FIGNO) ? " Figure " FIGNO["fig3_contig"] " draws contiguity and the largest run against size." : "") (("fig4_runhist" in FIGNO) ? " Figure " FIGNO["fig4_runhist"] " shows how each size's pages split into runs." : ""))
	# the groups: user and kernel, allocators in overview.csv's order
	for (i = 1; i <= O["n"]; i++) {
		a = col(O, i, "allocator"); src = col(O, i, "source")
		if (a == "pidwalk") continue
		g = src == "user" ? 1 : 2
		if (!((g, a) in GA)) { GA[g, a] = ++NG[g]; GA[g, NG[g]] = a }
		z = col(O, i, "size_bytes") + 0
		if (!((g, "z", z) in SZ)) { SZ[g, "z", z] = 1; SZ[g, ++NSZ[g]] = z }
		CELL[g, a, z] = sprintf("%.3f", col(O, i, "median_contiguity_any")) "|" col(O, i, "largest_run") "|" col(O, i, "leaf") "|" (col(O, i, "reuse_share") == "" ? "" : sprintf("%.3f", col(O, i, "reuse_share")))
	}
	for (k = 1; k <= nal; k++) RK[AL[k]] = k
	for (g = 1; g <= 2; g++) {
		if (!NG[g]) continue
		# allocators in the findings' order (gen.awk's AL), others after
		for (i = 2; i <= NG[g]; i++) { a = GA[g, i]; for (k = i - 1; k >= 1 && rank(GA[g, k], RK) > rank(a, RK); k--) GA[g, k + 1] = GA[g, k]; GA[g, k + 1] = a }
		# sizes ascending (insertion sort: a few dozen at most)
		for (i = 2; i <= NSZ[g]; i++) { z = SZ[g, i]; for (k = i - 1; k >= 1 && SZ[g, k] > z; k--) SZ[g, k + 1] = SZ[g, k]; SZ[g, k + 1] = z }
		al = "r"; hdr = "size"; grp = ""
		for (k = 1; k <= NG[g]; k++) { al = al " r r l r"; hdr = hdr "|any|run|leaf|reuse"; grp = grp (k > 1 ? "|" : "") GA[g, k] }
		group_table_begin(al, hdr, grp, g == 1 ? "user" : "kernel")
		for (i = 1; i <= NSZ[g]; i++) {
			z = SZ[g, i]; cells = human(z)
			for (k = 1; k <= NG[g]; k++) cells = cells "|" ((g, GA[g, k], z) in CELL ? CELL[g, GA[g, k], z] : "-|-|-|-")
			table_row(cells)
		}
		table_end()
	}
	for (i = 1; i <= O["n"]; i++) if (col(O, i, "allocator") == "pidwalk")
		para("`pidwalk` (the module's walk of one process, " human(col(O, i, "size_bytes")) " present) is no allocation and is left out of the table: any " col(O, i, "median_contiguity_any") ", largest run " col(O, i, "largest_run") ", leaves " col(O, i, "leaf") ".")
}

# A table whose columns after the first come in groups of four under a
# group name: grp is |-separated names, title the first column's group.
# Markdown has no spanning header: each group's name starts its first cell.
function group_table_begin(align, hdr, grp, title,    a, h, G, n, ng, i, line) {
	n = split(align, a, " ")
	split(hdr, h, "|")
	ng = split(grp, G, "|")
	line = "| " title " |"
	for (i = 2; i <= n; i++) line = line " " ((i - 2) % 4 == 0 ? G[(i - 2) / 4 + 1] " " : "") h[i] " |"
	print line > md
	line = "|"
	for (i = 1; i <= n; i++) line = line (a[i] == "r" ? "---:|" : "---|")
	print line > md
	line = ""
	for (i = 1; i <= n; i++) line = line a[i] (i < n && (i - 1) % 4 == 0 ? "@{\\hspace{8pt}}" : "")
	print "{\\footnotesize\\setlength{\\tabcolsep}{3pt}\\begin{longtable}{" line "}\\toprule" > tex
	line = "\\textbf{" texinline(title) "}"
	for (i = 1; i <= ng; i++) line = line " & \\multicolumn{4}{c}{\\textbf{" texinline(G[i]) "}}"
	print line " \\\\" > tex
	line = ""
	for (i = 1; i <= ng; i++) line = line "\\cmidrule(lr){" (4 * i - 2) "-" (4 * i + 1) "}"
	print line > tex
	line = ""
	for (i = 1; i <= n; i++) line = line (i > 1 ? " & " : "") texinline(h[i])
	print line " \\\\ \\midrule\\endhead" > tex
}

# The appendix's copy of overview.csv, every column.
function overview_appendix(    i) {
	if (O["n"] == 0) { vmas_appendix(); return }
	head(1, "Appendix: size x allocator, overview.csv in full")
	para("One row per allocator and request size: the median over the samples of contiguity upwards (the next page is the next frame) and in either direction, the largest run in pages, the leaf levels, and reuse; the body's table is these numbers, rounded to three decimals.")
	table_begin("l l r r r r r l r", "allocator|source|size|samples|median contiguity|either direction|largest run|leaf|reuse")
	for (i = 1; i <= O["n"]; i++)
		table_row(col(O, i, "allocator") "|" col(O, i, "source") "|" human(col(O, i, "size_bytes")) "|" col(O, i, "samples") "|" col(O, i, "median_contiguity") "|" col(O, i, "median_contiguity_any") "|" col(O, i, "largest_run") "|" col(O, i, "leaf") "|" col(O, i, "reuse_share"))
	table_end()
	vmas_appendix()
}

# --- the user side: maps and pagemap (issue 16 item 5) ---------------------

function pm_name(i,    n) {
	if (col(P, i, "vma_start") == "") return "none (not mapped)"
	n = col(P, i, "vma_name")
	return n == "" ? "(anonymous)" : n
}

function user_section(    i, r, h, z, s, seen, k, sd, np, xs, ns) {
	if (!exists(rdir "/pagemap.csv")) return
	readcsv(rdir "/pagemap.csv", P)
	if (P["n"] == 0) return
	head(1, "The user side: /proc/PID/maps and /proc/PID/pagemap")
	para("A process cannot read its page tables, but /proc shows what they map. `/proc/PID/maps` lists its VMAs, the ranges of virtual addresses it has mapped (start-end, permissions, file offset, device, inode, name); `/proc/PID/pagemap` holds one 64-bit entry per virtual page, at byte offset (va / 4096) x 8. Its bits (the kernel's Documentation/admin-guide/mm/pagemap.rst): 0-54 the page frame number (PFN) when the page is present, 55 soft-dirty (written since the soft-dirty bits were last cleared), 56 the page is mapped by this process only (exclusive), 61 a file page or shared anonymous page, 62 swapped (then bits 0-54 hold the swap type and offset), 63 present. The plan read the entries below with `dd` and `od` (pagemap.csv decodes them) while `memalloc -b thp -m 4M --hold`, the process of the user walks above, held its block.")
	para("The VMAs that hold the entries read, from the /proc/PID/maps of the process each entry was read from (pid; the first is memalloc, whose THP block is its anonymous rw-p VMA):")
	table_begin("r l l l r", "pid|VMA start-end|perms|name|entries in it")
	for (i = 1; i <= P["n"]; i++) {
		k = col(P, i, "pid") " " col(P, i, "vma_start")
		if (col(P, i, "vma_start") == "" || (k in seen)) continue
		seen[k] = 0
		for (r = i; r <= P["n"]; r++) if (col(P, r, "pid") " " col(P, r, "vma_start") == k) seen[k]++
		table_row(col(P, i, "pid") "|" col(P, i, "vma_start") "-" col(P, i, "vma_end") "|" col(P, i, "vma_perms") "|" pm_name(i) "|" seen[k])
	}
	table_end()
	table_begin("l l l l c c c c c l l", "reader|VA|VMA|raw entry|63 P|62 swap|61 file|56 excl|55 sd|PFN|PA")
	for (i = 1; i <= P["n"]; i++)
		table_row(col(P, i, "reader") "|" col(P, i, "va") "|" pm_name(i) "|" col(P, i, "raw") "|" col(P, i, "present") "|" col(P, i, "swapped") "|" col(P, i, "file_shared") "|" col(P, i, "exclusive") "|" col(P, i, "soft_dirty") "|" (col(P, i, "pfn_hidden") == "1" ? "0 (hidden)" : col(P, i, "pfn") == "" ? "none" : col(P, i, "pfn")) "|" (col(P, i, "pa") == "" ? "none" : col(P, i, "pa")))
	table_end()
	sd = 0; np = 0; xs = 0; ns = 0
	for (i = 1; i <= P["n"]; i++) {
		if (col(P, i, "present") == "1") { np++; sd += col(P, i, "soft_dirty") }
		if (col(P, i, "reader") ~ /-self$/) { ns++; xs += col(P, i, "exclusive") }
	}
	if (np && sd == np) para("Soft-dirty (55) is set on every present entry above: the kernel reports it for every page of a VMA created since the bits were last cleared (`VM_SOFTDIRTY`), and nothing cleared them here (writing 4 to /proc/PID/clear_refs does; a checkpointing tool then reads which pages were written since).")
	if (ns && xs == 0) para("Exclusive (56) is 0 on the `-self` rows: the shell read its own page through a command substitution, a child it had forked, and after fork parent and child map the same stack pages (copy-on-write) until one of them writes, so the page was mapped twice at that moment.")
	r = 0
	for (i = 1; i <= P["n"]; i++) if (!r && col(P, i, "pa") != "" && col(P, i, "offset") != "0x000") r = i
	if (r) para("The physical address of VA " col(P, r, "va") ": its page's entry is " col(P, r, "raw") ", present, PFN = bits 0-54 = " col(P, r, "pfn") "; the offset in the page is the VA's low 12 bits, " col(P, r, "offset") "; so PA = PFN x 4096 + offset = " col(P, r, "pfn") " x 4096 + " col(P, r, "offset") " = **" col(P, r, "pa") "**.")
	h = 0; z = 0
	for (i = 1; i <= P["n"]; i++) {
		if (col(P, i, "reader") ~ /^uid0-self$/) z = i
		if (col(P, i, "pfn_hidden") == "1") h = i
	}
	if (h && z) para("The PFN is hidden from a reader without `CAP_SYS_ADMIN`. The rows `uid0-self` and `" col(P, h, "reader") "` are the same command (vm/plans/pagemap_self.sh: a shell reads its own top stack page) run as root and, through busybox `su`, as an unprivileged uid: root's entry " col(P, z, "raw") " carries PFN " col(P, z, "pfn") "; the unprivileged one " col(P, h, "raw") " has the present bit set and PFN 0. The kernel decides when pagemap is opened (fs/proc/task_mmu.c: `show_pfn` is `file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN)`) and fills 0 for the frame otherwise, since Linux 4.2, so that unprivileged code cannot learn physical addresses (they helped Rowhammer attacks). The two shells are two processes, so the two rows are two different pages.")
	else para("No unprivileged read was recorded in this run, so the hidden PFN is not shown.")
}

# --- findings as a teacher writes them (issue 16 item 7) --------------------
# finding() in gen.awk states the claim and the numbers (findings.csv);
# finding_why(a, r) adds why it happens, the mechanism in the kernel, and
# what would change it.  Where it names a number, it is a cell of
# findings.csv row r (FD) or of failures.csv.

function fd_limit(alloc,    i) {
	for (i = 1; i <= F["n"]; i++)
		if (col(F, i, "allocator") == alloc && col(F, i, "refused_by") == "ptwalk")
			return col(F, i, "limit_name") " = " col(F, i, "limit_value")
	return ""
}

function finding_why(a, r,    w, c, lim) {
	if (a == "malloc4k" || a == "block") {
		w = "every page is allocated when it is first touched, one page fault at a time, each taking one frame (order 0) from the CPU's per-CPU free list, which the buddy allocator refills in batches of neighbouring frames; so pages touched one after the other can get neighbouring frames, and a run breaks where a batch ends or something else took a frame in between (mean run " col(FD, r, "all_mean_run") " pages over all sizes). Nothing asks for contiguity: the leaves are ptes (" col(FD, r, "leaf_pte") ")."
		c = "a fragmented machine or other processes allocating at the same time break the runs sooner (the Fragmentation section measures one); THP (mode `thp`) or hugetlb make each 2 MiB one block."
	} else if (a == "thp") {
		w = "in a `MADV_HUGEPAGE` region the first touch of each aligned 2 MiB takes one order-9 block (512 neighbouring frames) and maps it with one pmd leaf (" col(FD, r, "leaf_pmd") " pmd, " col(FD, r, "leaf_pte") " pte leaves here); a run longer than 512 pages needs the next block to be the neighbour in memory too. Nothing guarantees that, but it is common on memory that is not fragmented: the buddy allocator splits a larger free block and hands out its halves one after the other (the largest run at " human(col(FD, r, "size_max")) ": " col(FD, r, "max_largest_run_min") "-" col(FD, r, "max_largest_run_max") " pages)."
		c = "with no free order-9 block (fragmentation, or `defrag` not allowing compaction) the fault falls back to 4 KiB pages, and khugepaged may collapse them later; a smaller or unaligned region gets no THP."
	} else if (a == "hugetlb") {
		w = "each huge page is an order-9 block (512 neighbouring frames, one pmd leaf: " col(FD, r, "leaf_pmd") " here) taken from the hugetlb pool, which was filled before the sweep; the pool hands its pages out from a free list, so whether two huge pages next to each other in the VA are neighbours in memory depends on the order they sit on that list, which nothing fixes (the largest run at " human(col(FD, r, "size_max")) ": " col(FD, r, "max_largest_run_min") "-" col(FD, r, "max_largest_run_max") " pages)."
		c = "the pool's size (`nr_hugepages`): a request larger than the free pool fails; a pool reserved on a fragmented machine gets fewer pages."
	} else if (a == "kmalloc") {
		w = "kmalloc returns an address in the direct map, which maps all of physical memory at one offset; an object comes from a slab (one compound page of 2^order neighbouring frames), and a request above the largest slab size goes straight to the buddy allocator (`kmalloc_large()`, order get_order(size)). One block of the buddy allocator is always physically contiguous, so the virtual range is too, and `virt_to_phys()`, which only subtracts the direct map's offset, gives the frame (the count above)."
		lim = fd_limit("kmalloc")
		c = "only a refusal: above " (lim != "" ? lim : "KMALLOC_MAX_SIZE") " kmalloc does not try (the refusal below), and with no free block of the order needed (fragmentation) it fails rather than returning scattered frames."
	} else if (a == "vmalloc") {
		w = "vmalloc allocates its pages one frame at a time (order 0, in bulk from the per-CPU lists) and maps each with its own pte in the vmalloc area (" col(FD, r, "leaf_pte") " pte leaves); only the virtual range is contiguous. The frames come in batches that are often neighbours" (col(FD, r, "max_contiguity") == col(FD, r, "max_contiguity_any") ? ", and at " human(col(FD, r, "size_max")) " all the neighbours were in ascending order: contiguity " col(FD, r, "max_contiguity") " upwards and the same in either direction." : ", in ascending or descending order: hence contiguity " col(FD, r, "max_contiguity") " upwards and " col(FD, r, "max_contiguity_any") " in either direction at " human(col(FD, r, "size_max")) ".") " `virt_to_phys()` assumes the direct map, so it cannot translate these addresses (the count above; the section on it shows the arithmetic)."
		c = "asking for huge mappings (`vmalloc_huge()`, or kvmalloc's fallback, which passes `VM_ALLOW_HUGE_VMAP`) gives 2 MiB blocks from 2 MiB on; memory that must be physically contiguous (DMA) needs kmalloc, alloc_pages or the DMA API instead."
	} else if (a == "kvmalloc") {
		w = "kvmalloc tries kmalloc first (physically contiguous, in the direct map) and falls back to vmalloc when kmalloc refuses, always above KMALLOC_MAX_SIZE; its fallback passes `VM_ALLOW_HUGE_VMAP`, so from 2 MiB on the area is backed by order-9 blocks, each mapped by one pmd leaf (" col(FD, r, "leaf_pmd") " pmd leaves against " col(FD, r, "leaf_pte") " pte). Runs then break only between blocks, and the fallback's addresses are not in the direct map, so `virt_to_phys()` cannot translate them (the count above)."
		c = "fragmentation: kmalloc's first try does not retry hard (`__GFP_NORETRY`), so on a fragmented machine kvmalloc falls back to vmalloc at smaller sizes, and the huge vmap falls back to 4 KiB pages when no order-9 block is free."
	} else if (a == "alloc_pages") {
		w = "alloc_pages(order) is the buddy allocator itself: it returns one block of 2^order neighbouring frames or nothing, so every sample is one run by construction; the direct map's leaves that cover it are pmds where the direct map is mapped with 2 MiB pages (" col(FD, r, "leaf_pmd") " pmd, " col(FD, r, "leaf_pte") " pte)."
		lim = fd_limit("alloc_pages")
		c = "only a refusal: no order above " (lim != "" ? lim : "MAX_ORDER-1") " exists (the refusal below), and an order with no free block fails (fragmentation; compaction may make one)."
	} else if (a == "pidwalk") {
		w = "this is not an allocation experiment but the module's walk of every present page of one process (`memalloc -b thp -m 4M --hold`, the process of the user walks and of the user side above): its text and stack in 4 KiB pages (" col(FD, r, "leaf_pte") " pte leaves) and its THP block in 2 MiB pages (" col(FD, r, "leaf_pmd") " pages under pmd leaves). Its \"size\" is the process's present memory."
		c = "the process's layout: a process without THP has only pte leaves."
	} else return ""
	return " **Why:** " w " **What would change it:** " c
}

# refusal_why(i): why failures.csv row i was refused, and what would change it.
function refusal_why(i,    n, v, w, c) {
	n = col(F, i, "limit_name"); v = col(F, i, "limit_value")
	if (n == "KMALLOC_MAX_SIZE") {
		w = "KMALLOC_MAX_SIZE is " human(v) ", the largest block the buddy allocator has (2^(MAX_ORDER-1) pages): kmalloc returns one contiguous block, so it has nothing larger to give."
		c = "a kernel built with a larger maximum order (`CONFIG_ARCH_FORCE_MAX_ORDER`), or kvmalloc or vmalloc, which need no contiguous block."
	} else if (n == "MAX_ORDER-1") {
		w = "the buddy allocator keeps free lists for orders 0 to MAX_ORDER-1 = " v " only (a block of at most 2^" v " pages, " human(4096 * 2 ^ v) "), so a larger order cannot exist."
		c = "a kernel with a larger maximum order, or `alloc_contig_pages()`/CMA, which assemble a larger range out of several blocks."
	} else if (col(F, i, "refused_by") == "kernel") {
		w = "the allocator found no free block of that size, after what reclaim and compaction it was allowed to try."
		c = "more free memory, less fragmentation (compaction: `/proc/sys/vm/compact_memory`), or a smaller request."
	} else if (col(F, i, "refused_by") == "ptwalk") {
		w = "ptwalk refuses what would leave the guest too little memory or too many rows (" n "), before the kernel is asked."
		c = "the module's limit, or a larger guest."
	} else return ""
	return " **Why:** " w " **What would change it:** " c
}
