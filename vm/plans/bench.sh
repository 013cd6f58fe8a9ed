#!/bin/sh
# vm/plans/bench.sh - the module's software walk against pagemap, in the guest.
#
# memalloc holds one block (BENCH_SIZE, default 256M) and reports how long
# its batched pagemap read of those pages took; then, best of BENCH_ROUNDS,
# the module walks the same process (`pid PID`: every VMA, so a few more
# pages than the block) and its rows are read back, and pagemap_reader
# --range reads and prints the block.  Times are per page, written to
# $OUT/bench.txt as KEY=VALUE for kmod/bench.sh.
. /plans/lib.sh
set -u
size=${BENCH_SIZE:-256M}
rounds=${BENCH_ROUNDS:-3}

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
pagemap_s=$(sed -n 's/.*translate_s=\([0-9.]*\).*/\1/p' /tmp/bench.err)

best_walk= best_read= best_reader= rows=0
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	t0=$(now_ns)
	echo "pid $mpid" >/proc/pagetable || exit 1
	t1=$(now_ns)
	rows=$(($(wc -l </proc/pagetable) - 1))
	t2=$(now_ns)
	pagemap_reader "$mpid" --range "$lo" "$hi" >/dev/null || exit 1
	t3=$(now_ns)
	w=$((t1 - t0)) rd=$((t2 - t1)) pr=$((t3 - t2))
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
	echo "PAGEMAP_NS=$(awk -v s="$pagemap_s" 'BEGIN { printf "%.0f", s * 1e9 }')"
	echo "READER_NS=$best_reader"
	echo "PAGING=$(paging_levels)"
} >"$OUT/bench.txt"
cat "$OUT/bench.txt"
