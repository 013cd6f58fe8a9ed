#!/bin/bash
# tests/t_matrix.sh - the kernel matrix's comparison from hand-made data.
#
# Builds two target directories (6.1-4level, 6.12-4level) with small
# samples CSVs (kernel vmalloc, kmalloc, alloc_pages, kvmalloc with its
# 16 MiB before its 8 MiB, a user block), failures.csv and vm.txt whose counts are known, analyzes each
# as `make report` does (reports/analyze.sh: findings.csv, refusals.csv),
# runs mk/matrix-table.sh on them and checks matrix.csv field by field,
# the "what differs" lines, the figure, that one target (or targets that
# share no paging mode) get no comparison, and the one-line error when
# there is no target.  Also checks that mk/kver.sh without a series
# keeps Debian 12's own kernel.
. "$(dirname "$0")/lib.sh"

m=$TMP/matrix
H=$("$BIN/analyze" --schema)     # the samples header (kmod/ptwalk_csv.h)
# rows ALLOCATOR SIZE PAGES PMDPAGES: a kernel group, awk-made (see below)
rows() {
	awk -v a="$1" -v size="$2" -v n="$3" -v pmd="$4" 'function x(v) { return sprintf("0x%016x", v) }
	BEGIN {
		for (p = 0; p < n; p++) {
			va = x(18446683600570023936 + size * 4 + p * 4096); w = v2p = pm = lv = fl = ""
			if (a == "vmalloc") {
				# 16 KiB: 4 pages 8 KiB apart (4 runs); 4 MiB: 8 runs of 128
				pa = size == 16384 ? 1048576 + p * 8192 : 268435456 + int(p / 128) * 2097152 + (p % 128) * 4096
				pm = x(pa + (size > 16384 && (p == 5 || p == 6) ? 4096 : 0))	# 2 walk mismatches
				v2p = x(pa + 68719476736); lv = p < pmd ? "pmd" : "pte"; fl = "present|vmalloc_area"
			} else if (a == "kvmalloc") {
				pa = 536870912 + p * 4096
				lv = "pmd"; fl = size > 4194304 ? "present|vmalloc_area" : "present|direct_map"
			} else {	# kmalloc, alloc_pages: one run in the direct map
				pa = (a == "kmalloc" ? 33554432 : 67108864) + size * 2 + p * 4096
				v2p = x(pa + (a == "kmalloc" && p == 7 ? 4096 : 0)); lv = "pmd"; fl = "present|direct_map"
			}
			printf "kernel,%s,%d,1,%d,%s,%s,%s,%s,%s,%s,%s,,,,,,\n", a, size, p, va, x(pa), pm, x(pa), v2p, lv, fl
		}
	}'
}
target() {	# NAME KERNEL PMDPAGES
	local d=$m/$1
	mkdir -p "$d/data"
	{ echo "$H"; rows vmalloc 16384 4 0; rows vmalloc 4194304 1024 "$3"; } >"$d/data/kernel-vmalloc.csv"
	{ echo "$H"; rows kmalloc 4096 1 0; rows kmalloc 2097152 512 0; } >"$d/data/kernel-kmalloc.csv"
	{ echo "$H"; rows alloc_pages 4096 1 0; rows alloc_pages 1048576 256 0; } >"$d/data/kernel-alloc_pages.csv"
	{ echo "$H"; rows kvmalloc 4096 1 0; rows kvmalloc 16777216 2 0; rows kvmalloc 8388608 2 0; } >"$d/data/kernel-kvmalloc.csv"
	printf '%s\nuser,block,4096,1,0,0x00007f0000000000,0x0000000000300000,0x0000000000300000,,,pte,present,,,,,,\n' "$H" \
		>"$d/data/user-block.csv"
	printf 'allocator,size_bytes,sample,errno,message\nkmalloc,4194304,1,ENOMEM,no\nalloc_pages,8388608,1,EINVAL,no\n' >"$d/data/failures.csv"
	printf 'KERNEL=%s\nPAGING=4\nLA57=no\nBOOT_S=9.5\nTOTAL_S=120.0\n' "$2" >"$d/data/vm.txt"
	(cd "$ROOT" && ANALYZE=$BIN/analyze reports/analyze.sh "$d") || fail "matrix: reports/analyze.sh $1 failed"
}
target 6.1-4level 6.1.0-99-amd64 0
target 6.12-4level 6.12.1+deb12-amd64 3

if ! (cd "$ROOT" && ANALYZE=$BIN/analyze MATRIX_TESTS=$TMP/none mk/matrix-table.sh "$m") >"$TMP/out" 2>"$TMP/err"; then
	fail "matrix table: exit status: $(head -c 200 "$TMP/err")"
	exit 0
fi
pass "matrix table: $(cat "$TMP/out")"
field() {	# TARGET COLUMN
	awk -F, -v t="$1" -v f="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $1 == t { print $c[f] }' "$m/matrix.csv"
}
check_eq "matrix rows" "$(tail -n +2 "$m/matrix.csv" | cut -d, -f1 | tr '\n' ' ')" "6.1-4level 6.12-4level "
check_eq "matrix kernel" "$(field 6.12-4level kernel)" 6.12.1+deb12-amd64
check_eq "matrix vmalloc pages compared" "$(field 6.1-4level vmalloc_v2p_checked)/$(field 6.1-4level vmalloc_walk_checked)" 1028/1028
check_eq "matrix vmalloc walk mismatch" "$(field 6.1-4level vmalloc_walk_mismatch) $(field 6.1-4level vmalloc_walk_pct)" "2 0.19"
check_eq "matrix vmalloc v2p share" "$(field 6.1-4level vmalloc_v2p_pct)" 100.00
check_eq "matrix direct map v2p" "$(field 6.1-4level kmalloc_v2p_mismatch)/$(field 6.1-4level kmalloc_v2p_checked) $(field 6.1-4level alloc_pages_v2p_mismatch)/$(field 6.1-4level alloc_pages_v2p_checked)" "1/513 0/257"
check_eq "matrix kmalloc largest run" "$(field 6.1-4level kmalloc_largest_run_all) pages, order $(field 6.1-4level kmalloc_largest_run_order)" "512 pages, order 9"
check_eq "matrix kmalloc largest order" "$(field 6.1-4level kmalloc_size_max_order)" 9
check_eq "matrix kmalloc refusal" "$(field 6.1-4level kmalloc_refused)" "ENOMEM at order 10"
check_eq "matrix alloc_pages largest order" "$(field 6.1-4level alloc_pages_size_max_order)" 8
check_eq "matrix vmalloc mean run" "$(field 6.1-4level vmalloc_all_mean_run)" 85.667
check_eq "matrix vmalloc pmd pages (6.1)" "$(field 6.1-4level vmalloc_area_pmd_pages)" 0
check_eq "matrix vmalloc pmd pages (6.12)" "$(field 6.12-4level vmalloc_area_pmd_pages)" 3
check_eq "matrix vmalloc pmd sizes (6.12)" "$(field 6.12-4level vmalloc_area_pmd_sizes):$(field 6.12-4level vmalloc_area_pmd_size_min)-$(field 6.12-4level vmalloc_area_pmd_size_max)" 1:4194304-4194304
check_eq "matrix kvmalloc in vmalloc area from" "$(field 6.1-4level kvmalloc_area_size_min)" 8388608
check_eq "matrix kvmalloc vmalloc-area pmd pages" "$(field 6.1-4level kvmalloc_area_pmd_pages)/$(field 6.1-4level kvmalloc_area_pages)" 4/4
check "matrix kvmalloc sizes with pmd leaves, 16 MiB measured before 8 MiB" \
	grep -q '^| kvmalloc: sizes with pmd leaves | 8 MiB to 16 MiB (2 sizes) | 8 MiB to 16 MiB (2 sizes) |$' "$m/matrix.md"
check_eq "matrix what differs" "$(grep -c '^- ' "$m/matrix.md")" 2
check "matrix differs names pmd leaves" grep -q '^- vmalloc pages under a pmd leaf, 4-level paging: 0 / 1028 on 6.1.0-99-amd64, 3 / 1028 on 6.12.1+deb12-amd64$' "$m/matrix.md"
check "matrix tex table" grep -q 'kmalloc largest order & 9 & 9' "$m/matrix.tex"
if command -v gnuplot >/dev/null; then
	check "matrix figure" test -s "$m/fig_matrix.png" -a -s "$m/fig_matrix.pdf"
else
	skip "matrix figure: no gnuplot"
fi
# Nothing comparative where no two targets share a paging mode: one
# target, then the same kernel at 4 and 5 levels.  Then a copy at 4
# levels, another kernel with the same metrics, which the section says.
one=$TMP/one
mkdir -p "$one"
cp -r "$m/6.1-4level" "$one/"
for what in "one target" "4 and 5 levels" "two alike at 4 levels"; do
	case $what in
	4*) cp -r "$one/6.1-4level" "$one/6.1-5level"
		sed -i 's/^PAGING=4$/PAGING=5/' "$one/6.1-5level/data/vm.txt" ;;
	two*) cp -r "$one/6.1-4level" "$one/6.2-4level"
		sed -i 's/^KERNEL=.*/KERNEL=6.2.0-99-amd64/' "$one/6.2-4level/data/vm.txt" ;;
	esac
	if ! (cd "$ROOT" && ANALYZE=$BIN/analyze MATRIX_TESTS=$TMP/none GNUPLOT=no-gnuplot \
		mk/matrix-table.sh "$one") >"$TMP/out" 2>"$TMP/err"; then
		fail "matrix of $what: exit status: $(head -c 200 "$TMP/err")"
		continue
	fi
	case $what in
	one*) want="6.1-4level |" said=0 ;;
	4*) want="6.1-4level | 6.1-5level |" said=0 ;;
	*) want="6.1-4level | 6.1-5level | 6.2-4level |" said=1 ;;
	esac
	check_eq "matrix of $what: its columns" "$(sed -n 's/^| metric | //p' "$one/matrix.md")" "$want"
	check_eq "matrix of $what: what differs between kernels (md, tex)" \
		"$(grep -ciE 'differ|same on|both' "$one/matrix.md" "$one/matrix.tex" | sed 's/.*[.]//' | tr '\n' ' ')" \
		"md:$((said * 2)) tex:$((said * 2)) "
done
check "matrix of two alike: every metric the same" \
	grep -qx 'At each paging mode every metric above is the same on every kernel run at it.' "$one/matrix.md"
mkdir -p "$TMP/empty"
check_err "matrix table with no targets" 1 '^mk/matrix-table.sh: no target with a findings.csv in .* \(make matrix\)$' \
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
