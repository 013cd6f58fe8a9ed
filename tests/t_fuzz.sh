#!/bin/bash
# tests/t_fuzz.sh - every libFuzzer target (tests/fuzz/) for a few seconds.
#
# Builds the targets (make fuzz-build: clang, into build/fuzz/) and runs
# each for FUZZ_T seconds (default 3) through tests/fuzz/run.sh, which
# prints one PASS line with the number of executions or one FAIL line
# with the crashing input's path.  `make fuzz FUZZ_S=N` is the long run.
# The targets carry their own ASan and UBSan, so the sanitizer and
# valgrind repeats of the host tests (SAN or WRAP set) skip this.
. "$(dirname "$0")/lib.sh"

if [ -n "${SAN:-}${WRAP:-}" ]; then
	skip "fuzz: the targets have their own sanitizers; run by the plain make test"
	exit 0
fi
if ! command -v clang >/dev/null 2>&1; then
	skip "fuzz: no clang (mk/setup.sh installs clang and libclang-rt-14-dev)"
	exit 0
fi
if ! make -C "$ROOT" --no-print-directory fuzz-build >"$TMP/build.log" 2>&1; then
	fail "fuzz: make fuzz-build failed: $(grep -m 1 -E 'error|Error' "$TMP/build.log")"
	exit 1
fi
for t in $(make -C "$ROOT" --no-print-directory -s fuzz-list); do
	"$ROOT/tests/fuzz/run.sh" "$t" "${FUZZ_T:-3}"
done
