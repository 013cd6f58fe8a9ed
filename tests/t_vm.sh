#!/bin/bash
# tests/t_vm.sh - boot the guest with the test plan and relay its results.
#
# Runs `vm/run.sh test DIR` with SLUB_DEBUG=1 for each paging mode in
# T_VM_PAGING (default "4 5"; set T_VM_PAGING=4 to save a boot), relays the
# in-guest PASS/FAIL/SKIP lines from DIR/results.txt with a "pN " prefix,
# and adds its own checks: the guest booted, the plan's status is 0, the
# full dmesg came back and is clean, the console is clean, and the paging
# mode is the one asked for.  DIR is build/vm/test-pN, kept for reading
# after a failure.  Then, unless T_VM_SELFTEST=0, it checks that run.sh
# itself reports a plan's faults (plan selftest, booted the quick PVH way)
# and that TARGET=host explains itself where modules cannot be loaded.
. "$(dirname "$0")/lib.sh"

BADPAT='BUG|WARNING|Oops|general protection|Call Trace'

need_vm "vm"

for p in ${T_VM_PAGING:-4 5}; do
	dir=$ROOT/build/vm/test-p$p
	rm -rf "$dir"
	mkdir -p "$dir"
	st=0
	PAGING=$p SLUB_DEBUG=1 VM_TIMEOUT=${VM_TEST_TIMEOUT:-900} TARGET=vm \
		"$ROOT/vm/run.sh" test "$dir" >"$TMP/run.out" 2>"$TMP/run.err" || st=$?
	grep -E '^(accel|boot|total):' "$TMP/run.out" | sed "s/^/p$p /"

	if [ -f "$dir/results.txt" ]; then
		sed -E "s/^(PASS|FAIL|SKIP) /\1 p$p /" "$dir/results.txt"
		n=$(grep -cE '^(PASS|FAIL|SKIP) ' "$dir/results.txt")
		if [ "$n" -gt 0 ]; then pass "p$p results: $n in-guest checks"; else fail "p$p results: results.txt is empty"; fi
	else
		fail "p$p results: no results.txt in $dir"
	fi

	if [ -f "$dir/started" ]; then
		pass "p$p guest booted (plan started at guest uptime $(cat "$dir/started") s)"
	else
		fail "p$p guest booted: the plan never started (see $dir/console.log)"
	fi
	check_eq "p$p status 0" "$(cat "$dir/status" 2>/dev/null || echo missing)" 0

	# The whole log, from the kernel's first line, must have come back.
	if [ ! -s "$dir/dmesg.txt" ]; then
		fail "p$p dmesg clean: no dmesg.txt"
	# x86-64's first line is "Linux version", arm64's "Booting Linux on physical CPU".
	elif ! head -n 1 "$dir/dmesg.txt" | grep -Eq '^\[ *0\.000000\] (Linux version|Booting Linux on physical CPU)'; then
		fail "p$p dmesg clean: dmesg.txt does not start at boot: $(head -c 120 "$dir/dmesg.txt")"
	elif grep -nEw "$BADPAT" "$dir/dmesg.txt" >"$TMP/bad"; then
		fail "p$p dmesg clean: $(head -n 3 "$TMP/bad" | tr '\n' ' ')"
	else
		pass "p$p dmesg clean ($(wc -l <"$dir/dmesg.txt") lines)"
	fi
	if grep -nEw "$BADPAT" "$dir/console.log" >"$TMP/bad" 2>/dev/null; then
		fail "p$p console clean: $(head -n 3 "$TMP/bad" | tr '\n' ' ')"
	else
		check "p$p console clean" test -s "$dir/console.log"
	fi

	want=no
	[ "$p" = 5 ] && want=yes
	if [ "${KERNEL:-}" = arm64 ]; then
		skip "p$p la57 active: an x86-64 flag; tests/t_vm_arm64.sh checks arm64's levels"
	elif [ -f "$dir/cpuinfo.txt" ]; then
		got=no
		grep -qw la57 "$dir/cpuinfo.txt" && got=yes
		check_eq "p$p la57 active" "$got" "$want"
	else
		fail "p$p la57 active: no cpuinfo.txt from the guest"
	fi

	if [ -f "$dir/started" ] && [ -f "$dir/finished" ]; then
		echo "p$p suite: $(awk -v a="$(cat "$dir/started")" -v b="$(cat "$dir/finished")" \
			'BEGIN { printf "%.1f", b - a }') s in the guest"
	fi
	if [ "$st" = 0 ]; then
		pass "p$p vm/run.sh"
	else
		fail "p$p vm/run.sh: exit $st: $(grep -v '^  ' "$TMP/run.err" | head -n 3 | tr '\n' ' ')"
	fi
done

# run.sh's own checks, on a plan that misbehaves on purpose.
selftest() {	# NAME SELFTEST WANT_EXIT WANT_STDERR_ERE [ENV...]
	local name=$1 what=$2 want=$3 pat=$4 dir=$ROOT/build/vm/selftest-$2 st=0
	shift 4
	env "$@" VM_BOOT=pvh PAGING=4 TARGET=vm PLAN_ENV="SELFTEST=$what" \
		"$ROOT/vm/run.sh" selftest "$dir" >"$TMP/st.out" 2>"$TMP/st.err" || st=$?
	if [ "$st" != "$want" ]; then
		fail "$name: run.sh exit $st, want $want ($(head -c 200 "$TMP/st.err"))"
	elif [ -n "$pat" ] && ! grep -Eq -- "$pat" "$TMP/st.err"; then
		fail "$name: run.sh said '$(head -c 200 "$TMP/st.err")', want /$pat/"
	else
		pass "$name ($(grep '^total:' "$TMP/st.out"))"
	fi
}
if [ "${T_VM_SELFTEST:-1}" = 1 ]; then
	selftest "vm run.sh fails on a WARNING in dmesg" warn 1 'dmesg.txt:.*WARNING: selftest'
	selftest "vm run.sh fails on a plan's exit status" fail 1 'exited with status 3'
	selftest "vm guest watchdog ends a hung plan" hang 1 'exited with status 124' PLAN_TIMEOUT=3
	selftest "vm leftover plan processes do not hang the guest" leftover 0 '' VM_TIMEOUT=120
fi

if [ -e /proc/modules ] && [ -d "/lib/modules/$(uname -r)/build" ] && is_root; then
	skip "vm host target explains: this host can load modules"
else
	check_err "vm host target explains why not" 1 '^vm/run.sh: TARGET=host cannot run here: .+; use TARGET=vm$' \
		env TARGET=host "$ROOT/vm/run.sh" test "$TMP/host"
fi
check_err "vm run.sh rejects PAGING=3" 1 'PAGING must be 4 or 5' env PAGING=3 "$ROOT/vm/run.sh" test "$TMP/p3"
check_err "vm run.sh usage" 2 '^usage: vm/run.sh PLAN OUTDIR' "$ROOT/vm/run.sh" test
check_err "vm run.sh unknown plan" 1 "no plan 'nosuch'" "$ROOT/vm/run.sh" nosuch "$TMP/ns"
# PLAN_ENV is checked before anything is built or booted.
check_err "vm run.sh PLAN_ENV value with a space" 1 "^vm/run.sh: PLAN_ENV entry '64K' is not NAME=VALUE \(entries are split at spaces: write a list with commas" \
	env PAGING=4 PLAN_ENV="SIZES=4K 64K" "$ROOT/vm/run.sh" test "$TMP/pe1"
check_err "vm run.sh PLAN_ENV bad name" 1 "^vm/run.sh: PLAN_ENV name 'A-B' is not a shell variable name$" \
	env PAGING=4 PLAN_ENV="A-B=1" "$ROOT/vm/run.sh" test "$TMP/pe2"
check_eq "vm run.sh bad PLAN_ENV made no OUTDIR" "$(ls -d "$TMP/pe1" "$TMP/pe2" 2>/dev/null)" ""
