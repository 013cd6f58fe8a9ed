#!/bin/sh
# bench/guest/walk.sh - the module's streamed walk against pagemap, in the guest, at growing sizes.
#
# For each size of BENCH_GIB (default "4 8 64", or with commas: 1M, 2M and 16M pages),
# pt_stream -H maps that many GiB PROT_READ, MAP_NORESERVE,
# MADV_NOHUGEPAGE and read-faults every page (the shared zero page: page
# tables only), then holds it.  Then, in this one boot: the module walks
# the process (`pid PID`: every VMA, so a few pages more than the region)
# and its CSV is read back (wc -l); pagemap_reader --range reads and prints
# the region; dd reads the region's raw pagemap entries in 64K-entry
# (512 KiB) preads.  Slab + VmallocUsed is sampled every second during the
# walk's read; the largest growth over its value before the write is the
# kernel memory the walk held.  Times and sizes go to $OUT/bench.txt as
# KEY_N=VALUE lines (N counts the sizes from 1), for bench/walk.sh, which
# parses them (vm/lib.sh kv).
. "${PLAN_LIB:-/plans/lib.sh}"
set -u
sizes=$(echo "${BENCH_GIB:-4 8 64}" | tr , " ")

# Nanoseconds, from date when busybox has %N, else from /proc/uptime.
now_ns() {
	t=$(date +%s%N 2>/dev/null)
	case $t in *N*|'') awk '{ printf "%.0f\n", $1 * 1e9 }' /proc/uptime ;; *) echo "$t" ;; esac
}
# Slab + VmallocUsed in kB, with shell builtins only (no process started
# while a walk is timed).
kmem() {
	_s=0
	while read -r _k _v _; do
		case $_k in Slab:|VmallocUsed:) _s=$((_s + _v)) ;; esac
	done </proc/meminfo
	echo $_s
}

load_ptwalk || exit 1
: >"$OUT/bench.txt.tmp"
echo "PAGING=$(paging_levels)" >>"$OUT/bench.txt.tmp"
k=0
for g in $sizes; do
	rm -f /tmp/bench.in
	mkfifo /tmp/bench.in
	pt_stream -H -z "$g" -w 1 </tmp/bench.in >/tmp/bench.ready 2>/tmp/bench.err &
	spid=$!
	exec 3>/tmp/bench.in
	n=0
	until grep -q '^ready' /tmp/bench.ready 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 36000 ] && kill -0 $spid 2>/dev/null || {
			echo "bench walk: pt_stream -z $g did not get ready: $(cat /tmp/bench.err)" >&2
			exec 3>&-
			break 2
		}
		sleep 0.1
	done
	set -- $(cat /tmp/bench.ready)
	lo=$2 hi=$3
	pages=$(( (hi - lo) / 4096 ))
	# The region's pagemap entries, in 512 KiB reads (64K entries each).
	skip=$(( (lo / 4096) * 8 / 524288 ))
	blocks=$(( ((hi / 4096) * 8 + 524287) / 524288 - skip ))
	tp=$(now_ns)
	dd if=/proc/$spid/pagemap of=/dev/null bs=524288 skip=$skip count=$blocks 2>/dev/null || exit 1
	t0=$(now_ns)
	m0=$(kmem)
	echo "pid $spid" >/proc/pagetable || exit 1
	t1=$(now_ns)
	wc -l </proc/pagetable >/tmp/bench.rows &
	wpid=$!
	mmax=$m0
	while kill -0 $wpid 2>/dev/null; do
		kmem >/tmp/bench.kmem
		read -r m </tmp/bench.kmem
		[ "$m" -gt "$mmax" ] && mmax=$m
		sleep 1
	done
	wait $wpid
	t2=$(now_ns)
	rows=$(($(cat /tmp/bench.rows) - 1))
	pagemap_reader "$spid" --range "$lo" "$hi" >/dev/null || exit 1
	t3=$(now_ns)
	exec 3>&-
	wait $spid
	k=$((k + 1))
	{
		echo "GIB_$k=$g"
		echo "PAGES_$k=$pages"
		echo "WALK_ROWS_$k=$rows"
		echo "WALK_NS_$k=$((t2 - t0))"
		echo "READER_NS_$k=$((t3 - t2))"
		echo "PAGEMAP_NS_$k=$((t0 - tp))"
		echo "PAGEMAP_ENTRIES_$k=$((blocks * 65536))"
		echo "KMEM_KB_$k=$((mmax - m0))"
	} >>"$OUT/bench.txt.tmp"
	tail -n 8 "$OUT/bench.txt.tmp"
done
echo "SIZES=$k" >>"$OUT/bench.txt.tmp"
mv "$OUT/bench.txt.tmp" "$OUT/bench.txt"
[ "$k" -gt 0 ]
