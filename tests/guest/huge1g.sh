#!/bin/sh
# tests/guest/huge1g.sh - 1 GiB hugetlb pages: pagemap and the pid walk agree.
#
# Run by the MMU-referee plan (tests/plans/mmu.sh), whose guest boots with
# `hugepagesz=1G hugepages=1`; not named t_*.sh, so the ordinary test plan,
# whose guest has no 1 GiB pages, does not run it.  memalloc -b hugetlb
# --huge-size 1G holds one 1 GiB page; its pagemap rows must be one aligned
# run of 262144 frames with level pud, and the module's walk (IOCTL_XLATE,
# and the streamed `pid PID` walk) must give every one of those
# VAs the same PA with level pud (a walk that took the pud leaf for a pmd,
# or got its offset wrong, differs here).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"
kmod_load

GIB=1073741824
hp=/sys/kernel/mm/hugepages/hugepages-1048576kB
nr=$(cat "$hp/nr_hugepages" 2>/dev/null || echo 0)
if [ "$nr" -lt 1 ]; then
	skip "huge1g: no 1 GiB huge pages reserved (boot with hugepagesz=1G hugepages=1)"
	exit 0
fi

d=$TMP/h
mkdir -p "$d"
mkfifo "$d/in"
"$BIN/memalloc" -q -b hugetlb --huge-size 1G -m 1G -o "$d/user.csv" --hold <"$d/in" >"$d/out" 2>"$d/err" &
pid=$!
exec 3>"$d/in"
if ! wait_ready "$d/out" "$pid"; then
	fail "huge1g memalloc: -b hugetlb --huge-size 1G -m 1G never got ready: $(head -c 200 "$d/err")"
	exit 1
fi
# va,pa,level of the user rows, in VA order; the first one fixes the range.
tail -n +2 "$d/user.csv" | cut -d, -f6,7,11 >"$d/user.vpl"
cut -d, -f1 "$d/user.vpl" >"$d/vas"
"$BIN/pfn_ioctl" -a -x "$pid" - <"$d/vas" >"$d/xlate.txt" 2>"$d/xlate.err"
xst=$?
got=$(kmod_cmd "pid $pid")
kmod_read "$d/kmod.csv"
echo >&3
exec 3>&-
wait "$pid"
check_eq "huge1g pfn_ioctl -x exit" "$xst" 0

first=$(head -n 1 "$d/user.vpl")
va0=${first%%,*}
pa0=$(echo "$first" | cut -d, -f2)
n=$(wc -l <"$d/user.vpl")
check_eq "huge1g pagemap rows" "$n" 262144
if [ -z "$pa0" ]; then
	fail "huge1g pagemap: the first page has no PA ($first)"
	exit 1
fi
check_eq "huge1g page is 1 GiB-aligned (va $va0 pa $pa0)" \
	"$((va0 % GIB)) $((pa0 % GIB))" "0 0"
# One run of frames (the last page's PA is the first's + 1 GiB - 4 KiB),
# every row level pud; that every page between agrees with the walk is
# checked below, page by page.
last=$(tail -n 1 "$d/user.vpl")
pa1=$(echo "$last" | cut -d, -f2)
notpud=$(grep -vc ',pud$' "$d/user.vpl")
if [ "$((pa1 - pa0))" = $((GIB - 4096)) ] && [ "$notpud" = 0 ]; then
	pass "huge1g pagemap: 262144 pages, one run from $pa0, level pud"
else
	fail "huge1g pagemap: first $first, last $last, $notpud rows not pud"
fi

# The walk's answer for the same VAs: the same PA and level on each.
# (VPN=.. VA=.. PFN=.. PA=.. level=.. to va,pa,level: cut and tr are fast.)
cut -d' ' -f2,4,5 "$d/xlate.txt" | tr ' =' ',,' | cut -d, -f2,4,6 >"$d/xlate.vpl"
if cmp -s "$d/user.vpl" "$d/xlate.vpl"; then
	pass "huge1g IOCTL_XLATE = pagemap on all $(wc -l <"$d/xlate.vpl") pages (level pud)"
else
	fail "huge1g IOCTL_XLATE differs from pagemap: $(wc -l <"$d/xlate.vpl") rows; first difference: $(diff "$d/user.vpl" "$d/xlate.vpl" | grep '^[-+]0' | head -n 2 | tr '\n' ' ')"
fi
# One 1 GiB page is 262144 rows, and memalloc has other pages too: more
# than the old 262144-row cap, which the streamed pid walk no longer has.
check_eq "huge1g pid walk command" "$got" ok
vend=$(printf '0x%016x' $((va0 + GIB)))
awk -F, -v lo="$va0" -v hi="$vend" 'NR > 1 && $6 >= lo && $6 < hi { print $6 "," $7 "," $11 }' \
	"$d/kmod.csv" >"$d/kmod.vpl"
if cmp -s "$d/user.vpl" "$d/kmod.vpl"; then
	pass "huge1g pid walk = pagemap on all $(wc -l <"$d/kmod.vpl") pages (level pud)"
else
	fail "huge1g pid walk differs from pagemap: $(wc -l <"$d/kmod.vpl") rows; first difference: $(diff "$d/user.vpl" "$d/kmod.vpl" | grep '^[-+]0' | head -n 2 | tr '\n' ' ')"
fi
