#!/bin/sh
# reports/arch_section.sh - the arm64 report's "x86-64 and arm64" section.
#
#   reports/arch_section.sh RDIR [X86_RDIR]
#
# Sets the arm64 run RDIR beside an x86-64 run, X86_RDIR (default: $ARCH_CMP,
# else reports/vm-4level/latest, what plain `make report` wrote), both
# analyzed by the same analyzer: their meta.txt (levels, VA bits, page and
# huge page sizes), data/vm.txt and data/times.txt (boot and collection
# times under TCG), leaves.csv (the leaf levels each allocator's pages met,
# per region: the direct/linear map, the vmalloc area, user memory),
# v2p.csv (how many pages virt_to_phys() got wrong) and overview.csv (each
# allocator's median contiguity and largest run, at the sizes ARCH_SIZES,
# default 64 KiB, 2 MiB and 64 MiB).  Every cell is a field of one of those
# files, copied; a row one run lacks prints "-".  Writes RDIR/arch.md and
# RDIR/arch.tex, which gen.awk copies in; without an x86-64 run, one
# paragraph saying how to get one.
set -eu
rdir=${1:?usage: reports/arch_section.sh RDIR [X86_RDIR]}
xdir=${2:-${ARCH_CMP:-$(dirname "$0")/vm-4level/latest}}
sizes=${ARCH_SIZES:-65536 2097152 67108864}
md=$rdir/arch.md.tmp tex=$rdir/arch.tex.tmp
texesc() { sed 's/\\/\\textbackslash{}/g; s/[_&%#$]/\\&/g'; }
kv() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1; }	# FILE KEY: its value
: >"$md"
: >"$tex"
para() { printf '%s\n\n' "$1" >>"$md"; printf '%s\n\n' "$1" | texesc >>"$tex"; }
printf '## x86-64 and arm64\n\n' >>"$md"
printf '%s\n\n' '\section{x86-64 and arm64}' >>"$tex"

# lacks DIR: the first table of DIR that is missing or lacks a column the
# tables below read ("has v2p.csv without the column differ"), or nothing.
lacks() {
	for t in "leaves.csv:source allocator region level rows" "v2p.csv:source allocator differ checked" \
		"overview.csv:source allocator size_bytes median_contiguity largest_run leaf"; do
		f=${t%%:*}
		[ -f "$1/$f" ] || { echo "has no $f"; return; }
		h=$(head -n 1 "$1/$f" | tr -d '\r')
		for c in ${t#*:}; do
			case ",$h," in *",$c,"*) ;; *) echo "has $f without the column $c"; return ;; esac
		done
	done
}
if [ ! -f "$xdir/meta.txt" ] || ! grep -qx 'MACHINE=x86_64' "$xdir/meta.txt" || [ ! -f "$xdir/leaves.csv" ]; then
	para "Not compared: no analyzed x86-64 run at $xdir (run \`make report\` first, or name one with ARCH_CMP=RDIR)."
	# named on purpose (ARCH_CMP), so say it was not usable
	[ -z "${ARCH_CMP:-}" ] || echo "reports/arch_section.sh: not compared: no analyzed x86-64 run at $xdir" >&2
elif why=$(lacks "$rdir") && [ -n "$why" ]; then
	# The arm64 run's own tables come from its analyzer: without them
	# there is nothing to compare, and it is an error (gen.sh stops).
	rm -f "$md" "$tex"
	echo "reports/arch_section.sh: the arm64 run $rdir $why (analyze it first)" >&2
	exit 1
elif why=$(lacks "$xdir") && [ -n "$why" ]; then
	# A partial x86-64 run (stopped, or from an older analyzer): said,
	# not drawn as empty or garbled tables.
	para "Not compared: the x86-64 run at $xdir $why (an incomplete run: run \`make report\` again, or name another with ARCH_CMP=RDIR)."
	echo "reports/arch_section.sh: not compared: the x86-64 run at $xdir $why" >&2
fi
if [ -s "$md" ] && grep -q '^Not compared' "$md"; then
	mv "$md" "$rdir/arch.md"
	mv "$tex" "$rdir/arch.tex"
	exit 0
fi
para "The same module, collectors, plan and analyzer on two machines: this arm64 run and the x86-64 run of $(kv "$xdir/meta.txt" KERNEL_RELEASE) from $(kv "$xdir/meta.txt" DATE) (its report has the x86-64 walk). Each value below is copied from the two runs' files (meta.txt, data/vm.txt, data/times.txt, and the analyzer's leaves.csv, v2p.csv and overview.csv); \"-\" marks what one run has no row for."

# table CAPTION HEADER: rows (|-separated) on stdin, as Markdown and LaTeX.
table() {
	awk -F'|' -v md="$md" -v tex="$tex" -v cap="$1" -v head="$2" '
	function esc(s) { gsub(/[_&%#$]/, "\\\\&", s); return s }
	BEGIN {
		n = split(head, H, "|")
		print "**" cap "**" >> md; print "" >> md
		s = "|"; u = "|"; for (i = 1; i <= n; i++) { s = s " " H[i] " |"; u = u "---|" }
		print s >> md; print u >> md
		spec = "l"; for (i = 2; i <= n; i++) spec = spec "l"
		print "\\paragraph{" esc(cap) "}" >> tex
		print "\\begin{longtable}{@{}" spec "@{}}" >> tex
		s = "\\toprule "; for (i = 1; i <= n; i++) s = s (i > 1 ? " & " : "") esc(H[i])
		print s " \\\\ \\midrule" >> tex
	}
	{
		s = "|"; t = ""
		for (i = 1; i <= NF; i++) { s = s " " $i " |"; t = t (i > 1 ? " & " : "") esc($i) }
		print s >> md; print t " \\\\" >> tex
	}
	END { print "" >> md; print "\\bottomrule" >> tex; print "\\end{longtable}" >> tex; print "" >> tex }'
}

# The machines: KEY=VALUE files, one row per key.
for k in meta:MACHINE meta:KERNEL_RELEASE meta:PAGING_LEVELS meta:VA_BITS meta:PAGE_SIZE meta:HUGEPAGE_SIZE \
	meta:CPU_MODEL vm:CPU vm:VM_MEM vm:BOOT_S vm:GUEST_UPTIME_AT_PLAN_S times:USER_S times:KERNEL_S \
	times:PIDWALK_S vm:TOTAL_S; do
	f=${k%%:*} key=${k#*:}
	case $f in meta) p=meta.txt ;; vm) p=data/vm.txt ;; times) p=data/times.txt ;; esac
	x=$(kv "$xdir/$p" "$key") a=$(kv "$rdir/$p" "$key")
	echo "$key ($p)|${x:--}|${a:--}"
done | table "The machines and their costs under TCG (seconds)" "value|x86-64|arm64"

# join FILE KEYCOLS VALCOLS: one row per key either run has, the x86-64
# run's values then the arm64 run's, in the x86-64 run's order first.
join() {
	awk -F, -v keys="$2" -v vals="$3" '
	FNR == 1 { for (i = 1; i <= NF; i++) C[$i] = i; nk = split(keys, K, " "); nv = split(vals, V, " "); f++; next }
	{
		k = ""; for (i = 1; i <= nk; i++) k = k (i > 1 ? "|" : "") $C[K[i]]
		v = ""; for (i = 1; i <= nv; i++) v = v (i > 1 ? " " : "") $C[V[i]]
		if (!(k in seen)) { seen[k] = 1; order[++n] = k }
		val[f, k] = v
	}
	END { for (i = 1; i <= n; i++) print order[i] "|" ((1, order[i]) in val ? val[1, order[i]] : "-") "|" ((2, order[i]) in val ? val[2, order[i]] : "-") }' \
		"$xdir/$1" "$rdir/$1"
}
join leaves.csv "source allocator region level" "rows" |
	table "Leaf levels: pages under each kind of leaf (leaves.csv rows)" "source|allocator|region|leaf|x86-64 pages|arm64 pages"
join v2p.csv "source allocator" "differ checked" | sed 's/|\([0-9]*\) \([0-9]*\)/|\1 of \2/g' |
	table "virt_to_phys() against the walk: pages it got wrong (v2p.csv differ of checked)" "source|allocator|x86-64|arm64"
join overview.csv "source allocator size_bytes" "median_contiguity largest_run leaf" |
	awk -F'|' -v s=" $sizes " 'index(s, " " $3 " ")' |
	table "Contiguity: median contiguity, largest run (pages) and leaves, per allocator and size (overview.csv)" "source|allocator|size_bytes|x86-64|arm64"

para "How to read the tables. Both kernels here walk four levels of 4 KiB pages with 48-bit VAs split into the same 9-bit indices (x86-64 can switch to five with LA57 at boot; arm64's count is fixed when its kernel is built). x86-64's direct map may use 2 MiB and 1 GiB leaves where the range allows; Debian's arm64 linear map is built of 4 KiB pages only (rodata_full, can_set_direct_map()), so there kmalloc and alloc_pages rows can meet only pte leaves. virt_to_phys() is linear-map arithmetic on both, so it can be right only for addresses in the direct or linear map: vmalloc pages, outside it, come out wrong on both, and kvmalloc's only where it fell back to vmalloc. Huge vmalloc (pmd leaves in the vmalloc area) is the same kernel code on both. arm64's hugetlb also offers 64 KiB and 32 MiB pages made of 16 contiguous-hint entries (the guest tests walk them; the report plan uses the default 2 MiB). How physically contiguous an allocator's pages are is the allocator's doing, the same code on both: the contiguity table's differences come from each guest's memory and what ran before. The times are QEMU's TCG emulating each machine on this host, not the hardware's."
mv "$md" "$rdir/arch.md"
mv "$tex" "$rdir/arch.tex"
