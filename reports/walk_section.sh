#!/bin/sh
# reports/walk_section.sh - the arm64 report's "A worked walk (arm64)" section.
#
#   reports/walk_section.sh RDIR
#
# For an arm64 run (RDIR/meta.txt says MACHINE=aarch64; reports/gen.sh
# calls it only then): the worked walks of RDIR/walks.csv, which the
# analyzer decoded as arm64 descriptors (analyze --machine aarch64,
# collect/ptentry_arm64.c), one table per walk, level by level, under the
# Arm ARM's names, and what they show about the TTBR0/TTBR1 halves and
# Debian's linear map.  Writes RDIR/walk.md and RDIR/walk.tex, which
# gen.awk copies in.  It computes nothing: every value is a walks.csv or
# meta.txt field; without walks.csv the section says "not measured".
set -eu
rdir=${1:?usage: reports/walk_section.sh RDIR}
meta() { sed -n "s/^$1=//p" "$rdir/meta.txt" | head -n 1; }
texesc() { sed 's/\\/\\textbackslash{}/g; s/[_&%#$]/\\&/g; s/\^/\\^{}/g'; }
walks=$rdir/walks.csv

md=$rdir/walk.md.tmp tex=$rdir/walk.tex.tmp
intro="$(meta KERNEL_RELEASE): $(meta PAGING_LEVELS) levels, $(meta VA_BITS)-bit virtual addresses, $(meta PAGE_SIZE)-byte pages. Levels 0 to 3 of the Arm ARM are the kernel's pgd, pud, pmd and pte (the p4d is folded into the pgd and repeats its line); each index is 9 bits of the VA, as on x86-64 with 4 levels. A VA with bit 55 set (the kernel half) is translated through TTBR1_EL1's table, the kernel's swapper_pg_dir, one for every process; a user VA through TTBR0_EL1, the process's own pgd (the pgd line names the register). Each descriptor is the raw 64-bit value the module read, decoded by the analyzer (walks.csv, collect/ptentry_arm64.c; a test decodes each again with a decoder of its own) under the Arm ARM's names (VMSAv8-64, 4 KiB granule): bits[1:0] 0b11 is a table above level 3 and a page at level 3, 0b01 a block at levels 1 and 2 (1 GiB, 2 MiB). A table gives the next table's address and the hierarchical controls NSTable, APTable, UXNTable, PXNTable. A block or page gives its output address and AttrIndx (the MAIR_EL1 slot: Linux's 0 NORMAL, 1 NORMAL_TAGGED, 2 NORMAL_NC, 3 DEVICE_nGnRnE, 4 DEVICE_nGnRE), SH (shareability), AP[2:1] (EL1 and EL0 access), AF (accessed), nG (not global: the TLB tags the entry with the process's ASID), DBM (dirty bit management, Linux's writable bit), Cont (the contiguous hint: 16 aligned entries map one range, one TLB entry), PXN and UXN (no execute at EL1, at EL0); DIRTY, SPECIAL and DEVMAP are Linux's software bits."
rodata="Debian's arm64 kernel is built with CONFIG_RODATA_FULL_DEFAULT_ENABLED=y, so can_set_direct_map() is true and the linear map is mapped with NO_BLOCK_MAPPINGS and NO_CONT_MAPPINGS: 4 KiB pages only, without the contiguous hint, so that single pages can change permissions (only the linear alias of the kernel image itself keeps 2 MiB blocks). The Leaf levels section counts the leaves each allocator's rows met; x86-64 maps the same memory with 2 MiB and 1 GiB leaves. The kernel half's pgd is TTBR1's one table for every process, where each x86-64 process's pgd carries its own copy of the kernel half: the two-context table above shows the pgd slot each process's walk of one kernel address used."
{
	echo "## A worked walk (arm64)"
	echo
	echo "$intro"
	echo
} >"$md"
{
	printf '%s\n' '\section{A worked walk (arm64)}'
	echo "$intro" | texesc
	echo
} >"$tex"

if [ ! -s "$walks" ] || [ "$(wc -l <"$walks")" -lt 2 ]; then
	echo "Not measured: this run has no walks.csv rows (no row with raw entries)." >>"$md"
	echo "Not measured: this run has no walks.csv rows." >>"$tex"
else
	# One table per case; a case on a page an earlier case walked says so.
	awk -F, -v md="$md" -v tex="$tex" '
	function esc(s) { gsub(/[_&%#$]/, "\\\\&", s); return s }
	function close_case() {
		if (c == "" || same) return
		print "" >> md; if (last != "") { print last >> md; print "" >> md }
		print "\\bottomrule" >> tex; print "\\end{longtable}}" >> tex
		if (last != "") print esc(last) >> tex
		print "" >> tex
	}
	NR == 1 { next }
	$1 != c {
		close_case()
		c = $1; last = ""; key = $2 "," $3 "," $4 "," $5 "," $6
		t = c ": VA " $7 ", " $2 " row of " $3 ", " $4 " bytes, sample " $5 ", page " $6
		same = key in seen
		if (same) {
			print "**" t "**: the same page as the walk of " seen[key] " above." >> md; print "" >> md
			print "\\paragraph{" esc(t) "} The same page as the walk of " esc(seen[key]) " above." >> tex; print "" >> tex
			next
		}
		seen[key] = c
		print "**" t "**" >> md; print "" >> md
		print "| level | index | entry address | descriptor | decoded | next table or output address |" >> md
		print "|---|---|---|---|---|---|" >> md
		print "\\paragraph{" esc(t) "}" >> tex
		print "{\\scriptsize\\begin{longtable}{@{}lrllp{0.30\\textwidth}p{0.16\\textwidth}@{}}" >> tex
		print "\\toprule level & index & entry address & descriptor & decoded & next \\\\ \\midrule" >> tex
	}
	same { next }
	{
		nx = $15 == "1" ? "= the pgd entry (folded)" : $16 != "" ? $16 " table" : $17 != "" ? $17 " frame" : "none: no translation"
		print "| " $9 " | " $11 " | " $12 " | `" $13 "` | " $14 " | " nx " |" >> md
		print $9 " & " $11 " & \\texttt{" $12 "} & \\texttt{" $13 "} & " esc($14) " & \\texttt{" nx "} \\\\" >> tex
		if ($17 != "") last = "PA = output address " $17 " + offset " $18 " = " $19 "; the row'"'"'s pa is " $20 (($21 == "1") ? ", the same." : ": they differ.")
	}
	END { close_case() }' "$walks"
fi
echo "$rodata" >>"$md"
echo "$rodata" | texesc >>"$tex"
mv "$md" "$rdir/walk.md"
mv "$tex" "$rdir/walk.tex"
