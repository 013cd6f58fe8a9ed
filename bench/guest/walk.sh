#!/bin/sh
# bench/guest/walk.sh - the module's software walk against pagemap, in the guest.
#
# memalloc holds one block (BENCH_SIZE, default 256M); then, best of
# BENCH_ROUNDS each: dd reads the block's pagemap entries in 4 KiB reads
# of 512 entries (the batched way, nothing else; 20 times, averaged), the
# module walks the same process (`pid PID`: every VMA, so a few more pages
# than the block) and its rows are read back, and pagemap_reader --range
# reads and prints the block.  Times are per page, written to
# $OUT/bench.txt as KEY=VALUE for bench/walk.sh, which parses it (vm/lib.sh kv).
. "${PLAN_LIB:-/plans/lib.sh}"
set -u
size=${BENCH_SIZE:-256M}
rounds=${BENCH_ROUNDS:-3}
PM_REPEAT=20

# Nanoseconds, from date when busybox has %N, else from /proc/uptime.
now_ns() {
	t=$(date +%s%N 2>/dev/null)
	case $t in *N*|'') awk '{ printf "%.0f\n", $1 * 1e9 }' /proc/uptime ;; *) echo "$t" ;; esac
}

load_ptwalk || exit 1
mkfifo /tmp/bench.in
memalloc -b 1G -m "$size" -o /tmp/bench.csv --hold --stats </tmp/bench.in >/tmp/bench.ready 2>/tmp/bench.err &
mpid=$!
exec 3>/tmp/bench.in
n=0
until grep -q '^ready' /tmp/bench.ready 2>/dev/null; do
	n=$((n + 1))
	[ $n -lt 600 ] && kill -0 $mpid 2>/dev/null || { cat /tmp/bench.err >&2; exit 1; }
	sleep 0.1
done
pages=$(($(wc -l </tmp/bench.csv) - 1))
lo=$(awk -F, 'NR == 2 { print $6 }' /tmp/bench.csv)
hi=$(awk -F, 'END { print $6 }' /tmp/bench.csv)
hi=$(printf '0x%x' $((hi + 4096)))
# The block's pagemap entries, in whole 4 KiB blocks of the file.
skip=$(( (lo / 4096) * 8 / 4096 ))
blocks=$(( ((hi / 4096) * 8 + 4095) / 4096 - skip ))

best_walk= best_read= best_reader= best_pm= rows=0
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	# The read is short next to the clock's 10 ms when busybox date has no
	# %N: time PM_REPEAT reads and divide.
	tp=$(now_ns) i=0
	while [ $i -lt "$PM_REPEAT" ]; do
		dd if=/proc/$mpid/pagemap of=/dev/null bs=4096 skip=$skip count=$blocks 2>/dev/null || exit 1
		i=$((i + 1))
	done
	t0=$(now_ns)
	echo "pid $mpid" >/proc/pagetable || exit 1
	t1=$(now_ns)
	rows=$(($(wc -l </proc/pagetable) - 1))
	t2=$(now_ns)
	pagemap_reader "$mpid" --range "$lo" "$hi" >/dev/null || exit 1
	t3=$(now_ns)
	pm=$(((t0 - tp) / PM_REPEAT)) w=$((t1 - t0)) rd=$((t2 - t1)) pr=$((t3 - t2))
	[ -z "$best_pm" ] || [ $pm -lt "$best_pm" ] && best_pm=$pm
	[ -z "$best_walk" ] || [ $w -lt "$best_walk" ] && best_walk=$w
	[ -z "$best_read" ] || [ $rd -lt "$best_read" ] && best_read=$rd
	[ -z "$best_reader" ] || [ $pr -lt "$best_reader" ] && best_reader=$pr
done
echo >&3
wait $mpid
{
	echo "PAGES=$pages"
	echo "WALK_ROWS=$rows"
	echo "WALK_NS=$best_walk"
	echo "WALK_READ_NS=$best_read"
	echo "PAGEMAP_NS=$best_pm"
	echo "PAGEMAP_ENTRIES=$((blocks * 512))"
	echo "READER_NS=$best_reader"
	echo "PAGING=$(paging_levels)"
} >"$OUT/bench.txt"
cat "$OUT/bench.txt"
