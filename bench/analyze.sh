#!/bin/bash
# bench/analyze.sh - the analyzer's benchmark rows for `make bench`.
#
# On one generated 1,000,000-row samples CSV (build/bench/gen_samples,
# rows formatted by ptw_row_format as the collectors write them), times
# side by side: the analyzer (every byte through libcsv, its one parsing
# path); a bare libcsv tokenize of the same file (build/bench/csvtok_bench:
# parse, count, nothing else), the floor for any libcsv reader; and the
# plain Python csv-module version of the same runs (bench/runs_ref.py),
# whose output must equal the analyzer's (a comparison row, no bar).
# Times are CPU seconds (user + sys, best of BENCH_REPEAT), so other load
# on the machine counts less.  Then the
# analyzer's peak RSS on 1M and 4M rows (the 4M streamed through a pipe).
# Prints markdown rows "| what | ratio | detail |".
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
ROWS=${BENCH_ROWS:-1000000}
REPEAT=${BENCH_REPEAT:-3}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# measure CMD...: "cpu_seconds peak_rss_kb" of one run, stdout to $BENCH_OUT.
# (The RSS includes the Python that forked the child: only analyze's own
# --stats line is used for memory.)
measure() {
	"$PY" - "$@" <<'PYEOF'
import resource, subprocess, sys
out = open(__import__("os").environ["BENCH_OUT"], "w")
subprocess.run(sys.argv[1:], stdout=out, check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.3f %d" % (r.ru_utime + r.ru_stime, r.ru_maxrss))
PYEOF
}
# best NAME CMD...: best-of-REPEAT CPU time into best_NAME, RSS into rss_NAME.
best() {
	local name=$1 i t r b=
	shift
	for i in $(seq "$REPEAT"); do
		read -r t r < <(BENCH_OUT=$tmp/$name.out measure "$@")
		if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN { exit !(a < b) }'; then b=$t; fi
	done
	printf -v "best_$name" %s "$b"
	printf -v "rss_$name" %s "$r"
}

"$BUILD/bench/gen_samples" "$ROWS" >"$tmp/s.csv"
mb=$(awk -v b="$(stat -c %s "$tmp/s.csv")" 'BEGIN { printf "%.0f", b / 1e6 }')
A=$BUILD/bin/analyze
best ana "$A" -q -o "$tmp/a" "$tmp/s.csv"
best tok "$BUILD/bench/csvtok_bench" "$tmp/s.csv"
REPEAT=1 best py "$PY" "$ROOT/bench/runs_ref.py" "$tmp/s.csv"
if cut -d, -f1-12 "$tmp/a/summary.csv" | cmp -s - "$tmp/py.out"; then
	same="outputs identical"
else
	same="OUTPUTS DIFFER"
fi

awk -v a="$best_ana" -v t="$best_tok" -v p="$best_py" \
    -v n="$ROWS" -v mb="$mb" -v same="$same" 'BEGIN {
	printf "| analyze vs bare libcsv tokenize (%d rows, %s MB) | %.2fx | analyze %.2f s, csvtok_bench %.2f s CPU, best of runs (bar: <= 2x) |\n", n, mb, a / t, a, t
	printf "| Python csv module vs analyze (%d rows) | %.1fx slower | runs_ref.py %.2f s vs %.2f s CPU; %s (comparison, no bar) |\n", n, p / a, p, a, same
}'

# Peak memory from analyze's own getrusage: it holds one group, so four
# times the rows must not mean four times the RSS.
"$A" -q --stats -o "$tmp/b" "$tmp/s.csv" 2>"$tmp/r1"
"$BUILD/bench/gen_samples" $((4 * ROWS)) | "$A" -q --stats -o "$tmp/b" - 2>"$tmp/r4"
r1=$(sed -n 's/.*maxrss_kb=//p' "$tmp/r1")
r4=$(sed -n 's/.*maxrss_kb=//p' "$tmp/r4")
awk -v a="$r1" -v b="$r4" -v n="$ROWS" 'BEGIN {
	printf "| analyze peak RSS, %dM vs %dM rows | %.2fx | %.1f MB vs %.1f MB (one group in memory; bar: not growing with rows) |\n", n / 1e6, 4 * n / 1e6, b / a, a / 1024, b / 1024 }'
