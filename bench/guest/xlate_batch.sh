#!/bin/sh
# bench/guest/xlate_batch.sh - a batched translation ioctl against pagemap and the CSV walk, in the guest.
#
# What a binary, batched interface costs, beside the module's CSV: for
# each size of BENCH_XB_GIB (default "4 8": 1M and 2M pages; commas work
# too), pt_stream -H maps that many GiB PROT_READ, MAP_NORESERVE,
# MADV_NOHUGEPAGE, read-faults every page (the shared zero page) and holds
# it.  Then, in this one boot, over the same region: dd reads its raw
# pagemap entries in 64K-entry (512 KiB) preads; ioctl_stress batchbench
# translates every page with IOCTL_XLATE_BATCH (range form, 65,536 VPNs
# and 4 MiB of 64-byte records a call, nothing printed) and, for the first
# 65,536 pages, with IOCTL_XLATE one call a page (these three best of 3,
# in turn); pfn_ioctl --range prints
# every page as text to /dev/null; and the module's `pid` walk is read
# back as CSV (wc -l).  Times and counts go to $OUT/bench.txt as
# KEY_N=VALUE lines (N counts the sizes from 1) for bench/xlate_batch.sh,
# which parses them (vm/lib.sh kv).
. "${PLAN_LIB:-/plans/lib.sh}"
. "$(dirname "$0")/zero_hold.sh"
set -u
sizes=$(echo "${BENCH_XB_GIB:-4 8}" | tr , " ")
# KEY=VALUE of batchbench's "pages=N present=P ns=T" line.
bb() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" /tmp/xb.bb; }

load_ptwalk || exit 1
res=$OUT/bench.txt.tmp
echo "PAGING=$(paging_levels)" >"$res"
k=0
for g in $sizes; do
	zero_hold "$g" || break
	spid=$ZH_PID lo=$ZH_LO hi=$ZH_HI
	pages=$(( (hi - lo) / 4096 ))
	vpn=$(( lo / 4096 ))
	skip=$(( vpn * 8 / 524288 ))
	blocks=$(( ((hi / 4096) * 8 + 524287) / 524288 - skip ))
	# Two pages as pfn_ioctl prints them, for the log (the README's example).
	pfn_ioctl -x --range "$spid" "$vpn" 2
	# The three quick ones, best of 3 each, taken in turn, so that a
	# burst of load on the shared host does not land on one of them only.
	pns= bns= ons=
	for _ in 1 2 3; do
		t0=$(now_ns)
		dd if=/proc/$spid/pagemap of=/dev/null bs=524288 skip=$skip count=$blocks 2>/dev/null || exit 1
		t1=$(now_ns)
		[ -z "$pns" ] || [ $((t1 - t0)) -lt "$pns" ] && pns=$((t1 - t0))
		ioctl_stress batchbench "$spid" "$vpn" "$pages" >/tmp/xb.bb || exit 1
		bpages=$(bb pages) bpresent=$(bb present)
		[ -z "$bns" ] || [ "$(bb ns)" -lt "$bns" ] && bns=$(bb ns)
		ioctl_stress batchbench -1 "$spid" "$vpn" 65536 >/tmp/xb.bb || exit 1
		opages=$(bb pages)
		[ -z "$ons" ] || [ "$(bb ns)" -lt "$ons" ] && ons=$(bb ns)
	done
	t2=$(now_ns)
	pfn_ioctl --range "$spid" "$vpn" "$pages" >/dev/null || exit 1
	t3=$(now_ns)
	echo "pid $spid" >/proc/pagetable || exit 1
	rows=$(($(wc -l </proc/pagetable) - 1))
	t4=$(now_ns)
	zero_release
	k=$((k + 1))
	{
		echo "GIB_$k=$g"
		echo "PAGES_$k=$pages"
		echo "PAGEMAP_NS_$k=$pns"
		echo "PAGEMAP_ENTRIES_$k=$((blocks * 65536))"
		echo "BATCH_PAGES_$k=$bpages"
		echo "BATCH_PRESENT_$k=$bpresent"
		echo "BATCH_NS_$k=$bns"
		echo "ONE_PAGES_$k=$opages"
		echo "ONE_NS_$k=$ons"
		echo "TEXT_NS_$k=$((t3 - t2))"
		echo "WALK_ROWS_$k=$rows"
		echo "WALK_NS_$k=$((t4 - t3))"
	} >>"$res"
	tail -n 12 "$res"
done
echo "SIZES=$k" >>"$res"
mv "$res" "$OUT/bench.txt"
[ "$k" -gt 0 ]
