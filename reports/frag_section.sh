#!/bin/bash
# reports/frag_section.sh - the report's "Fragmentation" section, from the data.
#
#   reports/frag_section.sh DATADIR ANALYSISDIR OUTPREFIX
#
# DATADIR is what vm/plans/frag_check.sh (or a plan using vm/plans/frag.sh)
# left: buddyinfo.PHASE.txt, allocs.PHASE.csv, user.PHASE.csv, frag.txt,
# meta.txt.  ANALYSISDIR holds the analyzer's fragphase.csv, fragzone.csv,
# allocphase.csv, compact.csv and pageblocks.csv if it has them (without
# the first three this script runs ANALYZE, default build/bin/analyze, on
# the snapshots and allocs files), and summary.PHASE.csv and
# findings.PHASE.csv, or phases/PHASE/summary.csv and findings.csv, when
# the user data were analysed per phase (otherwise it runs ANALYZE on each
# user.PHASE.csv itself).  FRAG_PHASES (e.g. "fresh fragmented released")
# limits the columns to those snapshots; default every
# buddyinfo.PHASE.txt.  Writes OUTPREFIX.md and OUTPREFIX.tex (a \section
# for the LaTeX report, booktabs+longtable) with, per phase: free blocks
# of order >= 9, the unusable free space and fragmentation indices at
# order 9 in the zone the analyzer chose (fragzone.csv: the most free
# memory), the largest kmalloc and alloc_pages that succeeded, and the
# contiguity and THP share of the user memory.  Every number is a cell of
# those tables, picked, never computed here; what they do not hold is
# written as "not measured", never guessed.  Exit 1 when DATADIR has no
# snapshot.
set -euo pipefail

prog=reports/frag_section.sh
[ $# = 3 ] || { echo "usage: $prog DATADIR ANALYSISDIR OUTPREFIX" >&2; exit 2; }
data=$1 an=$2 out=$3
root=$(cd "$(dirname "$0")/.." && pwd)
ANALYZE=${ANALYZE:-$root/build/bin/analyze}
[ -d "$data" ] || { echo "$prog: no directory $data" >&2; exit 1; }

# Phases: the usual three in the order they happen, then any others.
phases=""
for p in ${FRAG_PHASES:-fresh fragmented released}; do
	[ -f "$data/buddyinfo.$p.txt" ] && phases="$phases $p"
done
for f in "$data"/buddyinfo.*.txt; do
	[ -f "$f" ] && [ -z "${FRAG_PHASES:-}" ] || continue
	p=${f##*/buddyinfo.}; p=${p%.txt}
	case " $phases " in *" $p "*) ;; *) phases="$phases $p" ;; esac
done
phases=${phases# }
[ -n "$phases" ] || { echo "$prog: no buddyinfo.PHASE.txt in $data" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/frag_section.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
kv=$tmp/kv
: >"$kv"
put() { printf '%s\t%s\n' "$1" "$2" >>"$kv"; }

# Every number below is a cell of the analyzer's tables, picked here:
# fragphase.csv (per snapshot sums), fragzone.csv (the zone the analyzer
# chose, the one with the most free pages, at every order, with the
# unusable index as a percentage), allocphase.csv (the largest kernel
# allocation that succeeded and the first that failed, per phase), and
# per phase summary.csv and findings.csv (the block's contiguity, the THP
# share).  Tables ANALYSISDIR lacks are made here by ANALYZE from DATADIR.
tabs=$an
if [ ! -f "$an/fragphase.csv" ] || [ ! -f "$an/fragzone.csv" ] ||
	{ ls "$data"/allocs.*.csv >/dev/null 2>&1 && [ ! -f "$an/allocphase.csv" ]; }; then
	tabs=$tmp/an.snap
	mkdir -p "$tabs"
	# shellcheck disable=SC2046 # one word per file, names without spaces
	"$ANALYZE" -q -o "$tabs" $(ls "$data"/buddyinfo.*.txt "$data"/allocs.*.csv 2>/dev/null) >/dev/null 2>"$tmp/an.snap.err" ||
		{ echo "$prog: analyze of the snapshots failed: $(head -n 1 "$tmp/an.snap.err")" >&2; exit 1; }
fi
# cells TABLE KEYCOLS KEYVALS OUTCOLS: the OUTCOLS (|-joined) of TABLE's
# first row whose KEYCOLS (space-separated) hold KEYVALS.
cells() {
	[ -f "$1" ] || return 0
	awk -F, -v k="$2" -v v="$3" -v o="$4" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
			nk = split(k, K, " "); split(v, W, " "); no = split(o, O, " "); next }
		{ for (i = 1; i <= nk; i++) if ($c[K[i]] != W[i]) next
		  for (i = 1; i <= no; i++) printf "%s%s", (i > 1 ? "|" : ""), $c[O[i]]; exit }' "$1"
}
first=${phases%% *}
zone=$(awk -F, 'NR == 2 { print $3; exit }' "$tabs/fragzone.csv")
o9=$(cells "$tabs/fragphase.csv" phase "$first" high_order)
put phases "$phases"
put zone "$zone"
put order "$o9"
[ -f "$data/frag.txt" ] && while IFS='=' read -r k v; do put "frag_$k" "$v"; done <"$data/frag.txt"
[ -f "$data/meta.txt" ] && while IFS='=' read -r k v; do
	case $k in KERNEL_RELEASE|MEMTOTAL_KB|TARGET|PAGING_LEVELS) put "meta_$k" "$v" ;; esac
done <"$data/meta.txt"

for p in $phases; do
	put "$p.high" "$(cells "$tabs/fragphase.csv" phase "$p" high_blocks)"
	put "$p.free_mib" "$(cells "$tabs/fragphase.csv" phase "$p" free_mib)"
	IFS='|' read -r u x up < <(cells "$tabs/fragzone.csv" "phase order" "$p $o9" "unusable_index frag_index unusable_pct"; echo) || true
	put "$p.unusable" "$u"
	put "$p.fragidx" "$x"
	put "$p.unusable_pct" "$up"
	# Compaction and pageblocks: cells of the analyzer's compact.csv and
	# pageblocks.csv (analyze/compact.c), picked, not computed.
	if [ -f "$an/compact.csv" ]; then
		put "$p.compact" "$(cells "$an/compact.csv" phase "$p" "d_compact_stall d_compact_success d_compact_fail prev_phase")"
	fi
	if [ -f "$an/pageblocks.csv" ]; then
		put "$p.pageblocks" "$(awk -F, -v p="$p" -v z="$zone" -v k=pageblocks -f "$root/reports/pageblocks.awk" "$an/pageblocks.csv")"
		put "$p.freehigh" "$(awk -F, -v p="$p" -v z="$zone" -v k=free_high_blocks -f "$root/reports/pageblocks.awk" "$an/pageblocks.csv")"
	fi
	if [ -f "$data/allocs.$p.csv" ]; then
		for al in kmalloc vmalloc alloc_pages; do
			put "$p.$al" "$(cells "$tabs/allocphase.csv" "phase allocator" "$p $al" \
				"largest_ok_bytes largest_ok_order fail_order fail_errno fail_bytes")"
		done
	fi
	# User memory: the block experiment's cells of summary.csv, the THP
	# mode's of findings.csv, from the phase's own analysis.
	uc=$data/user.$p.csv
	if [ -f "$uc" ]; then
		sum=$an/summary.$p.csv fnd=$an/findings.$p.csv
		[ -f "$sum" ] || { sum=$an/phases/$p/summary.csv fnd=$an/phases/$p/findings.csv; }
		if { [ ! -f "$sum" ] || [ ! -f "$fnd" ]; } && [ -x "$ANALYZE" ]; then
			mkdir -p "$tmp/an.$p"
			"$ANALYZE" -q -o "$tmp/an.$p" "$uc" >/dev/null 2>"$tmp/an.$p.err" &&
				{ sum=$tmp/an.$p/summary.csv fnd=$tmp/an.$p/findings.csv; } ||
				echo "$prog: analyze $uc failed: $(head -n 1 "$tmp/an.$p.err")" >&2
		fi
		put "$p.block" "$(cells "$sum" allocator block "size_bytes contiguity largest_run runs")"
		put "$p.thp" "$(cells "$fnd" allocator thp "size_max thp_pages all_pages thp_pct")"
	fi
done

awk -F'\t' -v md="$out.md.tmp" -v tex="$out.tex.tmp" '
{ V[$1] = $2 }
function tx(s) { gsub(/\\/, "\\textbackslash{}", s); gsub(/[_&%#$]/, "\\\\&", s); gsub(/\|/, "$|$", s); gsub(/--/, "-{}-", s); return s }
function mib(b) { return b >= 1048576 ? (b / 1048576) " MiB" : (b / 1024) " KiB" }
# `code` spans to \texttt, after tx(); long names may break after "_".
function code(t) {
	while (match(t, /`[^`]*`/))
		t = substr(t, 1, RSTART - 1) "\\texttt{" substr(t, RSTART + 1, RLENGTH - 2) "}" substr(t, RSTART + RLENGTH)
	gsub(/\\_/, "\\_\\allowbreak{}", t)
	return t
}
function nm(s) { return s == "" ? "not measured" : s }
# A finding'"'"'s mechanism and what would change it, then the end of the
# finding (\002: each becomes an item of the Findings list).
function why(w, c) { return "**Why:** " w " **What would change it:** " c "\002" }
# **bold** to \textbf, after tx()
function bold(t) {
	while (match(t, /\*\*[^*]*\*\*/))
		t = substr(t, 1, RSTART - 1) "\\textbf{" substr(t, RSTART + 2, RLENGTH - 4) "}" substr(t, RSTART + RLENGTH)
	return t
}
function cell(k,   s) { return nm(V[k]) }
# allocphase.csv cells "SIZE|ORDER|FAILORDER|FAILERRNO|FAILSIZE" -> "4 MiB (order 10); failed at order 10"
function alloc(k,   f, s) {
	if (!(k in V) || V[k] == "") return "not measured"
	split(V[k], f, "|")
	if (k ~ /\.vmalloc$/) {	# no order: sizes
		s = f[1] == "" ? "none succeeded" : mib(f[1])
		return s (f[3] == "" ? ", all succeeded" : "; failed at " mib(f[5]) " (" f[4] ")")
	}
	s = f[1] == "" ? "none succeeded" : mib(f[1]) " (order " f[2] ")"
	return s (f[3] == "" ? ", all succeeded" : "; failed at order " f[3] " (" f[4] ")")
}
function block(k,   f) {
	if (!(k in V) || V[k] == "") return "not measured"
	split(V[k], f, "|")
	return "contiguity " f[2] ", largest run " f[3] " pages, " f[4] " runs (" mib(f[1]) ")"
}
function thp(k,   f) {
	if (!(k in V) || V[k] == "") return "not measured"
	split(V[k], f, "|")
	return f[2] " of " f[3] " pages in THPs (" f[4] "%, " mib(f[1]) ")"
}
# "STALL|SUCCESS|FAIL|PREV" (the changes in compact.csv) -> "8 (1 succeeded, 7 failed) since fresh"
function compact(k,   f) {
	if (!(k in V) || V[k] == "") return "not measured"
	split(V[k], f, "|")
	if (f[4] == "") return "first snapshot"
	if (f[1] == "") return "not measured since " f[4]
	return f[1] " (" f[2] " succeeded, " f[3] " failed) since " f[4]
}
function row(name, vals,   i, m, t) {
	m = "| " name; t = tx(name)
	for (i = 1; i <= np; i++) { m = m " | " vals[i]; t = t " & " tx(vals[i]) }
	print m " |" >md; print t " \\\\" >tex
}
END {
	np = split(V["phases"], P, " ")
	z = V["zone"]; o = V["order"]
	print "## Fragmentation\n" >md
	print "\\section{Fragmentation}" >tex
	if ("frag_FRAG_STATUS" in V) {
		s = "The same guest was measured fresh after boot and while `fragment -p " V["frag_FRAG_PCT"] \
		    " --pattern " V["frag_FRAG_PATTERN"] (V["frag_FRAG_OPTS"] != "" ? " " V["frag_FRAG_OPTS"] : "") \
		    "` held memory (fragment'"'"'s own status line: " V["frag_FRAG_STATUS"] ")" (V["frag_FRAG_PIN"] == 1 ? \
		    ", with `vm.compact_unevictable_allowed=0` so that compaction could not move the pages it kept" : "") \
		    ", and again after it let go. It keeps one frame of every aligned pair, so the pages it gives back cannot merge with their buddies."
	} else
		s = "Phases measured: " V["phases"] ". How the memory was fragmented is not recorded (no frag.txt)."
	print s "\n" >md
	print code(tx(s)) "\n" >tex
	print "Indices are the kernel'\''s (mm/vmstat.c) at order " o " (2 MiB blocks) in zone " z ", the zone with the most free memory; 1.000 unusable means no free memory could serve such a request.\n" >md
	print "Indices are the kernel'\''s (mm/vmstat.c) at order " o " (2 MiB blocks) in zone " tx(z) ", the zone with the most free memory; 1.000 unusable means no free memory could serve such a request.\n" >tex
	h = "| measure"; sep = "|---"; ht = "measure"; cols = "p{4.2cm}"
	for (i = 1; i <= np; i++) { h = h " | " P[i]; sep = sep "|---"; ht = ht " & " P[i]; cols = cols "p{" sprintf("%.1f", 10.5 / np) "cm}" }
	print h " |\n" sep "|" >md
	print "{\\small\\begin{longtable}{" cols "}\\toprule\n" ht " \\\\ \\midrule\\endhead" >tex
	for (i = 1; i <= np; i++) v[i] = V[P[i] ".free_mib"] " MiB"; row("free memory (all zones)", v)
	for (i = 1; i <= np; i++) v[i] = cell(P[i] ".high"); row("free blocks of order >= " o " (all zones)", v)
	for (i = 1; i <= np; i++) v[i] = cell(P[i] ".unusable"); row("unusable index, order " o ", " z, v)
	for (i = 1; i <= np; i++) v[i] = cell(P[i] ".fragidx"); row("fragmentation index, order " o ", " z, v)
	hc = 0; for (i = 1; i <= np; i++) if ((P[i] ".compact") in V) hc = 1
	if (hc) { for (i = 1; i <= np; i++) v[i] = compact(P[i] ".compact"); row("direct compactions since the snapshot before", v) }
	hc = 0; for (i = 1; i <= np; i++) if ((P[i] ".pageblocks") in V) hc = 1
	if (hc) {
		for (i = 1; i <= np; i++) v[i] = cell(P[i] ".pageblocks"); row("pageblocks by migrate type, " z, v)
		for (i = 1; i <= np; i++) v[i] = cell(P[i] ".freehigh"); row("free blocks of order >= pageblock order by migrate type, " z, v)
	}
	for (i = 1; i <= np; i++) v[i] = alloc(P[i] ".kmalloc"); row("largest kmalloc that succeeded", v)
	hv = 0; for (i = 1; i <= np; i++) if ((P[i] ".vmalloc") in V && V[P[i] ".vmalloc"] != "") hv = 1
	if (hv) { for (i = 1; i <= np; i++) v[i] = alloc(P[i] ".vmalloc"); row("largest vmalloc that succeeded", v) }
	for (i = 1; i <= np; i++) v[i] = alloc(P[i] ".alloc_pages"); row("largest alloc_pages that succeeded", v)
	for (i = 1; i <= np; i++) v[i] = block(P[i] ".block"); row("user block (memalloc -b 1G)", v)
	for (i = 1; i <= np; i++) v[i] = thp(P[i] ".thp"); row("user THP (memalloc -b thp)", v)
	print "" >md
	print "\\bottomrule\\end{longtable}}\n" >tex
	# Findings: only from the numbers above.
	f = ""
	if (("fresh.unusable" in V) && ("fragmented.unusable" in V) && V["fresh.unusable"] != "" && V["fragmented.unusable"] != "")
		f = f "Fragmenting moved the unusable free space index at order " o " in " z " from " V["fresh.unusable"] " to " V["fragmented.unusable"] ": " V["fragmented.unusable_pct"] "% of the free memory could not serve a 2 MiB request, against " V["fresh.unusable_pct"] "% fresh. "
	if (("fresh.high" in V) && ("fragmented.high" in V))
		f = f sprintf("Free blocks of order %s or more went from %s to %s while %s MiB stayed free. ", o, V["fresh.high"], V["fragmented.high"], V["fragmented.free_mib"])
	if (f != "")
		f = f why("the buddy allocator merges a freed block with its buddy only when the buddy is free too; fragment keeps one frame of every aligned pair, so the frames it gives back stay single and free memory is plenty while blocks of order " o " are few (the table'"'"'s free memory against its free blocks). The count of free blocks is over all zones, ZONE_DMA'"'"'s too, which the kernel holds back from allocations that can use a higher zone (`lowmem_reserve_ratio`), so a block there need not serve an ordinary kernel or user allocation (the buddyinfo snapshots in data/ show each zone'"'"'s blocks).", \
		    "letting go: the released column, where the pairs merge again; or compaction, which migrates movable pages to make free blocks" (V["frag_FRAG_PIN"] == 1 ? " (here forbidden for the pages fragment keeps: they are locked and `vm.compact_unevictable_allowed=0`)." : "."))
	# The pattern alone (before --huge takes the rest as THPs): what
	# the pattern did, apart from what --huge does by construction.
	if (("patterned.high" in V) && ("fragmented.high" in V))
		f = f sprintf("The pattern alone left %s of them (unusable index %s in %s); the --huge step of fragment then took every free high-order block it could as a transparent huge page, so the fall from %s to %s is by construction, not an effect of the pattern. ", V["patterned.high"], V["patterned.unusable"], z, V["patterned.high"], V["fragmented.high"])
	if (("patterned.high" in V) && ("fragmented.high" in V))
		f = f why("a THP fault takes a whole free order-9 block, so each huge page fragment faulted in took one of the blocks the pattern had left.", \
		    "fragment without `--huge`: the patterned column is that state.")
	if (("fresh.alloc_pages" in V) && ("fragmented.alloc_pages" in V)) {
		split(V["fresh.alloc_pages"], a, "|"); split(V["fragmented.alloc_pages"], b, "|")
		f = f "The largest alloc_pages order that succeeded was " (a[2] == "" ? "none" : a[2]) " fresh and " (b[2] == "" ? "none" : b[2]) " fragmented" \
		    (b[2] != "" && a[2] != "" && b[2] + 0 >= a[2] + 0 ? " (compaction or a free block elsewhere still served it)" : "") \
		    (("fresh.kmalloc" in V) && ("fragmented.kmalloc" in V) ? "; for kmalloc " (split(V["fresh.kmalloc"], c, "|") && c[2] != "" ? c[2] : "none") \
		    " fresh and " (split(V["fragmented.kmalloc"], c, "|") && c[2] != "" ? c[2] : "none") " fragmented" : "") ". "
	} else
		f = f "The kernel allocators were not probed (no allocs.PHASE.csv: ptwalk.ko missing). "
	if (("fresh.alloc_pages" in V) && ("fragmented.alloc_pages" in V))
		f = f why("kmalloc of more than 8 KiB and alloc_pages take one block of neighbouring frames (2 to the power of the order) from the buddy free lists (kmalloc'"'"'s large sizes call the page allocator directly); an order with no free block needs direct compaction, which the compaction row counts, and fails when compaction cannot make one. vmalloc needs no neighbouring frames, so its largest size does not move (its row).", \
		    "free blocks of the order asked for: letting go, or compaction allowed to move the kept pages; or asking for less contiguity: vmalloc or kvmalloc instead of kmalloc, a smaller order.")
	if (!("fresh.block" in V) || V["fresh.block"] == "" || !("fragmented.block" in V) || V["fragmented.block"] == "")
		f = f "User-memory contiguity per phase was not measured. "
	else {
		split(V["fresh.block"], a, "|"); split(V["fragmented.block"], b, "|")
		f = f "A " mib(a[1]) " user block had contiguity " a[2] " fresh and " b[2] " fragmented (largest run " a[3] " and " b[3] " pages): the allocator hands out the smallest free blocks first, here the frames given back. "
	}
	if (("fresh.block" in V) && V["fresh.block"] != "" && ("fragmented.block" in V) && V["fragmented.block"] != "")
		f = f why("a user page is faulted in one frame at a time (order 0), and the allocator serves order 0 from the per-CPU lists and the smallest free blocks first: here the single frames fragment gave back, one of every aligned pair, so neighbouring virtual pages seldom get neighbouring frames (the largest run above).", \
		    "larger free blocks (fresh, or after letting go), or a request that takes whole blocks: THP and hugetlb map order-9 blocks.")
	if (("fresh.thp" in V) && V["fresh.thp"] != "" && ("fragmented.thp" in V) && V["fragmented.thp"] != "") {
		split(V["fresh.thp"], a, "|"); split(V["fragmented.thp"], b, "|")
		f = f "THP backed " a[4] "% of a " mib(a[1]) " madvised block fresh and " b[4] "% fragmented. "
	}
	if (("fresh.thp" in V) && V["fresh.thp"] != "" && ("fragmented.thp" in V) && V["fragmented.thp"] != "")
		f = f why("a THP fault needs a free order-9 block, or compaction to make one (THP defrag decides whether a madvised fault stalls for it); without one it maps 4 KiB pages instead.", \
		    "free order-9 blocks (fresh, released), compaction that may move the kept pages, or khugepaged, which collapses 4 KiB pages into a huge page later when a block is free.")
	if (("fragmented.compact" in V) && V["fragmented.compact"] != "") {
		split(V["fragmented.compact"], a, "|")
		if (a[1] != "")
			f = f "Between the " a[4] " and fragmented snapshots the kernel stalled " a[1] " times to compact memory for an allocation (" a[2] " succeeded, " a[3] " failed; /proc/vmstat). "
		if (a[1] != "")
			f = f why("an allocation of order > 0 that finds no free block compacts memory itself (direct compaction): it migrates movable pages out of a pageblock to free it whole, and fails where a pageblock holds a page it may not move" (V["frag_FRAG_PIN"] == 1 ? "; the pages fragment keeps are locked, and with `vm.compact_unevictable_allowed=0` compaction may not move them." : " (unmovable, pinned, or locked with `vm.compact_unevictable_allowed=0`)."), \
			    (V["frag_FRAG_PIN"] == 1 ? "`vm.compact_unevictable_allowed=1` (the default), which lets compaction move locked pages; or fewer kept pages." : "fewer pages that compaction cannot move."))
	}
	if (("fresh.freehigh" in V) && ("fragmented.freehigh" in V))
		f = f "By migrate type (/proc/pagetypeinfo), the free blocks of pageblock order or more in " z " were " nm(V["fresh.freehigh"]) " fresh and " nm(V["fragmented.freehigh"]) " fragmented. "
	if (("fresh.freehigh" in V) && ("fragmented.freehigh" in V))
		f = f why("the page allocator groups frames by mobility in pageblocks (of 2 MiB on x86-64) and takes a movable page from a Movable pageblock first; the pattern spreads its kept frames over the Movable pageblocks, so none of them is free whole.", \
		    "letting go (the released column), or compaction, which frees whole pageblocks by moving their pages.")
	# each finding: a claim, its numbers (cells of the table above), why
	# (the mechanism in the kernel) and what would change it
	print "### Findings\n" >md
	print "\\subsection{Findings}\n\\begin{itemize}" >tex
	n = split(f, F, "\002")
	for (i = 1; i <= n; i++) {
		if (F[i] ~ /^ *$/) continue
		sub(/ +$/, "", F[i])
		print "- " F[i] >md
		print "\\item " bold(code(tx(F[i]))) >tex
	}
	print "" >md
	print "\\end{itemize}\n" >tex
}' "$kv"
mv "$out.md.tmp" "$out.md"
mv "$out.tex.tmp" "$out.tex"
