#!/bin/sh
# tests/guest/t_arm64.sh - what only arm64 has: its huge page sizes and maps.
#
# On Debian's arm64 kernel (4 KiB granule) hugetlb offers 64 KiB (16 ptes
# with the contiguous hint), 2 MiB (a level-2 block), 32 MiB (16 blocks
# with the hint) and 1 GiB (a level-1 block).  For 64K, 2M and 32M,
# memalloc --hold maps 32 MiB of it, and every page's pagemap PA must equal
# the module's `pid` walk, at the level and with the contiguous bit (52)
# that size means.  (A 1 GiB page needs a boot-time reservation and its
# 262144 rows fill a whole pid walk: tests/guest/huge1g.sh, in the MMU
# plan, checks it.)  The linear map is shown as
# Debian maps it: with rodata_full (CONFIG_RODATA_FULL_DEFAULT_ENABLED) the
# kernel maps it with pages only, no blocks and no contiguous hint, so that
# it can change single pages' permissions: every kmalloc page is checked
# for that.  The walks' rows go to $OUT/arm64-*.csv, and `pfn_ioctl
# --explain` of the first page of each (its arm64 descriptors decoded by
# collect/ptentry_arm64.c) to $OUT/arm64-explain-*.txt, whose PA must be
# pagemap's (the walk's for kmalloc); the host (tests/t_vm_arm64.sh)
# checks the decoded fields.  Elsewhere: one SKIP.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"

if [ "$(uname -m)" != aarch64 ]; then
	skip "arm64: this guest is $(uname -m); make test ARCH=arm64 runs it"
	exit 0
fi
kmod_load

# Every size the kernel offers, in kB.
sizes=$(ls /sys/kernel/mm/hugepages | sed -n 's/^hugepages-\([0-9]*\)kB$/\1/p' | sort -n | tr '\n' ' ')
check_eq "arm64 hugetlb sizes (kB)" "$sizes" "64 2048 32768 1048576 "

# explain_pa FILE: the final PA pfn_ioctl --explain printed.
explain_pa() { sed -n 's/^PA: .* = \(0x[0-9a-f]*\)$/\1/p' "$1"; }

# huge SIZE_NAME KB MAP WANT_LEVEL WANT_CONT: reserve, map, walk, compare.
huge() {
	_n=$1 _kb=$2 _map=$3 _lvl=$4 _cont=$5 _d=$TMP/h$1
	_f=/sys/kernel/mm/hugepages/hugepages-${_kb}kB/nr_hugepages
	_need=$(( (_map + _kb * 1024 - 1) / (_kb * 1024) ))
	_old=$(cat "$_f")
	echo $((_old + _need)) >"$_f" 2>/dev/null
	if [ "$(cat "$_f")" -lt $((_old + _need)) ]; then
		skip "arm64 hugetlb $_n: could not reserve $_need pages of $_n (got $(cat "$_f"))"
		echo "$_old" >"$_f"
		return
	fi
	mkdir -p "$_d"
	mkfifo "$_d/in"
	"$BIN/memalloc" -q -b hugetlb --huge-size "$_n" -m "$_map" -o "$_d/user.csv" --hold \
		<"$_d/in" >"$_d/out" 2>"$_d/err" &
	_pid=$!
	exec 3>"$_d/in"
	if ! wait_ready "$_d/out" "$_pid"; then
		fail "arm64 hugetlb $_n: memalloc never got ready: $(head -c 200 "$_d/err")"
		exec 3>&-
		wait "$_pid"
		echo "$_old" >"$_f"
		return
	fi
	_got=$(kmod_cmd "pid $_pid")
	kmod_read "$_d/kmod.csv"
	_row=$(awk -F, 'NR > 1 && $7 != "" { print; exit }' "$_d/user.csv")
	"$BIN/pfn_ioctl" --explain "$_pid" "$(echo "$_row" | cut -d, -f6)" >"$OUT/arm64-explain-$_n.txt" 2>"$_d/ex.err"
	check_eq "arm64 hugetlb $_n: explain exit 0, PA equals pagemap's" \
		"$?:$(explain_pa "$OUT/arm64-explain-$_n.txt")" "0:$(echo "$_row" | cut -d, -f7)"
	exec 3>&-
	wait "$_pid"
	echo "$_old" >"$_f"
	check_eq "arm64 hugetlb $_n: pid walk command" "$_got" ok
	# The walk's rows of memalloc's pages, for the host to decode.
	awk -F, 'NR == FNR { if (FNR > 1 && $7 != "") want[$6] = 1; next }
		FNR == 1 || ($2 == "pidwalk" && ($6 in want))' \
		"$_d/user.csv" "$_d/kmod.csv" >"$OUT/arm64-hugetlb-$_n.csv"
	awk -F, -v lvl="$_lvl" -v cont="$_cont" '
	# bit 52, the contiguous hint: bit 0 of the 14th hex digit from the right
	function contbit(h) { return (index("0123456789abcdef", substr(h, 5, 1)) - 1) % 2 }
	NR == FNR { if ($2 == "pidwalk") { pa[$6] = $7; lv[$6] = $11; e[$6] = (lvl == "pte" ? $18 : lvl == "pmd" ? $17 : $16) } next }
	FNR > 1 && $7 != "" {
		n++
		if (pa[$6] != $7) bad++
		if (lv[$6] != lvl) blvl++
		if (contbit(e[$6]) != cont) bcont++
		if (index($12, "hugetlb") == 0) bflag++
	}
	END { printf "pages=%d pa_mismatch=%d level_mismatch=%d cont_mismatch=%d not_hugetlb=%d\n", n, bad, blvl, bcont, bflag }' \
		"$_d/kmod.csv" "$_d/user.csv" >"$_d/sum"
	_s=$(cat "$_d/sum")
	echo "hugetlb $_n: $_s"
	check_eq "arm64 hugetlb $_n: pagemap = pid walk, $_lvl leaves, contiguous bit $_cont" \
		"$_s" "pages=$((_map / 4096)) pa_mismatch=0 level_mismatch=0 cont_mismatch=0 not_hugetlb=0"
}
huge 64K 64 $((32 << 20)) pte 1
huge 2M 2048 $((32 << 20)) pmd 0
huge 32M 32768 $((32 << 20)) pmd 1

# The linear map: kmalloc 4 MiB, every page a pte leaf without the hint.
check_eq "arm64 kmalloc 4M" "$(kmod_cmd "kmalloc 4194304")" ok
kmod_read "$OUT/arm64-kmalloc.csv"
_row=$(sed -n 2p "$OUT/arm64-kmalloc.csv")
"$BIN/pfn_ioctl" --explain 0 "$(echo "$_row" | cut -d, -f6)" >"$OUT/arm64-explain-kmalloc.txt" 2>"$TMP/kex.err"
check_eq "arm64 kmalloc: explain exit 0, PA equals the walk's" \
	"$?:$(explain_pa "$OUT/arm64-explain-kmalloc.txt")" "0:$(echo "$_row" | cut -d, -f9)"
_s=$(awk -F, 'FNR > 1 { n++; lv[$11]++; if ((index("0123456789abcdef", substr($18, 5, 1)) - 1) % 2) c++ }
	END { printf "pages=%d pte=%d pmd=%d pud=%d cont=%d\n", n, lv["pte"], lv["pmd"], lv["pud"], c }' "$OUT/arm64-kmalloc.csv")
echo "linear map (kmalloc 4M): $_s"
check_eq "arm64 linear map: pages only, no contiguous hint (rodata_full)" "$_s" "pages=1024 pte=1024 pmd=0 pud=0 cont=0"
