# tests/lib.sh - shared helpers for the shell tests (sourced, not run).
#
# Every check prints one line, "PASS name", "FAIL name: why" or
# "SKIP name: reason", which tests/run.sh counts.  ROOT is the checkout,
# BIN the built programs, TBIN the test helpers built beside them
# (build/tests/bin, build/SAN/tests/bin), TMP a scratch directory removed
# on exit.

ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${BIN:-$ROOT/build/bin}
TBIN=${TBIN:-${BIN%/bin}/tests/bin}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ptwalk-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }
skip() { echo "SKIP $*"; }

# check NAME CMD...: PASS when CMD succeeds.
check() {
	local name=$1; shift
	if "$@"; then pass "$name"; else fail "$name: '$*' failed"; fi
}

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi
}

# check_err NAME WANT_STATUS WANT_PATTERN CMD...: CMD must exit WANT_STATUS
# and print exactly one stderr line that matches the grep -E WANT_PATTERN.
check_err() {
	local name=$1 want=$2 pat=$3; shift 3
	local err=$TMP/stderr.$$ st=0
	"$@" >/dev/null 2>"$err" </dev/null || st=$?
	local n; n=$(wc -l <"$err")
	if [ "$st" != "$want" ]; then
		fail "$name: exit $st, want $want ($(head -c 200 "$err"))"
	elif [ "$n" != 1 ]; then
		fail "$name: $n stderr lines, want 1 ($(head -c 200 "$err"))"
	elif ! grep -Eq -- "$pat" "$err"; then
		fail "$name: stderr '$(cat "$err")' does not match '$pat'"
	else
		pass "$name"
	fi
}

is_root() { [ "$(id -u)" = 0 ]; }

# need_vm LABEL: end this test script with a SKIP unless a guest can boot
# here (QEMU installed, a Debian kernel with headers found by mk/kver.sh).
need_vm() {
	local why
	if ! command -v qemu-system-x86_64 >/dev/null; then
		skip "$1: qemu-system-x86_64 is not installed (make setup)"
		exit 0
	fi
	if ! why=$("$ROOT/mk/kver.sh" ${KERNEL:-} 2>&1); then
		skip "$1: $why"
		exit 0
	fi
}
