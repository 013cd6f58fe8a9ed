#!/bin/bash
# tests/fuzz/run.sh TARGET SECONDS - run one libFuzzer target for a while.
#
# Used by `make fuzz` (tests/fuzz/build.mk) and tests/t_fuzz.sh.  The working
# corpus is build/fuzz/TARGET/corpus, seeded each run from the checked-in
# tests/fuzz/corpus/TARGET/ and from the golden tests; a crash, leak or
# timeout leaves its input in build/fuzz/TARGET/ (libFuzzer's
# -artifact_prefix).  Prints one line, "PASS fuzz TARGET: N runs in S s"
# or "FAIL fuzz TARGET: <what> (input: PATH, log: PATH)", and exits 0 or 1.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
t=$1 secs=$2
bin=$ROOT/build/fuzz/bin/fuzz_$t
dir=$ROOT/build/fuzz/$t
log=$dir/fuzz.log
if [ ! -x "$bin" ]; then
	echo "FAIL fuzz $t: $bin is not built (make fuzz-build)"
	exit 1
fi
mkdir -p "$dir/corpus"
cp -n "$ROOT"/tests/fuzz/corpus/"$t"/* "$dir/corpus/" 2>/dev/null
# Golden inputs: samples CSVs for the readers, snapshots for buddyinfo.
g=$ROOT/tests/golden/analyze
case $t in
samples|row) cp -n "$g"/kmalloc.csv "$g"/mixed.csv "$dir/corpus/" 2>/dev/null ;;
buddyinfo) cp -n "$g"/buddyinfo.*.txt "$dir/corpus/" 2>/dev/null ;;
analyze)
	# The first byte picks the mode (see fuzz_analyze.c): 0 samples, 1 snapshot.
	for f in "$g"/kmalloc.csv "$g"/mixed.csv; do
		[ -f "$f" ] && { printf '\0'; cat "$f"; } >"$dir/corpus/golden.$(basename "$f")"
	done
	for f in "$g"/buddyinfo.*.txt; do
		[ -f "$f" ] && { printf '\1'; cat "$f"; } >"$dir/corpus/golden.$(basename "$f")"
	done ;;
esac
rm -f "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*
# Quiet targets would flood the log with analyze's error lines: close
# their stdout/stderr (libFuzzer keeps its own and the sanitizers' output).
mask=0
[ "$t" = analyze ] && mask=3
start=$(date +%s)
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-close_fd_mask=$mask -artifact_prefix="$dir/" "$dir/corpus" >"$log" 2>&1
st=$?
took=$(( $(date +%s) - start ))
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
if [ "$st" = 0 ]; then
	echo "PASS fuzz $t: ${runs:-?} runs in $took s ($(ls "$dir/corpus" | wc -l) corpus inputs)"
	exit 0
fi
input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
what=$(grep -m 1 -E '^==[0-9]+==ERROR|^SUMMARY|fuzz check failed|runtime error|ALARM|out-of-memory' "$log" | cut -c 1-200)
echo "FAIL fuzz $t: ${what:-exit status $st} (input: ${input:-none}, log: $log)"
exit 1
