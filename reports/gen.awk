# reports/gen.awk - the report's text, from the run's files (see gen.sh).
#
# Writes the same document twice, Markdown to `md` and LaTeX to `tex`,
# through a few helpers (head, para, table, figure), so the two never
# disagree.  Paragraph text uses `code` and **bold**, which each writer
# turns into its own markup.  POSIX awk only (mawk on Debian, busybox).

# --- input --------------------------------------------------------------

# The fields of one CSV line as RFC 4180 reads them: a field that starts
# with '"' runs to the '"' that is not doubled, "" in it is one '"' (a
# refusal's message may hold a comma).  Lines without '"' take split().
function csvsplit(line, f,    n, i, c, v, q, len) {
	if (index(line, "\"") == 0) return split(line, f, ",")
	n = 0; v = ""; q = 0; len = length(line)
	for (i = 1; i <= len; i++) {
		c = substr(line, i, 1)
		if (q) {
			if (c != "\"") v = v c
			else if (substr(line, i + 1, 1) == "\"") { v = v c; i++ }
			else q = 0
		} else if (c == "\"") q = 1
		else if (c == ",") { f[++n] = v; v = "" }
		else v = v c
	}
	f[++n] = v
	return n
}

function readcsv(file, T,    line, n, i, f, nf) {
	n = -1
	while ((getline line < file) > 0) {
		nf = csvsplit(line, f)
		if (n < 0) {
			T["hdr"] = line
			for (i = 1; i <= nf; i++) T["col", f[i]] = i
		} else {
			for (i = 1; i <= nf; i++) T[n + 1, i] = f[i]
		}
		n++
	}
	close(file)
	T["n"] = n < 0 ? 0 : n
	return T["n"]
}
function col(T, i, name) { return T[i, T["col", name]] }
function readkv(file, A,    line, k) {
	while ((getline line < file) > 0) {
		k = index(line, "=")
		if (k > 1) A[substr(line, 1, k - 1)] = substr(line, k + 1)
	}
	close(file)
}
function exists(file,    line, st) {
	st = (getline line < file)
	close(file)
	return st >= 0
}

# --- formatting ---------------------------------------------------------

function human(b) {
	b += 0
	if (b >= 1073741824 && b % 1073741824 == 0) return (b / 1073741824) " GiB"
	if (b >= 1048576 && b % 1048576 == 0) return (b / 1048576) " MiB"
	if (b >= 1024 && b % 1024 == 0) return (b / 1024) " KiB"
	return b " B"
}
function texesc(s) {
	gsub(/\\/, "\001", s)
	gsub(/[&%$#_{}]/, "\\\\&", s)
	gsub(/~/, "\\textasciitilde{}", s)
	gsub(/\^/, "\\textasciicircum{}", s)
	gsub(/\001/, "\\textbackslash{}", s)
	gsub(/->/, "$\\rightarrow$", s)
	gsub(/!=/, "$\\neq$", s)
	gsub(/<=/, "$\\le$", s)
	gsub(/>>/, ">{}>", s)	# T1 fonts make a guillemet of >>
	gsub(/<</, "<{}<", s)
	return s
}
# Inline markup: `code` and **bold** to LaTeX, after escaping.
function texinline(s,    out, i, c, incode, inbold) {
	s = texesc(s)
	out = ""
	while ((i = match(s, /`|\*\*/)) > 0) {
		c = substr(s, RSTART, RLENGTH)
		out = out substr(s, 1, RSTART - 1)
		if (c == "`") { out = out (incode ? "}" : "\\texttt{"); incode = !incode }
		else { out = out (inbold ? "}" : "\\textbf{"); inbold = !inbold }
		s = substr(s, RSTART + RLENGTH)
	}
	return out s
}

function head(level, title) {
	print "" > md
	print (level == 1 ? "## " : "### ") title > md
	print "" > md
	print "" > tex
	print (level == 1 ? "\\section{" : "\\subsection{") texinline(title) "}" > tex
}
function para(s) {
	print s > md
	print "" > md
	print texinline(s) > tex
	print "" > tex
}
function item(s) {
	print "- " s > md
	print "\\item " texinline(s) > tex
}
function items_begin() { print "\\begin{itemize}" > tex }
function items_end() { print "" > md; print "\\end{itemize}" > tex }

# table_begin("l r r", "a|b|c"): alignment per column, |-separated header.
function table_begin(align, hdr,    a, h, n, i, line) {
	n = split(align, a, " ")
	split(hdr, h, "|")
	line = "|"
	for (i = 1; i <= n; i++) line = line " " h[i] " |"
	print line > md
	line = "|"
	for (i = 1; i <= n; i++) line = line (a[i] == "r" ? "---:|" : "---|")
	print line > md
	line = ""
	for (i = 1; i <= n; i++) line = line a[i]
	# Wide tables (per allocator: 12 columns, two contexts: 7) in a smaller font
	# with narrower gaps, so they fit the text width.
	# A table of many full 64-bit addresses sets TABLE_TINY before it: at
	# the footnote size six columns of 18 hex digits ran 38 pt into the margin.
	print (TABLE_TINY ? "{\\scriptsize\\setlength{\\tabcolsep}{3pt}" : n > 6 ? "{\\footnotesize\\setlength{\\tabcolsep}{3.5pt}" : "{\\small") "\\begin{longtable}{" line "}\\toprule" > tex
	TABLE_TINY = 0
	line = ""
	for (i = 1; i <= n; i++) line = line (i > 1 ? " & " : "") texinline(h[i])
	print line " \\\\ \\midrule\\endhead" > tex
}
function table_row(cells,    c, n, i, line) {
	n = split(cells, c, "|")
	line = "|"
	for (i = 1; i <= n; i++) line = line " " c[i] " |"
	print line > md
	line = ""
	for (i = 1; i <= n; i++) line = line (i > 1 ? " & " : "") texinline(c[i])
	print line " \\\\" > tex
}
function table_end() {
	print "" > md
	print "\\bottomrule\\end{longtable}}" > tex
}
function figure(name, caption) {
	print "![" caption "](fig/" name ".png)" > md
	print "" > md
	print "*Figure " ++nfig ": " caption "*" > md
	print "" > md
	print "\\begin{figure}[htbp]\\centering" > tex
	print "\\includegraphics[width=\\textwidth]{fig/" name ".pdf}" > tex
	print "\\caption{" texinline(caption) "}" > tex
	print "\\end{figure}" > tex
}

# --- findings -------------------------------------------------------------

# A mismatch count of summary row i ("v2p" or "walk"): n/a when that
# comparison ran on no row (checked = 0), never a 0 that compared nothing.
function mism(i, k) { return col(S, i, k "_checked") + 0 > 0 ? col(S, i, k "_mismatch") : "n/a" }

# The findings for allocator a: its row of the analyzer's findings.csv
# (every number is the analyzer's; this only words them).
function finding(a,    i, r, s, src, lo, hi) {
	r = 0
	for (i = 1; i <= FD["n"]; i++) if (col(FD, i, "allocator") == a) r = i
	if (r == 0) return
	src = col(FD, r, "source")
	s = "**" a "** (" src ", " human(col(FD, r, "size_min")) (col(FD, r, "size_min") == col(FD, r, "size_max") ? "" : " to " human(col(FD, r, "size_max"))) ", " col(FD, r, "groups") (col(FD, r, "groups") == "1" ? " experiment" : " experiments") ", sizes x samples): "
	s = s col(FD, r, "one_run_groups") " of " col(FD, r, "groups") " are one physically contiguous run; "
	if (col(FD, r, "contiguous_upto") == "0") s = s "no size was contiguous in every sample"
	else if (col(FD, r, "contiguous_all") == "1") s = s "every sample is contiguous up to the largest size measured, " human(col(FD, r, "contiguous_upto"))
	else s = s "every sample is contiguous up to " human(col(FD, r, "contiguous_upto")) ", not beyond"
	lo = col(FD, r, "max_largest_run_min"); hi = col(FD, r, "max_largest_run_max")
	s = s ". At " human(col(FD, r, "size_max")) " (" col(FD, r, "max_samples") " sample" (col(FD, r, "max_samples") == "1" ? "" : "s") "): mean run " col(FD, r, "max_mean_run") " pages, contiguity " col(FD, r, "max_contiguity") " (" col(FD, r, "max_contiguity_any") " counting frames handed out in descending order too)"
	s = s ", largest run " (lo == hi ? lo : lo "-" hi) " pages"
	if (col(FD, r, "max_frames_2m") + 0 > 0) s = s ", " col(FD, r, "max_frames_2m") " distinct 2 MiB frames for " col(FD, r, "max_pages") " pages"
	s = s ". Over all sizes: mean run " col(FD, r, "all_mean_run") " pages; leaves: " col(FD, r, "leaf_pte") " pte, " col(FD, r, "leaf_pmd") " pmd, " col(FD, r, "leaf_pud") " pud."
	if (col(FD, r, "reuse_groups") + 0 > 0) s = s " Repeated samples: " col(FD, r, "reuse_shared") " of " col(FD, r, "reuse_frames") " frames were also the previous sample's."
	if (src == "kernel") {
		if (col(FD, r, "v2p_checked") + 0 > 0) s = s " `virt_to_phys()` differed from the software walk on " col(FD, r, "v2p_mismatch") " of " col(FD, r, "v2p_checked") " pages compared (" col(FD, r, "v2p_pct") "%" ")"
		else s = s " `virt_to_phys()` was not compared with the software walk (n/a)"
		if (col(FD, r, "walk_checked") + 0 > 0) s = s "; the walk differed from `vmalloc_to_page()` on " col(FD, r, "walk_mismatch") " of " col(FD, r, "walk_checked") " pages compared."
		else s = s "; the walk was not compared with `vmalloc_to_page()` (n/a: no page has both)."
	} else if (col(FD, r, "walk_checked") + 0 > 0) s = s " The walk differed from pagemap on " col(FD, r, "walk_mismatch") " of " col(FD, r, "walk_checked") " pages compared."
	item(s finding_why(a, r))
}

BEGIN {
	nfig = 0
	readkv(rdir "/meta.txt", M)
	readcsv(rdir "/summary.csv", S)
	if (exists(rdir "/findings.csv")) readcsv(rdir "/findings.csv", FD)
	teach_read()
	# The refusals: the analyzer's refusals.csv (data/failures.csv with the order)
	if (exists(rdir "/refusals.csv")) readcsv(rdir "/refusals.csv", F)
	else if (exists(rdir "/data/failures.csv")) readcsv(rdir "/data/failures.csv", F)
	if (exists(rdir "/data/twoctx.csv")) readcsv(rdir "/data/twoctx.csv", X)
	if (exists(rdir "/data/times.txt")) readkv(rdir "/data/times.txt", T)
	if (exists(rdir "/data/vm.txt")) readkv(rdir "/data/vm.txt", T)
	nf = split(figs, FG, " ")
	for (i = 1; i <= nf; i++) { sub(/\.png$/, "", FG[i]); HAVEFIG[FG[i]] = 1 }
	# The figures' numbers in the order the Figures section prints them,
	# so that the text can point at them (figref)
	order = "fig0_walk fig1_kmap fig2_umap fig3_contig fig4_runhist fig5_mismatch fig6_delta fig7_frag"
	nord = split(order, OR, " ")
	for (k = 1; k <= nord; k++) if (OR[k] in HAVEFIG) FIGNO[OR[k]] = ++nfigno
	nal = split("malloc4k block thp hugetlb kmalloc vmalloc kvmalloc alloc_pages pidwalk", AL, " ")
	for (i = 1; i <= S["n"]; i++) INSUM[col(S, i, "allocator")] = 1

	target = M["TARGET"] (M["TARGET"] == "vm" ? " (QEMU, " M["ACCELERATOR"] ")" : "")
	title = "How Linux maps virtual to physical memory"
	print "# " title > md
	print "" > md
	print "ptwalk report: " M["KERNEL_RELEASE"] ", " M["PAGING_LEVELS"] "-level paging, target " target ", " M["DATE"] > md
	print "\\documentclass[10pt,a4paper]{article}" > tex
	print "\\usepackage[T1]{fontenc}\\usepackage{mathptmx}\\usepackage[scaled=0.92]{helvet}\\usepackage{courier}\\usepackage[margin=2cm]{geometry}" > tex
	print "\\usepackage{booktabs}\\usepackage{longtable}\\usepackage{graphicx}\\usepackage[hidelinks]{hyperref}" > tex
	print "\\title{" texesc(title) "}" > tex
	print "\\author{ptwalk report: " texesc(M["KERNEL_RELEASE"] ", " M["PAGING_LEVELS"] "-level paging, target " target) "}" > tex
	print "\\date{" texesc(M["DATE"]) "}" > tex
	print "\\setlength{\\emergencystretch}{3em}" > tex
	print "\\begin{document}\\maketitle" > tex

	head(1, "Environment")
	table_begin("l p{13.5cm}", "item|value")
	table_row("kernel|" M["KERNEL_RELEASE"] " " M["MACHINE"])
	table_row("paging levels|" M["PAGING_LEVELS"] " (asked for: " M["PAGING_REQUESTED"] ")")
	table_row("page size|" M["PAGE_SIZE"] " bytes; huge page " M["HUGEPAGE_SIZE"] " bytes")
	table_row("THP|enabled [" M["THP_ENABLED"] "], defrag [" M["THP_DEFRAG"] "]")
	table_row("memory|" M["MEMTOTAL_KB"] " kB MemTotal" (M["VM_MEM"] != "" ? " (guest of " M["VM_MEM"] ")" : "") ", " M["CPUS"] " CPUs (" M["CPU_MODEL"] ")")
	if (M["ZONES"] != "") table_row("zones, direct map|" M["ZONES"] "; direct map " M["DIRECTMAP_4K_KB"] " kB in 4 KiB pages, " M["DIRECTMAP_2M_KB"] " kB in 2 MiB, " (M["DIRECTMAP_1G_KB"] != "" ? M["DIRECTMAP_1G_KB"] : "0") " kB in 1 GiB")
	table_row("target|" target)
	table_row("date|" M["DATE"])
	table_row("plan|sizes " M["SIZES"] ", " M["SAMPLES"] " samples, user modes " M["MODES"] ", kernel " M["KMODES"])
	table_row("versions|ptwalk " M["PTWALK_REV"] ", " M["CC_VERSION"] ", QEMU " M["QEMU_VERSION"] ", BusyBox " M["BUSYBOX_VERSION"])
	table_end()

	head(1, "Method")
	sweep = index(M["SIZES"], ":") ? "`memalloc -b MODE --sweep " M["SIZES"] " -n " M["SAMPLES"] "` allocates each power-of-two size" : "`memalloc -b MODE -m SIZE -n " M["SAMPLES"] "` for SIZE in " M["SIZES"] " allocates each size"
	s = "User memory: " sweep " " M["SAMPLES"] " times in each mode (`4K`: separate 4 KiB blocks, one `mmap(4096)` each, touched as soon as it is mapped, at consecutive addresses, so every page is recorded; `1G`: one block; `thp`: one block with `MADV_HUGEPAGE`; `hugetlb`: `MAP_HUGETLB`), touches every page and reads its frame from `/proc/self/pagemap` in batches. All modes but `thp` run with THP off for the process (`PR_SET_THP_DISABLE`)."
	if ("SEED" in M) s = s " The modes ran in the order " M["MODE_ORDER"] " and each mode's sizes in an order drawn from the seed " M["SEED"] " (meta.txt lists them), not smallest first; the samples of one size are all held until the last is taken, so each is backed by other frames (`reuse.csv` gives the share of a sample's frames the previous sample also had). Two limits of this design: the modes ran in one order, so a mode that ran later met memory the earlier ones had used and freed (before reading a difference between two modes as the allocator's, compare runs with other seeds); and `reuse.csv` compares the samples of one size only, so frames that an earlier size or mode freed and a later experiment got again are not counted there."
	if (M["KHUGEPAGED_PAUSED"] == "1") s = s " khugepaged was paused through its scan settings during the sweeps; `thp_collapse_alloc` was " M["THP_COLLAPSE_ALLOC_BEFORE"] " before and " M["THP_COLLAPSE_ALLOC_AFTER"] " after them."
	if (M["HUGETLB_POOL_PAGES"] != "") s = s " The hugetlb pool: " M["HUGETLB_POOL_PAGES"] " huge pages (" human(M["HUGETLB_POOL_BYTES"]) "), reserved just before the hugetlb sweep."
	para(s)
	para("Kernel memory: the module `ptwalk.ko` takes commands on `/proc/pagetable` (`kmalloc SIZE`, `vmalloc SIZE`, `kvmalloc SIZE`, `alloc_pages ORDER`) and returns one CSV row per page, translated three ways: `virt_to_phys()`, a software walk pgd -> p4d -> pud -> pmd -> pte, and `vmalloc_to_page()` for vmalloc memory. kmalloc and alloc_pages are asked for larger sizes until a request is refused" (M["KMAX_BYTES"] != "" ? "; vmalloc and kvmalloc stop at " human(M["KMAX_BYTES"]) ", the plan's own limit (KMAX in meta.txt), not one of the kernel's" : "") "; a refusal is recorded, not an error, with who refused it: ptwalk's own check of a limit (it names the limit) or the kernel's allocator (ENOMEM). The module keeps an allocation for as long as the open file of /proc/pagetable that asked for it, and the plan keeps each sample's file open until the sample after next is taken, so sample N is allocated while sample N-1 still holds its frames, as the user samples are (`reuse.csv`, the reuse column below, gives the share of frames a sample still got from the one before).")
	para("Analysis: `analyze` groups the rows by (source, allocator, size, sample). A run is a stretch of pages whose physical addresses follow each other by 4096 bytes; contiguity is the share of neighbouring page pairs that are physical neighbours too. Every number below is a cell of the analyzer's tables (`walks.csv`, `pagemap.csv`, `vmas.csv`, `v2p.csv`, `leaves.csv`, `overview.csv`, `findings.csv`, and `summary.csv` in the appendix) or of meta.txt. Fragmentation indices come from `/proc/buddyinfo` snapshots with the kernel's own formulas (mm/vmstat.c).")

	walks_section()
	head(1, "Two contexts, one kernel address")
	twoctx()
	user_section()
	maps_excerpt()
	v2p_section()
	leaves_section()
	overview_section()

	head(1, "Findings")
	items_begin()
	for (k = 1; k <= nal; k++) if (AL[k] in INSUM) finding(AL[k])
	for (i = 1; i <= F["n"]; i++) {
		a = col(F, i, "allocator")
		by = col(F, i, "refused_by")
		if (by == "ptwalk") by = "by ptwalk's own check against " col(F, i, "limit_name") " = " col(F, i, "limit_value") ", before asking the kernel"
		else if (by == "kernel") by = "by the kernel" (col(F, i, "limit_name") != "" ? " (" col(F, i, "limit_name") ")" : "") ": the allocator found no memory"
		else if (by == "memalloc") by = "by memalloc's own check against " col(F, i, "limit_name")
		else by = "(who refused is not known)"
		item("Refused " by ": `" a "` of " (a == "alloc_pages" && col(F, i, "order") != "" ? "order " col(F, i, "order") " (" human(col(F, i, "size_bytes")) ")" : human(col(F, i, "size_bytes"))) " in sample " col(F, i, "sample") " with " col(F, i, "errno") " (" col(F, i, "message") ")." refusal_why(i))
	}
	if (F["n"] == 0) item("No allocation was refused.")
	items_end()

	print "\\clearpage" > tex	# the heading with its first figure, not alone at a page foot
	head(1, "Figures")
	cap["fig0_walk"] = "The walk of one vmalloc address as the chain of tables, pgd to leaf: in each table the index taken from the VA, the entry's address (the pgd slot's a kernel VA, every other a physical address, PA), its raw value and decoded bits; the arrows carry the next table's physical address (walks.csv)."
	cap["fig1_kmap"] = "Kernel VA->PA map: page index against page frame number for the largest kmalloc and vmalloc requests (first sample). A straight line means physically contiguous memory."
	cap["fig2_umap"] = "User VA->PA map for the largest request in three memalloc modes: separate 4 KiB blocks, one block, and a THP block (first sample): the real virtual address against the frame, THP pages in black; below, a zoom of each one's first 512 pages."
	cap["fig3_contig"] = "Contiguity in either direction (left, contiguity_any: the next page is the frame above or below) and the largest physically contiguous run in pages (right) against the request size, mean over samples, one line per allocator."
	cap["fig4_runhist"] = "Heatmap per allocator: request size across, run order k up; a cell's shade is the share of that size's pages (over its samples) in physically contiguous runs of 2^k to 2^(k+1)-1 pages (runhist.csv's size_share), printed where it is 50% or more."
	cap["fig5_mismatch"] = "Kernel allocators against the request size: share of the compared pages where virt_to_phys() differs from the software walk (left), and where the walk differs from vmalloc_to_page() (right); the legend gives v2p - walk from v2p.csv; a size where nothing was compared is drawn in the n/a band. Where allocators share a value (0%), each is drawn a size smaller than the one before it in the legend, so every marker shows."
	cap["fig6_delta"] = "PFN delta between consecutive virtual pages, one panel per allocator: the share of its page pairs whose next page is the frame below (-1), the same frame (0), the next frame (+1), 2 to 511 frames away, or 512 and more (deltabins.csv)."
	cap["fig7_frag"] = "Buddy allocator fragmentation: free blocks per order from buddyinfo (top, orders 9 and 10 marked), unusable free space index and fragmentation index against the order, one line per buddyinfo snapshot of the run."
	if (exists(rdir "/data/buddyinfo.fresh.txt") && exists(rdir "/data/buddyinfo.fragmented.txt"))
		cap["fig7_frag"] = "Buddy allocator fragmentation in the zone with the most free memory: free blocks per order from buddyinfo (top; orders 9, 2 MiB, and 10, the largest, marked), unusable free space index (left) and fragmentation index (right) against the order, fresh after boot, " (exists(rdir "/data/buddyinfo.patterned.txt") ? "patterned (the pattern of `fragment` alone, before its `--huge` step), " : "") "fragmented (while `fragment` held memory) and released (after it let go)."
	for (k = 1; k <= nord; k++) if (OR[k] in HAVEFIG) figure(OR[k], cap[OR[k]])
	for (k = 1; k <= nord; k++) if (!(OR[k] in HAVEFIG)) para("Figure `" OR[k] "` was not drawn: its table had no rows in this run.")
	# the figures here, not after the appendix: LaTeX defers a run of
	# floats to the end of the document unless a page break flushes them
	print "\\clearpage" > tex

	# arm64's worked walk (walk_section.sh) and its comparison with x86-64
	# (arch_section.sh), Fragmentation (frag_section.sh)
	# and, with MATRIX=1, the kernel matrix
	# (mk/matrix-section.sh): their text, Markdown and LaTeX as written.
	split("walk arch frag matrix", SECT, " ")
	for (k = 1; k <= 4; k++) if (exists(rdir "/" SECT[k] ".md") && exists(rdir "/" SECT[k] ".tex")) {
		print "" > md
		while ((getline line < (rdir "/" SECT[k] ".md")) > 0) print line > md
		close(rdir "/" SECT[k] ".md")
		print "" > tex
		while ((getline line < (rdir "/" SECT[k] ".tex")) > 0) print line > tex
		close(rdir "/" SECT[k] ".tex")
	}

	head(1, "Run")
	s = "Collection times in the guest (seconds):"
	if ("BOOT_S" in T) s = s " boot " T["BOOT_S"] ";"
	if ("FRESH_S" in T) s = s " fresh-phase probes " T["FRESH_S"] ";"
	if ("USER_S" in T) s = s " user sweeps " T["USER_S"] ";"
	if ("KERNEL_S" in T) s = s " kernel allocations " T["KERNEL_S"] ";"
	if ("TWOCTX_S" in T) s = s " two-context walk " T["TWOCTX_S"] ";"
	if ("PIDWALK_S" in T) s = s " pid walk for the worked walks " T["PIDWALK_S"] ";"
	if ("FRAGMENT_S" in T) s = s " fragmenting " T["FRAGMENT_S"] ";"
	if ("FRAGMENTED_S" in T) s = s " fragmented-phase probes " T["FRAGMENTED_S"] ";"
	if ("TOTAL_S" in T) s = s " whole run " T["TOTAL_S"] "."
	para(s)
	para("Raw data: `data/` (samples CSV, schema 1; buddyinfo snapshots; the guest's dmesg and console), `meta.txt`, the analyzer's tables (`summary.csv`, `findings.csv`, `reuse.csv`, `runhist.csv`, `deltas.csv`, `pfnmap.csv`, `frag.csv`, and for the sections above `walks.csv`, `v2p.csv`, `leaves.csv`, `overview.csv`, `pagemap.csv` and `vmas.csv`), and the figures in `fig/`.")
	overview_appendix()
	head(1, "Appendix: per-sample tables")
	para("The raw results behind the body's table. Each table is `summary.csv` for one allocator: one row per request size and sample. pages: rows; present: pages with a physical address; runs and largest run in pages; mean run = present / runs; contiguity = contiguous pairs / (pages - 1); v2p and walk: mismatching pages (virt_to_phys() vs walk, walk vs pagemap or vmalloc_to_page()), n/a where no page had both addresses to compare; frames_2m: the distinct 2 MiB physical frames (pa >> 21) the pages lie in. Rows are sorted by size and sample" ("SEED" in M ? " (the plan measured the sizes in a shuffled order, meta.txt's)." : "."))
	for (k = 1; k <= nal; k++) {
		a = AL[k]
		if (!(a in INSUM)) continue
		head(2, a)
		table_begin("l r r r r r r r r r r r", "size|size_bytes|sample|pages|present|runs|largest_run|mean_run|contiguity|v2p_mismatch|walk_mismatch|frames_2m")
		n = 0
		for (i = 1; i <= S["n"]; i++) if (col(S, i, "allocator") == a) {
			# insertion sort of the rows by (size_bytes, sample), numbers
			for (j = ++n; j > 1 && (col(S, SR[j - 1], "size_bytes") + 0 > col(S, i, "size_bytes") + 0 || \
			    (col(S, SR[j - 1], "size_bytes") + 0 == col(S, i, "size_bytes") + 0 && col(S, SR[j - 1], "sample") + 0 > col(S, i, "sample") + 0)); j--)
				SR[j] = SR[j - 1]
			SR[j] = i
		}
		for (j = 1; j <= n; j++) {
			i = SR[j]
			table_row(human(col(S, i, "size_bytes")) "|" col(S, i, "size_bytes") "|" col(S, i, "sample") "|" col(S, i, "pages") "|" col(S, i, "present") "|" col(S, i, "runs") "|" col(S, i, "largest_run") "|" col(S, i, "mean_run") "|" col(S, i, "contiguity") "|" mism(i, "v2p") "|" mism(i, "walk") "|" col(S, i, "frames_2m"))
		}
		table_end()
	}

	print "\\end{document}" > tex
	close(md)
	close(tex)
}

# " (Figure N what)": a pointer from the text to figure `name`, or
# nothing when this run did not draw it.
function figref(name, what) { return name in FIGNO ? " (Figure " FIGNO[name] " " what ")" : "" }

# Two cells equal as text.  Fields from split() that look numeric compare
# as numbers, and mawk reads 0x... hex as a double: two 64-bit addresses
# that differ in their low bits would compare equal.
function same(a, b) { return (a "") == (b "") }

# The two-context experiment: one kernel VA walked from two processes.
function twoctx(    i, j, a, n, na, A, R, p, cells, s) {
	if (X["n"] == 0) { para("No two-context rows in this run (data/twoctx.csv is missing or empty)."); return }
	para("The module keeps its last allocation alive, so two different processes (two `mm_struct`s, two pgd pages) can each write `walk VA` for the same kernel address. The plan does that from two short-lived shells, each its own process. The table prints, per process, the address of the pgd slot the walk used (`pgd_slot`, a kernel virtual address), the pgd, pud, pmd and pte entries it read, and the physical address it reached (a pte entry of 0x0000000000000000 means the walk ended at a pmd leaf, a 2 MiB page, and read no pte).")
	para("Why the kernel half agrees: every process's pgd is made by `pgd_alloc()`, whose constructor `pgd_ctor()` copies the kernel's entries (slots `pgd_index(PAGE_OFFSET)` to 511, `KERNEL_PGD_BOUNDARY` on) from the kernel's own pgd, `swapper_pg_dir` (`clone_pgd_range()`). So two processes keep the same pgd values for a kernel address in two different pgd pages (two slot addresses), and below the pgd they share the very same pud, pmd and pte tables. Kernel page tables below the pgd are never copied, which is why a change to them is seen by every process at once; x86-64 preallocates the vmalloc area's tables below the pgd at boot (`preallocate_vmalloc_pages()`) so that its pgd entries never change afterwards, and a kernel pgd entry that does change (memory hot-plug) is copied into every pgd (`sync_global_pgds()`).")
	TABLE_TINY = 1
	table_begin("l r l l l l l l", "allocator|pid|pgd_slot|pgd entry|pud entry|pmd entry|pte entry|pa (walk)")
	na = 0
	for (i = 1; i <= X["n"]; i++) {
		a = col(X, i, "allocator")
		if (!(a in A)) { A[a] = 0; R[++na] = a }
		A[a]++
		table_row(a "|" col(X, i, "sample") "|" col(X, i, "pgd_slot") "|" col(X, i, "pgd") "|" col(X, i, "pud") "|" col(X, i, "pmd") "|" col(X, i, "pte") "|" col(X, i, "pa_walk"))
	}
	table_end()
	items_begin()
	for (j = 1; j <= na; j++) {
		a = R[j]; n = 0
		for (i = 1; i <= X["n"]; i++) if (col(X, i, "allocator") == a) p[++n] = i
		if (n < 2) { item("**" a "**: only " n " walk recorded; nothing to compare."); continue }
		s = "**" a "** (VA " col(X, p[1], "va") ", pids " col(X, p[1], "sample") " and " col(X, p[2], "sample") "): the pgd slots "
		s = s (same(col(X, p[1], "pgd_slot"), col(X, p[2], "pgd_slot")) ? "are the same" : "differ") "; the pgd entries "
		s = s (same(col(X, p[1], "pgd"), col(X, p[2], "pgd")) ? "hold the same value" : "differ")
		s = s ", the pud entries " (same(col(X, p[1], "pud"), col(X, p[2], "pud")) ? "are the same" : "differ")
		s = s ", the pmd entries " (same(col(X, p[1], "pmd"), col(X, p[2], "pmd")) ? "are the same" : "differ")
		s = s ", the pte entries " (same(col(X, p[1], "pte"), col(X, p[2], "pte")) ? "are the same" : "differ")
		s = s ", and the walk gives " (same(col(X, p[1], "pa_walk"), col(X, p[2], "pa_walk")) ? "the same physical address " col(X, p[1], "pa_walk") : "different physical addresses")
		s = s "; `virt_to_phys()` " (same(col(X, p[1], "pa_v2p"), col(X, p[1], "pa_walk")) ? "agrees with the walk" : "gives " col(X, p[1], "pa_v2p") ", not the walk's address") "."
		item(s)
	}
	items_end()
}
