#!/bin/bash
# tests/run.sh - run the test programs and scripts given, count, summarize.
#
# Each argument is an executable test (a shell script or a unit-test
# binary) that prints PASS/FAIL/SKIP lines.  A test that exits non-zero
# without printing a FAIL line counts as one failure, so a crash is never
# lost.  Ends with the one closing line "N passed, N failed, N skipped" and
# exits non-zero on any failure.
set -u
passed=0 failed=0 skipped=0
start=$(date +%s)
for t in "$@"; do
	name=${t#./}
	echo "== $name"
	out=$(mktemp)
	t0=$(date +%s)
	case $t in *.sh) "$t" ;; *) ${WRAP:-} "$t" ;; esac 2>&1 | tee "$out"
	st=${PIPESTATUS[0]}
	p=$(grep -c '^PASS ' "$out") f=$(grep -c '^FAIL ' "$out") s=$(grep -c '^SKIP ' "$out")
	if [ "$st" != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL $name: exited with status $st"
		f=1
	fi
	echo "-- $name: $p passed, $f failed, $s skipped ($(( $(date +%s) - t0 )) s)"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	rm -f "$out"
done
echo "suite took $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
