#!/bin/bash
# tests/t_matrix.sh - the kernel matrix's comparison from hand-made analyses.
#
# Builds two target directories (6.1-4level, 6.12-4level) with a small
# summary.csv, failures.csv, kernel-vmalloc.csv, kernel-kvmalloc.csv and
# vm.txt whose sums are known, runs mk/matrix-table.sh on them and checks
# matrix.csv field by field, the "what differs" lines, the figure, and the
# one-line error when there is nothing to compare.  Also checks that
# mk/kver.sh without a series keeps Debian 12's own kernel.
. "$(dirname "$0")/lib.sh"

m=$TMP/matrix
H=$("$BIN/analyze" --schema)     # the samples header (kmod/ptwalk_csv.h)
target() {	# NAME KERNEL PMDLEVEL
	local d=$m/$1
	mkdir -p "$d/data"
	cat >"$d/summary.csv" <<-S
	source,allocator,size_bytes,sample,pages,present,runs,largest_run,mean_run,contiguity,v2p_mismatch,walk_mismatch,span_pages,frames_2m
	kernel,alloc_pages,4096,1,1,1,1,1,1.000,1.000000,0,0,0,1
	kernel,alloc_pages,1048576,1,256,256,1,256,256.000,1.000000,0,0,0,1
	kernel,kmalloc,4096,1,1,1,1,1,1.000,1.000000,0,0,0,1
	kernel,kmalloc,2097152,1,512,512,1,512,512.000,1.000000,1,0,0,1
	kernel,vmalloc,16384,1,4,4,4,1,1.000,0.000000,4,0,0,1
	kernel,vmalloc,4194304,1,1024,1024,8,512,128.000,0.990000,1024,2,0,2
	user,block,4096,1,1,1,1,1,1.000,1.000000,0,0,0,1
	S
	printf 'allocator,size_bytes,sample,errno,message\nkmalloc,4194304,1,ENOMEM,no\nalloc_pages,8388608,1,EINVAL,no\n' >"$d/data/failures.csv"
	{
		echo "$H"
		for i in 1 2 3; do echo "kernel,vmalloc,4194304,1,$i,0x0,,,,,$3,present|vmalloc_area,,,,,,"; done
		echo "kernel,vmalloc,16384,1,0,0x0,,,,,pte,present|vmalloc_area,,,,,,"
	} >"$d/data/kernel-vmalloc.csv"
	{
		echo "$H"
		echo "kernel,kvmalloc,4096,1,0,0x0,,,,,pmd,present|direct_map,,,,,,"
		echo "kernel,kvmalloc,8388608,1,0,0x0,,,,,pmd,present|vmalloc_area,,,,,,"
		echo "kernel,kvmalloc,8388608,1,1,0x0,,,,,pmd,present|vmalloc_area,,,,,,"
	} >"$d/data/kernel-kvmalloc.csv"
	printf 'KERNEL=%s\nPAGING=4\nLA57=no\nBOOT_S=9.5\nTOTAL_S=120.0\n' "$2" >"$d/data/vm.txt"
}
target 6.1-4level 6.1.0-99-amd64 pte
target 6.12-4level 6.12.1+deb12-amd64 pmd

if ! (cd "$ROOT" && MATRIX_TESTS=$TMP/none mk/matrix-table.sh "$m") >"$TMP/out" 2>"$TMP/err"; then
	fail "matrix table: exit status: $(head -c 200 "$TMP/err")"
	exit 0
fi
pass "matrix table: $(cat "$TMP/out")"
field() {	# TARGET COLUMN
	awk -F, -v t="$1" -v f="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $1 == t { print $c[f] }' "$m/matrix.csv"
}
check_eq "matrix rows" "$(tail -n +2 "$m/matrix.csv" | cut -d, -f1 | tr '\n' ' ')" "6.1-4level 6.12-4level "
check_eq "matrix kernel" "$(field 6.12-4level kernel)" 6.12.1+deb12-amd64
check_eq "matrix vmalloc pages compared" "$(field 6.1-4level vmalloc_pages)" 1028
check_eq "matrix vmalloc walk mismatch" "$(field 6.1-4level vmalloc_walk_mismatch)" 2
check_eq "matrix vmalloc v2p rate" "$(field 6.1-4level vmalloc_v2p_rate)" 1.000000
check_eq "matrix direct map v2p" "$(field 6.1-4level directmap_v2p_mismatch)/$(field 6.1-4level directmap_pages)" 1/770
check_eq "matrix kmalloc largest run" "$(field 6.1-4level kmalloc_largest_run_bytes)" 2097152
check_eq "matrix kmalloc largest order" "$(field 6.1-4level kmalloc_max_order)" 9
check_eq "matrix kmalloc refusal" "$(field 6.1-4level kmalloc_refused)" "ENOMEM at order 10"
check_eq "matrix alloc_pages largest order" "$(field 6.1-4level alloc_pages_max_order)" 8
check_eq "matrix vmalloc mean run" "$(field 6.1-4level vmalloc_mean_run)" 85.667
check_eq "matrix vmalloc pmd pages (6.1)" "$(field 6.1-4level vmalloc_pmd_pages)" 0
check_eq "matrix vmalloc pmd pages (6.12)" "$(field 6.12-4level vmalloc_pmd_pages)" 3
check_eq "matrix vmalloc pmd sizes (6.12)" "$(field 6.12-4level vmalloc_pmd_sizes)" 4194304
check_eq "matrix kvmalloc in vmalloc area from" "$(field 6.1-4level kvmalloc_vmap_from)" 8388608
check_eq "matrix kvmalloc vmalloc-area pmd pages" "$(field 6.1-4level kvmalloc_vmap_pmd_pages)/$(field 6.1-4level kvmalloc_vmap_pages)" 2/2
check_eq "matrix what differs" "$(grep -c '^- ' "$m/matrix.md")" 2
check "matrix differs names pmd leaves" grep -q '^- vmalloc pages under a pmd leaf, 4-level paging: 0 on 6.1.0-99-amd64, 3 on 6.12.1+deb12-amd64$' "$m/matrix.md"
check "matrix tex table" grep -q 'kmalloc largest order & 9 & 9' "$m/matrix.tex"
if command -v gnuplot >/dev/null; then
	check "matrix figure" test -s "$m/fig_matrix.png" -a -s "$m/fig_matrix.pdf"
else
	skip "matrix figure: no gnuplot"
fi
mkdir -p "$TMP/empty"
check_err "matrix table with no targets" 1 '^mk/matrix-table.sh: no target with a summary.csv in .* \(make matrix\)$' \
	sh -c 'cd "$1" && mk/matrix-table.sh "$2"' sh "$ROOT" "$TMP/empty"

# Debian 12's own kernel stays the default when a 6.12 is installed beside it.
if dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null) && [ -n "$dep" ]; then
	rel=$(echo "$dep" | sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
	if [ -e "/boot/vmlinuz-$rel" ]; then
		check_eq "kver default is linux-image-amd64's release" "$("$ROOT/mk/kver.sh")" "$rel"
	else
		skip "kver default: $rel, which linux-image-amd64 depends on, is not in /boot"
	fi
else
	skip "kver default: linux-image-amd64 is not installed"
fi
