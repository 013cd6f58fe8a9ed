#!/bin/bash
# tests/t_sanitizers.sh - `make asan`, `make ubsan` and `make leakcheck`
# as part of `make test`, so CI (which runs only `make test`) runs them.
#
# Each is a sub-build (build/asan, build/ubsan, build/leakcheck) that
# repeats the host tests only (tests/build.mk: test-host-run), never the
# guest ones.  Inside those runs SAN (and for leakcheck WRAP) is set:
# this script and tests/t_fuzz.sh then skip, so there is no recursion.
# One PASS/FAIL line per run, with its counts and time; a failing run's
# FAIL lines are shown indented and its whole log is kept in
# build/<run>.log.  SANITIZERS="asan ubsan leakcheck" picks the runs.
. "$(dirname "$0")/lib.sh"

if [ -n "${SAN:-}${WRAP:-}${PTWALK_SAN_RUN:-}" ]; then
	skip "sanitizer runs: this is one already"
	exit 0
fi
export PTWALK_SAN_RUN=1
for run in ${SANITIZERS:-asan ubsan leakcheck}; do
	log=$ROOT/build/$run.log
	mkdir -p "$ROOT/build"
	t0=$(date +%s)
	make -C "$ROOT" --no-print-directory "$run" >"$log" 2>&1
	st=$?
	took=$(( $(date +%s) - t0 ))
	sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n 1)
	if [ "$st" = 0 ] && [ -n "$sum" ]; then
		pass "make $run: host tests $sum ($took s)"
	else
		fail "make $run: exit $st, ${sum:-no summary} ($took s; log: $log)"
		grep -E '^FAIL |^==[0-9]+==.*(ERROR|definitely|possibly)|runtime error' "$log" | head -n 8 | sed 's/^/    /'
	fi
done
