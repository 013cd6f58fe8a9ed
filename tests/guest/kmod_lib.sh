# tests/guest/kmod_lib.sh - helpers for the t_kmod*.sh guest tests (sourced).
#
# kmod_load loads ptwalk.ko ($PTWALK_KO) when it is not loaded, and then
# unloads it when the test exits, so each test leaves the module as it
# found it.  Also:
#   kmod_cmd CMD            write CMD to /proc/pagetable in one write and
#                           print ok or the errno name (ioctl_stress cmd)
#   kmod_read FILE          the current result of /proc/pagetable to FILE
#   kmod_loglines           how many "ptwalk: " lines the kernel log holds
#   kmod_bad NAME CMD ERR   CMD must fail with ERR and add one log line
# Column numbers of the samples CSV: see ptwalk_csv.h (va 6, pa 7, ...).

kmod_loaded() { grep -q '^ptwalk ' /proc/modules; }

KMOD_MINE=0
# kmod_exit: what the test's EXIT trap runs (tests/lib.sh's cleanup too).
kmod_exit() {
	[ "$KMOD_MINE" = 1 ] && kmod_loaded && rmmod ptwalk
	rm -rf "$TMP"
}
trap kmod_exit EXIT

kmod_load() {
	kmod_loaded && return 0
	KMOD_MINE=1
	if [ ! -f "${PTWALK_KO:-}" ]; then
		fail "kmod load: no module at PTWALK_KO='${PTWALK_KO:-}'"
		exit 1
	fi
	insmod "$PTWALK_KO" "$@" || { fail "kmod load: insmod $PTWALK_KO failed"; exit 1; }
}

kmod_cmd() { "$BIN/ioctl_stress" cmd "$1"; }
kmod_read() { cat /proc/pagetable >"$1"; }
kmod_loglines() { dmesg | grep -c '\] ptwalk: '; }

kmod_bad() {
	_n0=$(kmod_loglines)
	_got=$(kmod_cmd "$2")
	_n1=$(kmod_loglines)
	if [ "$_got" = "$3" ] && [ $((_n1 - _n0)) = 1 ]; then
		pass "$1: $3 and one log line ($(dmesg | grep '\] ptwalk: ' | tail -n 1 | sed 's/^\[[^]]*\] //'))"
	else
		fail "$1: got $_got and $((_n1 - _n0)) log lines, want $3 and 1"
	fi
}

# wait_ready FILE PID: wait (up to 120 s) for "ready" in FILE from PID.
wait_ready() {
	_i=0
	while ! grep -q '^ready' "$1" 2>/dev/null; do
		kill -0 "$2" 2>/dev/null || return 1
		_i=$((_i + 1))
		[ $_i -gt 1200 ] && return 1
		sleep 0.1
	done
}
