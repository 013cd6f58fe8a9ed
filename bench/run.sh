#!/bin/bash
# bench/run.sh - run every benchmark bench/*.sh and assemble build/bench.md.
#
# The benchmarks are found by glob: every bench/*.sh but this driver.  Each
# prints markdown table rows; a script that fails adds a row saying so
# instead of stopping the others.  BENCH=translate,analyze runs only those.
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
n=0
for b in "$ROOT"/bench/*.sh; do
	[ "$b" = "$ROOT/bench/run.sh" ] && continue
	name=${b#"$ROOT"/}
	if [ -n "${BENCH:-}" ]; then
		case ",$BENCH," in *",$(basename "$b" .sh),"*) ;; *) continue ;; esac
	fi
	[ -x "$b" ] || { echo "| $name | failed | not executable |" >>"$tmp"; continue; }
	n=$((n + 1))
	echo "bench: $name" >&2
	if ! BUILD=$BUILD "$b" >>"$tmp"; then
		echo "| $name | failed | see its output above |" >>"$tmp"
	fi
done
[ "$n" -gt 0 ] || { rm -f "$tmp"; echo "bench: no benchmark in bench/*.sh${BENCH:+ matching BENCH=$BENCH}" >&2; exit 1; }
mv "$tmp" "$out"
cat "$out"
echo "bench: table written to ${out#"$ROOT"/}" >&2
