#!/bin/bash
# bench/walk.sh - the module's streamed walk against pagemap, in the guest, at 1M, 2M and 16M pages.
#
# Boots the guest once with the plan bench/guest/walk.sh (BENCH_GIB,
# default "4 8 64" GiB of read-faulted zero pages) and prints markdown rows
# for bench/run.sh, one per size: the module's `pid` walk with its CSV
# read back (streamed: the write only checks the process, the rows are
# walked as they are read) against pagemap_reader --range printing the
# same region (bar: at most 2x, and flat per page as the size grows), and
# against raw pagemap preads of 64K entries, with the kernel memory
# (Slab + VmallocUsed) the walk's read held.  All ratios from one boot.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
dir=$BUILD/bench-vm
rm -rf "$dir" && mkdir -p "$dir"
. "$ROOT/vm/lib.sh"
PLAN_ENV="BENCH_GIB=${BENCH_GIB:-4,8,64}" VM_TIMEOUT=${VM_TIMEOUT:-3000} "$ROOT/vm/run.sh" walk "$dir" >"$dir/run.log" 2>&1 ||
	{ tail -n 5 "$dir/run.log" >&2; exit 1; }
# bench.txt was written by the guest: KEY=VALUE lines, read, never run.
b=$dir/bench.txt
kv_check "$b"
n=$(kv "$b" SIZES)
lv=$(kv "$b" PAGING)
i=1
while [ "$i" -le "$n" ]; do
	awk -v g="$(kv "$b" GIB_$i)" -v p="$(kv "$b" PAGES_$i)" -v rows="$(kv "$b" WALK_ROWS_$i)" \
		-v w="$(kv "$b" WALK_NS_$i)" -v pr="$(kv "$b" READER_NS_$i)" -v pm="$(kv "$b" PAGEMAP_NS_$i)" \
		-v pe="$(kv "$b" PAGEMAP_ENTRIES_$i)" -v km="$(kv "$b" KMEM_KB_$i)" -v lv="$lv" 'BEGIN {
		wp = w / rows; rp = pr / p; pp = pm / pe
		printf "| module streamed walk + CSV read vs pagemap_reader --range, %d pages (%d GiB of zero pages, guest TCG, %d-level, one boot) | %.2fx per page (bar: <= 2x) | walk + read %.0f ns/page over %d rows, pagemap_reader %.0f ns/page; raw pagemap 64K-entry preads %.1f ns/page (the walk costs %.0fx that); Slab + VmallocUsed grew %d kB during the read |\n", p, g, lv, wp / rp, wp, rows, rp, pp, wp / pp, km
	}'
	i=$((i + 1))
done
