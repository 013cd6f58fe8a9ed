#!/bin/bash
# bench/xlate_batch.sh - what a batched binary interface costs: IOCTL_XLATE_BATCH against pagemap and the CSV walk.
#
# Boots the guest once with the plan bench/guest/xlate_batch.sh
# (BENCH_XB_GIB, default "4,8" GiB of read-faulted zero pages: 1M and 2M
# pages) and prints markdown rows for bench/run.sh, one per size: the
# batched ioctl's time per page (range form, 65,536 VPNs a call, 64-byte
# records, no text) against raw pagemap preads of 64K entries over the
# same region (best of 3), with, beside them, one IOCTL_XLATE a page, pfn_ioctl
# --range printing every page as text, and the module's `pid` walk read
# back as CSV.  It answers issue 17's "what a binary or batched interface
# would cost instead" of the CSV.  No bar: a comparison.  All from one
# boot.  The batch must find every page of the region present, else the
# row says it failed.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
dir=$BUILD/bench-xlate-batch
rm -rf "$dir" && mkdir -p "$dir"
. "$ROOT/vm/lib.sh"
PLAN_ENV="BENCH_XB_GIB=${BENCH_XB_GIB:-4,8}" VM_TIMEOUT=${VM_TIMEOUT:-3000} "$ROOT/vm/run.sh" xlate_batch "$dir" >"$dir/run.log" 2>&1 ||
	{ tail -n 5 "$dir/run.log" >&2; exit 1; }
# bench.txt was written by the guest: KEY=VALUE lines, read, never run.
b=$dir/bench.txt
kv_check "$b"
n=$(kv "$b" SIZES)
lv=$(kv "$b" PAGING)
i=1
while [ "$i" -le "$n" ]; do
	p=$(kv "$b" PAGES_$i)
	if [ "$(kv "$b" BATCH_PAGES_$i)" != "$p" ] || [ "$(kv "$b" BATCH_PRESENT_$i)" != "$p" ]; then
		echo "| batched translation ioctl, $p pages | failed | IOCTL_XLATE_BATCH found $(kv "$b" BATCH_PRESENT_$i) of $(kv "$b" BATCH_PAGES_$i) pages present |"
		i=$((i + 1))
		continue
	fi
	awk -v g="$(kv "$b" GIB_$i)" -v p="$p" -v lv="$lv" \
		-v pm="$(kv "$b" PAGEMAP_NS_$i)" -v pe="$(kv "$b" PAGEMAP_ENTRIES_$i)" \
		-v bt="$(kv "$b" BATCH_NS_$i)" -v on="$(kv "$b" ONE_NS_$i)" -v op="$(kv "$b" ONE_PAGES_$i)" \
		-v tx="$(kv "$b" TEXT_NS_$i)" -v w="$(kv "$b" WALK_NS_$i)" -v rows="$(kv "$b" WALK_ROWS_$i)" 'BEGIN {
		bp = bt / p; pp = pm / pe; op1 = on / op; tp = tx / p; wp = w / rows
		printf "| batched translation ioctl (IOCTL_XLATE_BATCH) vs raw pagemap preads, %d pages (%d GiB of zero pages, guest TCG, %d-level, one boot) | %.2fx per page | batch %.1f ns/page (range form, 65536 VPNs and 64-byte records a call, no text), pagemap 64K-entry preads %.1f ns/page; IOCTL_XLATE one call a page %.0f ns/page (%d pages, %.1fx the batch); pfn_ioctl --range as text %.0f ns/page (%.1fx); `pid` walk + CSV read %.0f ns/page over %d rows (%.1fx the batch) |\n", p, g, lv, bp / pp, bp, pp, op1, op, op1 / bp, tp, tp / bp, wp, rows, wp / bp
	}'
	i=$((i + 1))
done
