#!/bin/sh
# reports/walk_section.sh - the arm64 report's "A worked walk" section.
#
#   reports/walk_section.sh RDIR
#
# For an arm64 run (RDIR/meta.txt says MACHINE=aarch64; reports/gen.sh
# calls it only then), decodes with reports/desc_arm64.awk the descriptors
# of the first page of the run's kmalloc (linear map) and vmalloc
# allocations, level by level under their Arm ARM names, and says what the
# run's kernel rows show about the linear map: how many pages were pte,
# pmd and pud leaves and how many had the contiguous hint, and whether the
# two processes of the two-context walk used one pgd slot (TTBR1's table).
# Writes RDIR/walk.md and RDIR/walk.tex, which gen.awk copies in.  Every
# value comes from RDIR's files; what they lack is written as "not
# measured".
set -eu
rdir=${1:?usage: reports/walk_section.sh RDIR}
here=$(dirname "$0")
meta() { sed -n "s/^$1=//p" "$rdir/meta.txt" | head -n 1; }
texesc() { sed 's/\\/\\textbackslash{}/g; s/[_&%#$]/\\&/g'; }

md=$rdir/walk.md.tmp tex=$rdir/walk.tex.tmp
{
	echo "## A worked walk (arm64)"
	echo
	echo "$(meta KERNEL_RELEASE): $(meta PAGING_LEVELS) levels, $(meta VA_BITS)-bit virtual addresses, $(meta PAGE_SIZE)-byte pages. Levels 0 to 3 are the kernel's pgd, pud, pmd and pte (the p4d is folded into the pgd). Kernel addresses are translated through TTBR1_EL1's table, one for every process; user addresses through each process's own pgd (TTBR0_EL1). Each descriptor below is the raw 64-bit value the module read, decoded as the Arm ARM names its fields (VMSAv8-64, 4 KiB granule)."
	echo
} >"$md"
{
	printf '%s\n' '\section{A worked walk (arm64)}'
	sed -n 3p "$md" | texesc
	echo
} >"$tex"

for a in kmalloc vmalloc; do
	csv=$rdir/data/kernel-$a.csv
	if [ ! -s "$csv" ] || [ "$(sed -n 2p "$csv" | cut -d, -f14)" = "" ]; then
		echo "$a: not measured (no rows with entries in data/kernel-$a.csv)." >>"$md"
		echo >>"$md"
		echo "$a: not measured." >>"$tex"
		continue
	fi
	awk -f "$here/desc_arm64.awk" "$csv" >"$rdir/walk.$a.txt"
	title=$(head -n 1 "$rdir/walk.$a.txt")
	{
		echo "**$a**, $title:"
		echo
		echo "| level | descriptor | decoded |"
		echo "|---|---|---|"
		tail -n +2 "$rdir/walk.$a.txt" | awk '{ d = $4; for (i = 5; i <= NF; i++) d = d " " $i; print "| " $1 " " $2 " | `" $3 "` | " d " |" }'
		echo
	} >>"$md"
	{
		printf '%s %s\n' '\paragraph{'"$a"'}' "$(echo "$title" | texesc)"
		echo
		printf '%s\n' '\begin{longtable}{@{}llp{0.55\textwidth}@{}}'
		printf '%s\n' '\toprule level & descriptor & decoded \\ \midrule'
		tail -n +2 "$rdir/walk.$a.txt" | texesc |
			awk '{ d = $4; for (i = 5; i <= NF; i++) d = d " " $i; print $1 " " $2 " & \\texttt{" $3 "} & \\footnotesize " d " \\\\" }'
		printf '%s\n' '\bottomrule'
		printf '%s\n' '\end{longtable}'
	} >>"$tex"
	rm -f "$rdir/walk.$a.txt"
done

# The linear map as this run's kmalloc and alloc_pages rows show it.
lm=$(cat "$rdir"/data/kernel-kmalloc.csv "$rdir"/data/kernel-alloc_pages.csv 2>/dev/null | awk -F, '
	$1 == "kernel" && $18 != "" {
		n++; lv[$11]++
		if ((index("0123456789abcdef", substr($18, 5, 1)) - 1) % 2) c++
	}
	END { if (n) printf "%d pages: %d pte, %d pmd, %d pud leaves; %d with the contiguous hint", n, lv["pte"], lv["pmd"], lv["pud"], c }')
slots=$(awk -F, 'NR > 1 && $13 != "" {
		if (!(($2, $13) in s)) { s[$2, $13] = 1; k[$2]++ }
		if (!(($2, $4) in p)) { p[$2, $4] = 1; np[$2]++ }
	}
	END { for (a in k) { printf "%s%s from %d processes, %d pgd slot%s", sep, a, np[a], k[a], k[a] == 1 ? "" : "s"; sep = "; " } }' \
	"$rdir/data/twoctx.csv" 2>/dev/null)
text="The linear map (kmalloc and alloc_pages rows of this run): ${lm:-not measured}. Debian's arm64 kernel is built with CONFIG_RODATA_FULL_DEFAULT_ENABLED=y, so can_set_direct_map() is true and the linear map is mapped with NO_BLOCK_MAPPINGS and NO_CONT_MAPPINGS: 4 KiB pages only, so that single pages can change permissions (only the linear alias of the kernel image itself is mapped with 2 MiB blocks); x86-64 maps the same memory with 2 MiB and 1 GiB leaves. Two-context walks of one kernel address: ${slots:-not measured} (on arm64 every process reaches the kernel half through TTBR1's one table; on x86-64 each process's pgd has its own slot)."
echo "$text" >>"$md"
echo "$text" | texesc >>"$tex"
mv "$md" "$rdir/walk.md"
mv "$tex" "$rdir/walk.tex"
