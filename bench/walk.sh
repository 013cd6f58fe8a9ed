#!/bin/bash
# bench/walk.sh - the module's software walk against pagemap, in the guest.
#
# Boots the guest with the plan bench/guest/walk.sh and prints markdown
# rows for bench/run.sh: the module's `pid` walk (streamed: the write only checks the
# process, the rows are walked as they are read, so walk means write plus
# read) against a batched read of the same pages' pagemap entries, and both with their output (the walk's CSV rows
# read back, pagemap_reader --range printing), per page, measured in the
# same boot.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
dir=$BUILD/bench-vm
rm -rf "$dir" && mkdir -p "$dir"
. "$ROOT/vm/lib.sh"
PLAN_ENV="BENCH_SIZE=${BENCH_SIZE:-256M}" "$ROOT/vm/run.sh" walk "$dir" >"$dir/run.log" 2>&1 ||
	{ tail -n 5 "$dir/run.log" >&2; exit 1; }
# bench.txt was written by the guest: KEY=VALUE lines, read, never run.
b=$dir/bench.txt
kv_check "$b"
awk -v p="$(kv "$b" PAGES)" -v rows="$(kv "$b" WALK_ROWS)" -v w="$(kv "$b" WALK_NS)" -v rd="$(kv "$b" WALK_READ_NS)" \
	-v pm="$(kv "$b" PAGEMAP_NS)" -v pe="$(kv "$b" PAGEMAP_ENTRIES)" -v pr="$(kv "$b" READER_NS)" -v lv="$(kv "$b" PAGING)" \
	-v sz="${BENCH_SIZE:-256M}" 'BEGIN {
	wp = (w + rd) / rows; pp = pm / pe
	printf "| module streamed walk + CSV read vs batched raw pagemap, same pages (guest, TCG, %s block, %d-level) | walk %.2fx the pagemap time per page | walk (write %.0f us, then walked as read) %.0f ns/page over %d present pages, pagemap (dd, 4 KiB reads) %.0f ns/page over %d, best of 3 each |\n", sz, lv, wp / pp, w / 1000, wp, rows, pp, pe
	printf "| module walk + CSV read back vs pagemap_reader --range (same boot) | %.2fx per page | walk+read %.0f ns/page, pagemap_reader %.0f ns/page |\n", ((w + rd) / rows) / (pr / p), (w + rd) / rows, pr / p
}'
