#!/bin/bash
# tests/t_vm_exp.sh - the report plan's experiment runs without the
# artifacts of issue 15, checked on a small run in the guest (4 GiB, sizes
# 4K:4M, 2 samples, no fragmentation phase): the seed and the orders it
# drew are in meta.txt; khugepaged was paused and thp_collapse_alloc did
# not move; the hugetlb pool is stated; every mode's sweep has buddyinfo
# snapshots before and after; no malloc4k or block row carries thp; the
# 4K mode records every page (va_stride 4096); the held samples of the
# user modes share no frame (reuse.csv); kmalloc's and alloc_pages'
# refusals are attributed to ptwalk's own limits; the direct map uses
# 1 GiB leaves and ZONE_NORMAL exists.
. "$(dirname "$0")/lib.sh"
need_vm "exp plan"
D=$TMP/data
mkdir -p "$D"
if ! VM_MEM=4G PLAN_ENV="SIZES=4K:4M SAMPLES=2 FRAG=0 KMAX=4M" \
	"$ROOT/vm/run.sh" report "$D" >"$TMP/run.log" 2>&1; then
	fail "exp plan: vm/run.sh report failed: $(tail -n 5 "$TMP/run.log" | tr '\n' ' ')"
	exit 0
fi
pass "exp plan ran ($(sed -n 's/^total: *//p' "$TMP/run.log" | head -n 1))"
m() { sed -n "s/^$1=//p" "$D/meta.txt" | head -n 1; }
words() { tr ' ' '\n' | grep . | sort | tr '\n' ' '; }

seed=$(m SEED)
check "exp meta SEED is a number ($seed)" grep -qE '^[0-9]+$' <<<"$seed"
check_eq "exp meta MODE_ORDER is a permutation of the modes" "$(m MODE_ORDER | words)" "1G 4K hugetlb thp "
sizes=$(for i in $(seq 0 10); do echo $((4096 << i)); done | sort | tr '\n' ' ')
for n in malloc4k block thp hugetlb; do
	check_eq "exp meta SIZE_ORDER_$n is a permutation of the sizes" "$(m SIZE_ORDER_$n | words)" "$sizes"
	for w in before after; do
		check "exp snapshot buddyinfo.sweep-$n-$w.txt" test -s "$D/buddyinfo.sweep-$n-$w.txt"
	done
done
check_eq "exp khugepaged paused" "$(m KHUGEPAGED_PAUSED)" 1
b=$(m THP_COLLAPSE_ALLOC_BEFORE) a=$(m THP_COLLAPSE_ALLOC_AFTER)
check "exp thp_collapse_alloc unchanged by the sweeps ($b -> $a)" test -n "$b" -a "$b" = "$a"
check_eq "exp hugetlb pool: SAMPLES x 4M / 2M pages" "$(m HUGETLB_POOL_PAGES)" 4
check "exp direct map has 1 GiB leaves ($(m DIRECTMAP_1G_KB) kB)" test "$(m DIRECTMAP_1G_KB)" -gt 0
check "exp ZONE_NORMAL exists ($(m ZONES))" grep -qw Normal <<<"$(m ZONES)"

check_eq "exp no malloc4k or block row carries thp" \
	"$(cat "$D"/user-malloc4k.csv "$D"/user-block.csv | awk -F, '$12 ~ /thp/' | wc -l)" 0
if "$BIN/analyze" -q -o "$TMP/an" "$D"/user-*.csv "$D"/kernel-*.csv; then
	check_eq "exp user modes: va_stride 4096 in every group of 2 pages or more" \
		"$(awk -F, 'NR > 1 && $1 == "user" && $5 > 1 && $20 != 4096' "$TMP/an/summary.csv" | wc -l)" 0
	check_eq "exp user modes: every page present" \
		"$(awk -F, 'NR > 1 && $1 == "user" && $5 != $6' "$TMP/an/summary.csv" | wc -l)" 0
	check_eq "exp user held samples share no frame (reuse.csv rows with shared frames)" \
		"$(awk -F, 'NR > 1 && $1 == "user" && $7 != 0' "$TMP/an/reuse.csv" | wc -l)" 0
	check_eq "exp reuse.csv has a row per user size after the first sample" \
		"$(awk -F, 'NR > 1 && $1 == "user"' "$TMP/an/reuse.csv" | wc -l)" 44
else
	fail "exp analyze of the plan's data failed"
fi
F=$D/failures.csv
check_eq "exp failures.csv header" "$(head -n 1 "$F")" "allocator,size_bytes,sample,errno,message,refused_by,limit_name,limit_value"
check "exp kmalloc 8 MiB refused by ptwalk's KMALLOC_MAX_SIZE" \
	grep -qE '^kmalloc,8388608,1,ENOMEM,.*,ptwalk,KMALLOC_MAX_SIZE,4194304$' "$F"
check "exp alloc_pages order 11 refused by ptwalk's largest order" \
	grep -qE '^alloc_pages,8388608,1,EINVAL,.*,ptwalk,MAX_ORDER-1,10$' "$F"
check_eq "exp no refusal of unknown origin" "$(awk -F, 'NR > 1 && $6 == "unknown"' "$F" | wc -l)" 0
