#!/bin/bash
# tests/t_pt_hostile_cli.sh - pt_hostile's own bad usage, on the host.
#
# pt_hostile (tests/helpers/) is the driver of the in-guest attack test
# t_kmod_hostile; here only its command line: an unknown mode or a bad -n
# is usage (exit 2, one line), numbers are decimal or 0x-hex, and without
# the module it says what it could not open.
. "$(dirname "$0")/lib.sh"

H=$ROOT/build/tests/bin/pt_hostile
if [ ! -x "$H" ]; then
	skip "pt_hostile cli: $H not built (make build-all)"
	exit 0
fi
check_err "pt_hostile cli: no mode" 2 '^pt_hostile: missing mode \(see pt_hostile -h\)$' "$H"
check_err "pt_hostile cli: x" 2 "^pt_hostile: unknown mode 'x' \(see pt_hostile -h\)$" "$H" x
check_err "pt_hostile cli: storm -n 010x" 2 "^pt_hostile: bad number '-n 010x': want 1 to 100000 \(see pt_hostile -h\)$" "$H" storm -n 010x
check_err "pt_hostile cli: storm -n 0" 2 "^pt_hostile: bad number '-n 0'" "$H" storm -n 0
check_err "pt_hostile cli: exitpid -n 0o7" 2 "^pt_hostile: bad number '-n 0o7'" "$H" exitpid -n 0o7
check_err "pt_hostile cli: cmds extra" 2 "^pt_hostile: unexpected argument 'extra' \\(see pt_hostile -h\\)$" "$H" cmds extra
if [ ! -e /proc/pagetable ]; then
	check_err "pt_hostile cli: cmds without the module" 1 '^pt_hostile: cannot open /proc/pagetable: No such file or directory$' "$H" cmds
else
	skip "pt_hostile cli: cmds without the module: /proc/pagetable exists on this host"
fi
