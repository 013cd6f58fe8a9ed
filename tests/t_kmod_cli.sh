#!/bin/bash
# tests/t_kmod_cli.sh - pfn_ioctl and ioctl_stress usage on the host.
#
# The host cannot load ptwalk.ko, so this checks what needs no module:
# help, usage errors (exit 2, one stderr line; --batch and --range too)
# and the one-line error when the device is missing (exit 1).  The real translations are checked in
# the guest (tests/guest/t_kmod*.sh).
. "$(dirname "$0")/lib.sh"

P=$BIN/pfn_ioctl
if [ ! -x "$P" ]; then
	skip "pfn_ioctl: not built"
	exit 0
fi
$WRAP "$P" -h >"$TMP/h" 2>&1
check_eq "pfn_ioctl -h exits 0" "$?" 0
check "pfn_ioctl -h has EXAMPLES" grep -q '^Examples:' "$TMP/h"
check_err "pfn_ioctl no arguments" 2 'missing PID' $WRAP "$P"
check_err "pfn_ioctl bad PID" 2 "bad PID 'abc'" $WRAP "$P" abc 1
check_err "pfn_ioctl PID 0" 2 "bad PID '0'" $WRAP "$P" 0 1
check_err "pfn_ioctl missing VPN" 2 'missing VPN' $WRAP "$P" 1
check_err "pfn_ioctl bad option" 2 "^pfn_ioctl: unknown option '--frob' \(see pfn_ioctl -h\)$" $WRAP "$P" --frob 1 2
check_err "pfn_ioctl --range no START" 2 '^pfn_ioctl: missing START \(see pfn_ioctl -h\)$' $WRAP "$P" --range 1
check_err "pfn_ioctl --range COUNT 0" 2 "^pfn_ioctl: bad COUNT '0': want a number of pages, 1 or more \(see pfn_ioctl -h\)$" \
	$WRAP "$P" --range 1 5 0
check_err "pfn_ioctl --range COUNT zz" 2 "^pfn_ioctl: bad COUNT 'zz'" $WRAP "$P" -r 1 5 zz
check_err "pfn_ioctl --range START zz" 2 "^pfn_ioctl: START 'zz' is not a number" $WRAP "$P" -r 1 zz 5
check_err "pfn_ioctl --range extra argument" 2 '^pfn_ioctl: --range takes PID START COUNT \(see pfn_ioctl -h\)$' \
	$WRAP "$P" --range 1 5 6 7
check_err "pfn_ioctl --range past the last VPN" 2 '^pfn_ioctl: --range 0xffffffffffffffff 2 goes past the last VPN' \
	$WRAP "$P" --range 1 0xffffffffffffffff 2
check_err "pfn_ioctl --batch with --explain" 2 '^pfn_ioctl: --batch translates VPNs, not with --explain' \
	$WRAP "$P" --explain --batch 1 2
check_err "pfn_ioctl --batch no device" 1 "cannot open $TMP/none: No such file or directory" \
	$WRAP "$P" -B -d "$TMP/none" 1 2
check_err "pfn_ioctl --range not a ptwalk device" 1 "PID 1: Inappropriate ioctl" \
	$WRAP "$P" -d /dev/null --range 1 2 3
check_err "pfn_ioctl no device" 1 "cannot open $TMP/none: No such file or directory" \
	$WRAP "$P" -d "$TMP/none" 1 2
: >"$TMP/notdev"
check_err "pfn_ioctl not a ptwalk device" 1 "PID 1: Inappropriate ioctl" \
	$WRAP "$P" -d "$TMP/notdev" 1 2

S=$TBIN/ioctl_stress
if [ -x "$S" ]; then
	$WRAP "$S" -h >/dev/null 2>&1
	check_eq "ioctl_stress -h exits 0" "$?" 0
	check_err "ioctl_stress no subcommand" 2 'missing subcommand' $WRAP "$S"
	check_err "ioctl_stress bad subcommand" 2 "unknown subcommand 'x'" $WRAP "$S" x
	check_eq "ioctl_stress cmd on a missing file" "$($WRAP "$S" cmd kmalloc "$TMP/none")" ENOENT
fi
