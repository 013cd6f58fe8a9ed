#!/bin/bash
# bench/translate.sh - pagemap translation and memalloc's overhead, for `make bench`.
#
# Prints markdown table rows "| what | ratio | detail |", each ratio from
# two measurements taken side by side in this run: batched against naive
# pagemap translation over the same 1 GiB block, and memalloc's
# translation plus CSV output against the time to fault the pages in.
# Needs root for real PFNs; as another user the ratios still hold.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
SIZE=${BENCH_SIZE:-1G}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$ROOT/vm/lib.sh"

# build/bench/translate prints KEY=VALUE lines: read, not run (kv).
"$BUILD/bench/translate" "$SIZE" >"$tmp/translate.txt"
awk -v n="$(kv "$tmp/translate.txt" PAGES)" -v b="$(kv "$tmp/translate.txt" BATCHED_S)" \
    -v s="$(kv "$tmp/translate.txt" NAIVE_S)" -v sz="$SIZE" 'BEGIN {
	printf "| batched vs naive pagemap translation (%s, %d pages) | %.1fx faster | batched %.3f s, one pread a page %.3f s (bar: >= 20x) |\n", sz, n, s/b, b, s }'

# memalloc's own phases, best of three runs; the CSV goes to /dev/null so
# that the disk's speed is not counted as the cost of producing it.
for i in 1 2 3; do
	"$BUILD/bin/memalloc" -b 1G -m "$SIZE" -o - --stats --allow-hidden 2>>"$tmp/err" >/dev/null
done
grep 'stats' "$tmp/err" | sed 's/.*stats //' | awk -v sz="$SIZE" '{
	for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	r = (v["translate_s"] + v["write_s"]) / v["fault_s"]
	if (NR == 1 || r < best) { best = r; f = v["fault_s"]; t = v["translate_s"]; w = v["write_s"] }
} END {
	printf "| memalloc translation + CSV vs fault-in (%s block) | %.1f%% of fault time | best of 3: fault %.3f s, translate %.3f s, CSV %.3f s (bar: <= 10%%) |\n", sz, 100 * best, f, t, w }'
