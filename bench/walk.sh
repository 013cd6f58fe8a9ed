#!/bin/bash
# bench/walk.sh - the module's streamed walk against pagemap, in the guest, at 1M, 2M and 16M pages.
#
# Boots the guest once with the plan bench/guest/walk.sh (BENCH_GIB,
# default "4 8 64" GiB of read-faulted zero pages; BENCH_REPEAT, default 3,
# runs of each measurement) and prints markdown rows for bench/run.sh, one
# per size: the module's `pid` walk with its CSV read back in 1 MiB reads
# (streamed: the write only checks the process, the rows are walked as
# they are read) against pagemap_reader --range printing the same region
# (bar: at most 2x, and flat per page as the size grows), and against raw
# pagemap preads of 64K entries, with the kernel memory the walk's read
# held (Slab + VmallocUsed growth, and the module's row_bytes_held).
# Each figure is the median of the repeats, the ratio's spread is their
# smallest and largest; all from one boot.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
dir=$BUILD/bench-vm
rm -rf "$dir" && mkdir -p "$dir"
. "$ROOT/vm/lib.sh"
PLAN_ENV="BENCH_GIB=${BENCH_GIB:-4,8,64} BENCH_REPEAT=${BENCH_REPEAT:-3}" VM_TIMEOUT=${VM_TIMEOUT:-3000} "$ROOT/vm/run.sh" walk "$dir" >"$dir/run.log" 2>&1 ||
	{ tail -n 5 "$dir/run.log" >&2; exit 1; }
# bench.txt was written by the guest: KEY=VALUE lines, read, never run.
b=$dir/bench.txt
kv_check "$b"
n=$(kv "$b" SIZES)
lv=$(kv "$b" PAGING)
reps=$(kv "$b" REPEATS)
i=1
while [ "$i" -le "$n" ]; do
	# One line per repeat: rows walk_ns reader_ns pagemap_ns kmem_kb held_b.
	r=1
	while [ "$r" -le "$reps" ]; do
		echo "$(kv "$b" WALK_ROWS_${i}_$r) $(kv "$b" WALK_NS_${i}_$r) $(kv "$b" READER_NS_${i}_$r)" \
			"$(kv "$b" PAGEMAP_NS_${i}_$r) $(kv "$b" KMEM_KB_${i}_$r) $(kv "$b" HELD_B_${i}_$r)"
		r=$((r + 1))
	done | awk -v g="$(kv "$b" GIB_$i)" -v p="$(kv "$b" PAGES_$i)" \
		-v pe="$(kv "$b" PAGEMAP_ENTRIES_$i)" -v lv="$lv" '
	function median(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{
		n++
		if (n == 1) rows = $1
		else if ($1 != rows) rowsdiff = 1
		w[n] = $2 / $1; rp[n] = $3 / p; pp[n] = $4 / pe; ratio[n] = w[n] / rp[n]
		if (n == 1 || ratio[n] < lo) lo = ratio[n]
		if (n == 1 || ratio[n] > hi) hi = ratio[n]
		if ($5 > km) km = $5
		if ($6 > held) held = $6
	}
	END {
		mr = median(ratio, n); mw = median(w, n); mp = median(rp, n); mq = median(pp, n)
		printf "| module streamed walk + CSV read (1 MiB reads) vs pagemap_reader --range, %d pages (%d GiB of zero pages, guest TCG, %d-level, one boot, median of %d) | %.2fx per page (bar: <= 2x; %d runs %.2f-%.2fx) | walk + read %.0f ns/page over %d rows%s, pagemap_reader %.0f ns/page; raw pagemap 64K-entry preads %.1f ns/page (the walk costs %.0fx that); kernel memory held: Slab + VmallocUsed grew at most %d kB, the reader batch %d kB (row_bytes_held) beside its 64 KiB seq_file buffer |\n",
			p, g, lv, n, mr, n, lo, hi, mw, rows, rowsdiff ? " (rows differed between runs)" : "", mp, mq, mw / mq, km, held / 1024
	}'
	i=$((i + 1))
done
