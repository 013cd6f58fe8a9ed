#!/bin/bash
# tests/t_numbers.sh - numbers on command lines are decimal or 0x-hex, never octal.
#
# Issue 11, item 5, on the host: every program that reads a number takes
# it with cli_parse_u64() (collect/cli.c), so "010" is ten, "08" is eight
# (base 0 would read the first as 8 and refuse the second), "0x10" is
# sixteen, and a sign, a stray suffix or "0o7" is bad usage.  The module's
# side (`alloc_pages 010`, `pid 0N`, parameters) is tested in the guest by
# tests/guest/t_kmod_robust.sh.
. "$(dirname "$0")/lib.sh"

W=${WRAP:-}

GEN=$BIN/../bench/gen_samples
[ -x "$GEN" ] || GEN=$ROOT/build/bench/gen_samples
if [ -x "$GEN" ]; then
	check_eq "numbers: gen_samples 010 writes 10 rows" "$($W "$GEN" 010 | tail -n +2 | wc -l)" 10
	check_eq "numbers: gen_samples 0x10 writes 16 rows" "$($W "$GEN" 0x10 | tail -n +2 | wc -l)" 16
	check_err "numbers: gen_samples 0o7" 2 '^usage: gen_samples ROWS' $W "$GEN" 0o7
	check_err "numbers: gen_samples 8 +4" 2 '^usage: gen_samples ROWS' $W "$GEN" 8 +4
else
	skip "numbers: gen_samples: $GEN not built"
fi

# Accepted numbers get as far as the next error: the device or -p.
check_err "numbers: soak_xlate -n 08 is 8" 1 '^soak_xlate: IOCTL_SET_PID [0-9]+: Inappropriate ioctl for device$' \
	$W "$TBIN/soak_xlate" -n 08 -d /dev/null
check_err "numbers: soak_xlate -s 0x1f is a seed" 1 '^soak_xlate: IOCTL_SET_PID [0-9]+: Inappropriate ioctl for device$' \
	$W "$TBIN/soak_xlate" -n 1 -s 0x1f -d /dev/null
check_err "numbers: soak_xlate -n 0o7" 2 "^soak_xlate: bad number of calls '0o7'$" $W "$TBIN/soak_xlate" -n 0o7
check_err "numbers: soak_xlate -s -1" 2 "^soak_xlate: bad seed '-1'$" $W "$TBIN/soak_xlate" -s -1
check_err "numbers: fragment --seed 08 is 8" 2 "^fragment: bad percentage '-p 0'" $W "$BIN/fragment" --seed 08 -p 0
check_err "numbers: fragment --seed 0x" 2 "^fragment: bad seed '0x'" $W "$BIN/fragment" --seed 0x -p 10
check_err "numbers: fragment --seed ' 7'" 2 "^fragment: bad seed ' 7'" $W "$BIN/fragment" --seed ' 7' -p 10
check_err "numbers: ioctl_stress fuzz -n 1x" 2 "^ioctl_stress: bad number of calls '-n 1x' \(see ioctl_stress -h\)$" \
	$W "$TBIN/ioctl_stress" fuzz -n 1x
check_err "numbers: ioctl_stress exitrace -n 0" 2 "^ioctl_stress: bad number of rounds '-n 0'" \
	$W "$TBIN/ioctl_stress" exitrace -n 0
check_err "numbers: pfn_ioctl PID 0x" 2 "^pfn_ioctl: bad PID '0x' \\(see pfn_ioctl -h\\)$" $W "$BIN/pfn_ioctl" 0x 1
check_err "numbers: pfn_ioctl PID +5" 2 "^pfn_ioctl: bad PID '\+5' \\(see pfn_ioctl -h\\)$" $W "$BIN/pfn_ioctl" +5 1
check_err "numbers: pfn_ioctl PID 010 parses" 1 "^pfn_ioctl: cannot open $TMP/nodev" $W "$BIN/pfn_ioctl" -d "$TMP/nodev" 010 1

# The test-only helpers (tests/helpers/) parse the same way; they are
# static programs of the plain build, so never under $WRAP.
TB=$ROOT/build/tests/bin
if [ -x "$TB/pt_race" ]; then
	check_err "numbers: pt_race x" 2 "^pt_race: unknown mode 'x': want threads, fork or large \(see pt_race -h\)$" "$TB/pt_race" x
	check_err "numbers: pt_race threads -n 010x" 2 "^pt_race: bad number of rounds '-n 010x'" "$TB/pt_race" threads -n 010x
else
	skip "numbers: pt_race: $TB/pt_race not built"
fi
if [ -x "$TB/ioctl32" ] && "$TB/ioctl32" >/dev/null 2>&1; [ $? = 2 ]; then
	check_err "numbers: ioctl32 usage" 2 '^usage: ioctl32 \[-B\] PID VPN\.\.\. \| ioctl32 self \[N\]$' "$TB/ioctl32"
	check_err "numbers: ioctl32 PID 0o1" 2 "^ioctl32: bad PID '0o1'$" "$TB/ioctl32" 0o1 1
else
	skip "numbers: ioctl32: not built, or this host cannot run 32-bit programs"
fi
