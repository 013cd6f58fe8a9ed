#!/bin/bash
# mk/bench.sh - run the benchmark scripts and assemble build/bench.md.
#
# Each */bench.sh prints markdown table rows; a script that fails adds a
# row saying so instead of stopping the others.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
out=$BUILD/bench.md
tmp=$(mktemp)
{
	echo "# ptwalk benchmarks"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
	echo
	echo "| benchmark | ratio | detail |"
	echo "|---|---|---|"
} >"$tmp"
for b in "$ROOT"/collect/bench.sh "$ROOT"/analyze/bench.sh "$ROOT"/kmod/bench.sh "$ROOT"/reports/bench.sh; do
	[ -x "$b" ] || continue
	name=${b#"$ROOT"/}
	echo "bench: $name" >&2
	if ! BUILD=$BUILD "$b" >>"$tmp"; then
		echo "| $name | failed | see its output above |" >>"$tmp"
	fi
done
mv "$tmp" "$out"
cat "$out"
echo "bench: table written to ${out#"$ROOT"/}" >&2
