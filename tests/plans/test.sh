#!/bin/sh
# tests/plans/test.sh - the test plan: run every in-guest test.
#
# Runs each $TESTS_DIR/t_*.sh (default /tests/guest, the initramfs copy of
# tests/guest/), each under its own timeout (TEST_TIMEOUT, 300 s), and
# collects their PASS/FAIL/SKIP lines in $OUT/results.txt, which
# tests/t_vm.sh relays.  A test that dies without a FAIL line, or times out,
# gets one.  TESTS=t_a,t_b (in PLAN_ENV; spaces also
# separate names where the variable is set directly) runs only those.  Exits 1 when
# anything failed.
. "${PLAN_LIB:-/plans/lib.sh}"

TESTS_DIR=${TESTS_DIR:-/tests/guest}
export BIN=${BIN:-/usr/bin} TBIN=${TBIN:-/usr/bin}
results=$OUT/results.txt
tmp=${TMPDIR:-/tmp}/ptwalk-plan-test.$$
: >"$results.tmp"
write_meta "$OUT/meta.txt"

ntests=0
for t in "$TESTS_DIR"/t_*.sh; do
	[ -f "$t" ] || continue
	name=${t##*/}
	name=${name%.sh}
	if [ -n "${TESTS:-}" ]; then
		case " $(echo "$TESTS" | tr , ' ') " in *" $name "*) ;; *) continue ;; esac
	fi
	ntests=$((ntests + 1))
	step "$name"
	t0=$(uptime_s)
	timeout -k 10 "${TEST_TIMEOUT:-300}" sh "$t" >"$tmp" 2>&1 </dev/null
	st=$?
	cat "$tmp"
	grep -E '^(PASS|FAIL|SKIP) ' "$tmp" >>"$results.tmp"
	if [ "$st" != 0 ] && ! grep -q '^FAIL ' "$tmp"; then
		if [ "$st" = 143 ] || [ "$st" = 137 ] || [ "$st" = 124 ]; then
			why="killed after TEST_TIMEOUT=${TEST_TIMEOUT:-300} s"
		else
			why="exited with status $st"
		fi
		echo "FAIL $name: $why" | tee -a "$results.tmp"
	fi
	echo "-- $name: $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }') s"
	rm -f "$tmp"
done
if [ "$ntests" = 0 ]; then
	echo "FAIL guest tests: none found in $TESTS_DIR${TESTS:+ matching '$TESTS'}" | tee -a "$results.tmp"
fi
mv "$results.tmp" "$results"
step "$(grep -c '^PASS ' "$results") passed, $(grep -c '^FAIL ' "$results") failed, $(grep -c '^SKIP ' "$results") skipped"
! grep -q '^FAIL ' "$results"
