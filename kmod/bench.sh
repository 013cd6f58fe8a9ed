#!/bin/bash
# kmod/bench.sh - the module's software walk against pagemap, in the guest.
#
# Boots the guest with vm/plans/bench.sh and prints markdown rows for
# mk/bench.sh: the module's `pid` walk (streamed: the write only checks the
# process, the rows are walked as they are read, so walk means write plus
# read) against a batched read of the same pages' pagemap entries, and both with their output (the walk's CSV rows
# read back, pagemap_reader --range printing), per page, measured in the
# same boot.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
dir=$BUILD/bench-vm
rm -rf "$dir" && mkdir -p "$dir"
PLAN_ENV="BENCH_SIZE=${BENCH_SIZE:-256M}" "$ROOT/vm/run.sh" bench "$dir" >"$dir/run.log" 2>&1 ||
	{ tail -n 5 "$dir/run.log" >&2; exit 1; }
# shellcheck disable=SC1091 # written by the plan
. "$dir/bench.txt"
awk -v p="$PAGES" -v rows="$WALK_ROWS" -v w="$WALK_NS" -v rd="$WALK_READ_NS" \
	-v pm="$PAGEMAP_NS" -v pe="$PAGEMAP_ENTRIES" -v pr="$READER_NS" -v lv="$PAGING" -v sz="${BENCH_SIZE:-256M}" 'BEGIN {
	wp = (w + rd) / rows; pp = pm / pe
	printf "| module streamed walk + CSV read vs batched raw pagemap, same pages (guest, TCG, %s block, %d-level) | walk %.2fx the pagemap time per page | walk (write %.0f us, then walked as read) %.0f ns/page over %d present pages, pagemap (dd, 4 KiB reads) %.0f ns/page over %d, best of 3 each |\n", sz, lv, wp / pp, w / 1000, wp, rows, pp, pe
	printf "| module walk + CSV read back vs pagemap_reader --range (same boot) | %.2fx per page | walk+read %.0f ns/page, pagemap_reader %.0f ns/page |\n", ((w + rd) / rows) / (pr / p), (w + rd) / rows, pr / p
}'
