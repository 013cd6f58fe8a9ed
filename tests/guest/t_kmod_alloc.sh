#!/bin/sh
# tests/guest/t_kmod_alloc.sh - kernel allocations translated three ways.
#
# For kmalloc, vmalloc, kvmalloc and alloc_pages the module's rows must
# show: one row per page; pa = pa_walk; kmalloc and alloc_pages memory is
# in the direct map, physically contiguous, and virt_to_phys() agrees
# with the walk on every row; vmalloc memory is in the vmalloc area, the
# walk agrees with vmalloc_to_page() on every row and virt_to_phys() is
# wrong on every row; the kernel log has the seed's lines for the first 8
# pages.  Then the lab report's two-context experiment: two processes walk
# the same kmalloc'd (and vmalloc'd) VA: different pgd slots, the same pud
# entry and PA.  Then every bad command: its errno and one log line.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"
kmod_load

# rows FILE: data rows; col FILE N: column N of the data rows.
rows() { tail -n +2 "$1" | wc -l; }

# alloc_check NAME CMD PAGES KIND: KIND is direct or vmalloc.
alloc_check() {
	_name=$1 _csv=$TMP/$1.csv
	_got=$(kmod_cmd "$2")
	if [ "$_got" != ok ]; then
		fail "$_name: '$2' gave $_got"
		return
	fi
	kmod_read "$_csv"
	check_eq "$_name header" "$(head -n 1 "$_csv")" \
		"$("$BIN/analyze" --schema)"
	check_eq "$_name rows" "$(rows "$_csv")" "$3"
	# Per row: pa == pa_walk, page index in order, va steps of 4 KiB.
	awk -F, -v kind="$4" -v alloc="${2%% *}" '
	NR == 1 { next }
	{
		n++
		if ($1 != "kernel" || $2 != alloc || $5 != n - 1) bad_id++
		if ($7 == "" || $7 != $9) bad_pa++
		if (index($12, "present") == 0) bad_flag++
		if (kind == "direct") {
			if ($10 != $9) v2p_diff++
			if (index($12, "direct_map") == 0) bad_flag++
			if ($8 != "") bad_pm++
		} else {
			if ($8 != $9) pm_diff++
			if ($10 == $9) v2p_same++
			if (index($12, "vmalloc_area") == 0) bad_flag++
		}
		if ($13 == "" || $16 == "" || $10 == "") bad_ent++
	}
	END {
		printf "rows=%d bad_id=%d bad_pa=%d bad_flag=%d bad_ent=%d v2p_diff=%d v2p_same=%d pm_diff=%d bad_pm=%d\n",
			n, bad_id, bad_pa, bad_flag, bad_ent, v2p_diff, v2p_same, pm_diff, bad_pm
	}' "$_csv" >"$TMP/$_name.sum"
	cat "$TMP/$_name.sum"
	_s=$(cat "$TMP/$_name.sum")
	_want="rows=$3 bad_id=0 bad_pa=0 bad_flag=0 bad_ent=0 v2p_diff=0 v2p_same=0 pm_diff=0 bad_pm=0"
	check_eq "$_name three-way ($3 pages, $4)" "$_s" "$_want"
}

# contiguous FILE: pages whose pa is not the previous pa + 4096.
breaks() {
	tail -n +2 "$1" | cut -d, -f7 | sed 's/^0x//' | while read -r h; do
		printf '%d\n' "0x$h"
	done | awk 'NR > 1 && $1 != prev + 4096 { b++ } { prev = $1 } END { print b + 0 }'
}

# The seed's log lines: the first 8 pages, with the method the seed used.
seed_lines() {	# WORD FILE COL
	dmesg | grep "\] ptwalk: $1: VA=" | tail -n 8 | sed 's/.*VA=\(0x[0-9a-f]*\) -> PA=\(0x[0-9a-f]*\).*/\1,\2/' >"$TMP/log"
	tail -n +2 "$2" | head -n 8 | cut -d, -f6,"$3" >"$TMP/want"
	if [ "$(wc -l <"$TMP/log")" = 8 ] && cmp -s "$TMP/log" "$TMP/want"; then
		pass "$1 log: the seed's 8 lines match rows 0-7"
	else
		fail "$1 log: $(head -n 2 "$TMP/log" | tr '\n' ' ') vs $(head -n 2 "$TMP/want" | tr '\n' ' ')"
	fi
}

alloc_check kmalloc kmalloc 256 direct
check_eq "kmalloc physically contiguous" "$(breaks "$TMP/kmalloc.csv")" 0
seed_lines Kmalloc "$TMP/kmalloc.csv" 10
cp "$TMP/kmalloc.csv" "$TMP/kmalloc1.csv"

# vmalloc: pa_v2p must differ from the walk on every row (the report's point).
alloc_check vmalloc vmalloc 256 vmalloc
seed_lines Vmalloc "$TMP/vmalloc.csv" 8
echo "vmalloc physical breaks: $(breaks "$TMP/vmalloc.csv") of 255"
alloc_check vmalloc64m "vmalloc 64M" 16384 vmalloc

alloc_check kmalloc4m "kmalloc 4M" 1024 direct
alloc_check kmalloc_small "kmalloc 100" 1 direct
alloc_check alloc_pages0 "alloc_pages 0" 1 direct
alloc_check alloc_pages4 "alloc_pages 4" 16 direct
check_eq "alloc_pages 4 physically contiguous" "$(breaks "$TMP/alloc_pages4.csv")" 0
alloc_check alloc_pages_max "alloc_pages 10" 1024 direct
alloc_check kvmalloc_big "kvmalloc 64M" 16384 vmalloc
# kvmalloc of a little memory comes from kmalloc unless that fails.
kmod_cmd "kvmalloc 64K" >/dev/null
kmod_read "$TMP/kv.csv"
if grep -q vmalloc_area "$TMP/kv.csv"; then
	alloc_check kvmalloc_small "kvmalloc 64K" 16 vmalloc
else
	alloc_check kvmalloc_small "kvmalloc 64K" 16 direct
fi
check_eq "kmalloc sizes: 1M" "$(tail -n 1 "$TMP/kmalloc.csv" | cut -d, -f3)" 1048576

# The two-context walk on a live kmalloc and then a vmalloc allocation.
two_context() {	# NAME CMD
	kmod_cmd "$2" >/dev/null
	kmod_read "$TMP/tc.csv"
	_va=$(sed -n 2p "$TMP/tc.csv" | cut -d, -f6)
	_pa=$(sed -n 2p "$TMP/tc.csv" | cut -d, -f7)
	# Two processes alive at once (a process that exited could hand its
	# pgd page to the next one): A writes, reads, and waits for B.
	rm -f "$TMP/hold" "$TMP/w1.csv"
	mkfifo "$TMP/hold"
	sh -c "echo 'walk $_va' >/proc/pagetable && cat /proc/pagetable >'$TMP/w1.tmp' &&
		mv '$TMP/w1.tmp' '$TMP/w1.csv'; read x <'$TMP/hold'" &
	_apid=$!
	_i=0
	while [ ! -f "$TMP/w1.csv" ] && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
	kmod_cmd "walk $_va" >/dev/null
	kmod_read "$TMP/w2.csv"
	echo >"$TMP/hold"
	wait $_apid
	_r1=$(sed -n 2p "$TMP/w1.csv") _r2=$(sed -n 2p "$TMP/w2.csv")
	echo "$1 A: $_r1"
	echo "$1 B: $_r2"
	_s1=$(echo "$_r1" | cut -d, -f4) _s2=$(echo "$_r2" | cut -d, -f4)
	_g1=$(echo "$_r1" | cut -d, -f13) _g2=$(echo "$_r2" | cut -d, -f13)
	if [ "$(uname -m)" = aarch64 ]; then
		# arm64 translates kernel addresses through TTBR1_EL1's table,
		# one for every process: no process's pgd holds them.
		if [ "$_s1" != "$_s2" ] && [ "$_g1" = "$_g2" ]; then
			pass "$1 two contexts: writers $_s1 and $_s2, one pgd slot $_g1 (TTBR1's table)"
		else
			fail "$1 two contexts: writers $_s1/$_s2, pgd slots $_g1/$_g2 should be TTBR1's one slot"
		fi
	elif [ "$_s1" != "$_s2" ] && [ "$_g1" != "$_g2" ]; then
		pass "$1 two contexts: writers $_s1 and $_s2, pgd slots $_g1 and $_g2 differ"
	else
		fail "$1 two contexts: writers $_s1/$_s2, pgd slots $_g1/$_g2 should differ"
	fi
	check_eq "$1 two contexts: same pud entry" "$(echo "$_r1" | cut -d, -f16)" "$(echo "$_r2" | cut -d, -f16)"
	check_eq "$1 two contexts: PA A = allocation's PA" "$(echo "$_r1" | cut -d, -f7)" "$_pa"
	check_eq "$1 two contexts: PA B = allocation's PA" "$(echo "$_r2" | cut -d, -f7)" "$_pa"
	check_eq "$1 two contexts: row names the allocation" "$(echo "$_r1" | cut -d, -f2,5)" "${2%% *},0"
}
two_context kmalloc kmalloc
two_context vmalloc vmalloc

# A walk of an address nothing maps: not present, no pa.
kmod_cmd "kmalloc 4K" >/dev/null
check_eq "walk user 0x1000" "$(kmod_cmd 'walk 0x1000')" ok
kmod_read "$TMP/w.csv"
check_eq "walk user 0x1000 not present" "$(sed -n 2p "$TMP/w.csv" | cut -d, -f7,11,12)" ",,"

# Bad input: the errno, one log line, and the last result unchanged.
kmod_cmd kmalloc >/dev/null
kmod_read "$TMP/before.csv"
kmod_bad "bad unknown command" "frobnicate" EINVAL
kmod_bad "bad empty command" "
" EINVAL
kmod_bad "bad kmalloc 0" "kmalloc 0" EINVAL
kmod_bad "bad vmalloc 0" "vmalloc 0" EINVAL
kmod_bad "bad kvmalloc 0" "kvmalloc 0" EINVAL
kmod_bad "bad kmalloc 8M (above KMALLOC_MAX_SIZE)" "kmalloc 8M" ENOMEM
kmod_bad "bad kmalloc 1T" "kmalloc 1T" ENOMEM
kmod_bad "bad vmalloc 2G (more than the 2 GiB guest has; no row cap any more)" "vmalloc 2G" ENOMEM
kmod_bad "bad size overflow" "kmalloc 99999999999999999999" EINVAL
kmod_bad "bad size suffix" "kmalloc 12Q" EINVAL
kmod_bad "bad size 16E" "vmalloc 16384P" EINVAL
kmod_bad "bad alloc_pages order 11" "alloc_pages 11" EINVAL
kmod_bad "bad alloc_pages order 4096" "alloc_pages 4096" EINVAL
kmod_bad "bad alloc_pages no order" "alloc_pages" EINVAL
kmod_bad "bad pid missing" "pid 4000000" ESRCH
kmod_bad "bad pid 0" "pid 0" EINVAL
kmod_bad "bad pid -1" "pid -1" EINVAL
kmod_bad "bad pid text" "pid init" EINVAL
kmod_bad "bad pid kthreadd" "pid 2" ESRCH
kmod_bad "bad walk non-canonical" "walk 0x8000000000000000" EINVAL
kmod_bad "bad walk text" "walk here" EINVAL
kmod_bad "bad walk no VA" "walk" EINVAL
kmod_bad "bad extra argument" "kmalloc 1M 2M" EINVAL
kmod_bad "bad long command" "kmalloc $(printf '%0200d' 1)" EINVAL
kmod_read "$TMP/after.csv"
check "bad input leaves the last result" cmp -s "$TMP/before.csv" "$TMP/after.csv"
