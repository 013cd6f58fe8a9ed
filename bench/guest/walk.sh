#!/bin/sh
# bench/guest/walk.sh - the module's streamed walk against pagemap, in the guest, at growing sizes.
#
# For each size of BENCH_GIB (default "4 8 64", or with commas: 1M, 2M and 16M pages),
# pt_stream -H maps that many GiB PROT_READ, MAP_NORESERVE,
# MADV_NOHUGEPAGE and read-faults every page (the shared zero page: page
# tables only), then holds it.  Then, in this one boot, BENCH_REPEAT
# (default 3) times each, interleaved: dd reads the region's raw pagemap
# entries in 64K-entry (512 KiB) preads; the module walks the process
# (`pid PID`: every VMA, so a few pages more than the region) and its CSV
# is read back in 1 MiB reads, its rows counted (pt_stream -r);
# pagemap_reader --range reads and prints the region.  Slab + VmallocUsed
# and the module's row_bytes_held are sampled every half second during the
# walk's read; the largest growth of the first over its value before the
# write, and the largest of the second, are the kernel memory the walk
# held.  Times and sizes go to $OUT/bench.txt as KEY_N=VALUE lines, and
# KEY_N_R=VALUE for repeat R (N counts the sizes from 1), for
# bench/walk.sh, which parses them (vm/lib.sh kv).
. "${PLAN_LIB:-/plans/lib.sh}"
. "$(dirname "$0")/zero_hold.sh"
set -u
sizes=$(echo "${BENCH_GIB:-4 8 64}" | tr , " ")
reps=${BENCH_REPEAT:-3}
held=/sys/module/ptwalk/parameters/row_bytes_held

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
echo "REPEATS=$reps" >>"$OUT/bench.txt.tmp"
k=0
for g in $sizes; do
	zero_hold "$g" || break
	spid=$ZH_PID lo=$ZH_LO hi=$ZH_HI
	pages=$(( (hi - lo) / 4096 ))
	# The region's pagemap entries, in 512 KiB reads (64K entries each).
	skip=$(( (lo / 4096) * 8 / 524288 ))
	blocks=$(( ((hi / 4096) * 8 + 524287) / 524288 - skip ))
	k=$((k + 1))
	{
		echo "GIB_$k=$g"
		echo "PAGES_$k=$pages"
		echo "PAGEMAP_ENTRIES_$k=$((blocks * 65536))"
	} >>"$OUT/bench.txt.tmp"
	r=1
	while [ $r -le "$reps" ]; do
		tp=$(now_ns)
		dd if=/proc/$spid/pagemap of=/dev/null bs=524288 skip=$skip count=$blocks 2>/dev/null || exit 1
		t0=$(now_ns)
		m0=$(kmem)
		pt_stream -r $spid >/tmp/bench.rows 2>&1 &
		wpid=$!
		mmax=$m0
		hmax=0
		while kill -0 $wpid 2>/dev/null; do
			kmem >/tmp/bench.kmem
			read -r m </tmp/bench.kmem
			[ "$m" -gt "$mmax" ] && mmax=$m
			read -r h <"$held"
			[ "$h" -gt "$hmax" ] && hmax=$h
			sleep 0.5
		done
		wait $wpid || { cat /tmp/bench.rows >&2; exit 1; }
		t2=$(now_ns)
		rows=$(sed -n 's/^rows=\([0-9]*\) .*/\1/p' /tmp/bench.rows)
		pagemap_reader "$spid" --range "$lo" "$hi" >/dev/null || exit 1
		t3=$(now_ns)
		{
			echo "WALK_ROWS_${k}_$r=$rows"
			echo "WALK_NS_${k}_$r=$((t2 - t0))"
			echo "READER_NS_${k}_$r=$((t3 - t2))"
			echo "PAGEMAP_NS_${k}_$r=$((t0 - tp))"
			echo "KMEM_KB_${k}_$r=$((mmax - m0))"
			echo "HELD_B_${k}_$r=$hmax"
		} >>"$OUT/bench.txt.tmp"
		tail -n 6 "$OUT/bench.txt.tmp"
		r=$((r + 1))
	done
	zero_release
done
echo "SIZES=$k" >>"$OUT/bench.txt.tmp"
mv "$OUT/bench.txt.tmp" "$OUT/bench.txt"
[ "$k" -gt 0 ]
