#!/bin/bash
# tests/t_progs.sh - every program in build/bin and the test drivers, on the host under $WRAP.
#
# `make asan`, `make ubsan` and `make leakcheck` repeat the host tests
# with sanitized programs or under valgrind; this test makes sure that
# covers every program, including those whose real work needs ptwalk.ko
# (pfn_ioctl, ioctl_stress, soak_xlate: their argument parsing, error
# paths and, with a device that is not ptwalk's, their set-up and
# clean-up) and fragment (a small real run).  ioctl_stress and soak_xlate
# are test drivers in $TBIN (build/tests/bin).  Each program must
# answer -h with its usage on stdout, an unknown option with exit 2 and
# one stderr line; then the bad inputs below, each with its exit status
# and message.  A program added to build/bin without a case here fails.
. "$(dirname "$0")/lib.sh"

W=${WRAP:-}

# help_and_badopt DIR PROG: -h exits 0 with "Usage" on stdout, nothing on
# stderr; --no-such-option exits 2 with one stderr line naming PROG.
help_and_badopt() {
	local d=$1 p=$2 st=0
	$W "$d/$p" -h >"$TMP/h.out" 2>"$TMP/h.err" </dev/null || st=$?
	if [ "$st" = 0 ] && grep -q '^Usage' "$TMP/h.out" && [ ! -s "$TMP/h.err" ]; then
		pass "$p -h: usage on stdout, exit 0"
	else
		fail "$p -h: exit $st, stdout '$(head -c 60 "$TMP/h.out")', stderr '$(head -c 200 "$TMP/h.err")'"
	fi
	check_err "$p --no-such-option" 2 "^$p: " $W "$d/$p" --no-such-option
}

known="memalloc pagemap_reader prober pfn_ioctl fragment analyze"
drivers="ioctl_stress soak_xlate"
for f in "$BIN"/*; do
	p=${f##*/}
	case " $known " in
	*" $p "*) ;;
	*) fail "t_progs: $p is in $BIN but has no case here (add its bad inputs)" ;;
	esac
done

for p in $known; do
	if [ ! -x "$BIN/$p" ]; then
		fail "$p: not built in $BIN"
		continue
	fi
	# prober takes no options: any argument is its buffer size.
	[ "$p" = prober ] || help_and_badopt "$BIN" "$p"
done
for p in $drivers; do
	if [ ! -x "$TBIN/$p" ]; then
		fail "$p: not built in $TBIN"
		continue
	fi
	help_and_badopt "$TBIN" "$p"
done

# One wording for a bad option in every program that takes options
# (collect/cli.c's cli_bad_option): an unknown one, and one without its
# value, short and long.
for pv in memalloc:-o:--output pagemap_reader:-r:--range pfn_ioctl:-d:--device fragment:-p:--percent analyze:-o:--outdir; do
	IFS=: read -r p s l <<<"$pv"
	check_err "$p: unknown option, the shared wording" 2 \
		"^$p: unknown option '--no-such-option' \\(see $p -h\\)\$" $W "$BIN/$p" --no-such-option
	check_err "$p $s without a value" 2 "^$p: option '$s' needs a value \\(see $p -h\\)\$" $W "$BIN/$p" "$s"
	check_err "$p $l without a value" 2 "^$p: option '$l' needs a value \\(see $p -h\\)\$" $W "$BIN/$p" "$l"
done

# ---- pfn_ioctl: everything short of a loaded module ----
check_err "pfn_ioctl: no arguments" 2 "^pfn_ioctl: missing PID" $W "$BIN/pfn_ioctl"
check_err "pfn_ioctl: bad PID" 2 "^pfn_ioctl: bad PID 'x'" $W "$BIN/pfn_ioctl" x 1
check_err "pfn_ioctl: no VPN" 2 "^pfn_ioctl: missing VPN" $W "$BIN/pfn_ioctl" 1
check_err "pfn_ioctl: no device" 1 "^pfn_ioctl: cannot open $TMP/nodev: No such file" \
	$W "$BIN/pfn_ioctl" -d "$TMP/nodev" $$ 0x10
check_err "pfn_ioctl: a device that is not ptwalk's" 1 "^pfn_ioctl: .*(Inappropriate ioctl|ENOTTY)" \
	$W "$BIN/pfn_ioctl" -d /dev/null $$ 0x10

# ---- ioctl_stress: the helpers that need no module ----
check_err "ioctl_stress: no subcommand" 2 "^ioctl_stress: missing subcommand" $W "$TBIN/ioctl_stress"
check_err "ioctl_stress: unknown subcommand" 2 "^ioctl_stress: unknown subcommand 'bogus'" \
	$W "$TBIN/ioctl_stress" bogus
check_err "ioctl_stress fuzz: no device" 1 "^ioctl_stress: cannot open /dev/ptwalk" \
	$W "$TBIN/ioctl_stress" fuzz -n 10
: >"$TMP/cmdfile"
out=$($W "$TBIN/ioctl_stress" cmd "kmalloc 64K" "$TMP/cmdfile" 2>"$TMP/err")
check_eq "ioctl_stress cmd: one write of the command to a file" \
	"$out/$(cat "$TMP/cmdfile")" "ok/kmalloc 64K"
check_eq "ioctl_stress cmd: a missing file is ENOENT" \
	"$($W "$TBIN/ioctl_stress" cmd "kmalloc" "$TMP/missing/x" 2>&1)" "ENOENT"
if is_root; then
	: >"$TMP/private"; chmod 600 "$TMP/private"
	check_eq "ioctl_stress open-as 65534: a 0600 root file is EACCES" \
		"$($W "$TBIN/ioctl_stress" open-as 65534 "$TMP/private" 2>/dev/null)" "EACCES"
else
	skip "ioctl_stress open-as: needs root to change user"
fi

# ---- soak_xlate: up to the first ioctl ----
check_err "soak_xlate: bad count" 2 "^soak_xlate: bad number of calls 'x'" $W "$TBIN/soak_xlate" -n x
check_err "soak_xlate: stray argument" 2 "^soak_xlate: unexpected argument 'extra'" \
	$W "$TBIN/soak_xlate" extra
check_err "soak_xlate: no device" 1 "^soak_xlate: cannot open $TMP/nodev: No such file" \
	$W "$TBIN/soak_xlate" -d "$TMP/nodev"
if is_root; then
	# Forks the churning child, reads its pagemap, then fails at
	# IOCTL_SET_PID and must kill and reap the child.
	check_err "soak_xlate: a device that is not ptwalk's" 1 \
		"^soak_xlate: IOCTL_SET_PID [0-9]+: Inappropriate ioctl" $W "$TBIN/soak_xlate" -d /dev/null
else
	skip "soak_xlate with a stand-in device: reading the child's PFNs needs root"
fi

# ---- fragment: bad input, then a small real run ----
check_err "fragment -p 0" 2 "^fragment: bad percentage '-p 0'" $W "$BIN/fragment" -p 0
check_err "fragment -p 101" 2 "^fragment: bad percentage '-p 101'" $W "$BIN/fragment" -p 101
check_err "fragment --pattern stride:3" 2 "^fragment: .*stride" \
	$W "$BIN/fragment" -p 1 --pattern stride:3
# Keep the run small by reserving all but about 24 MiB of what is free
# now, less a margin for what valgrind itself takes before fragment reads
# MemFree (without it the reserve can exceed what is left: a false FAIL).
free_kb=$(awk '/^MemFree:/ { print $2 }' /proc/meminfo)
reserve=$(( free_kb / 1024 - 24 - 256 ))
if [ "$reserve" -gt 64 ]; then
	st=0
	$W "$BIN/fragment" -p 100 --reserve "${reserve}M" --pattern random --seed 3 -q \
		</dev/null >"$TMP/frag.out" 2>"$TMP/frag.err" || st=$?
	if [ "$st" = 0 ] && grep -Eq '^holding [0-9]+ pages' "$TMP/frag.out"; then
		pass "fragment -p 100 --reserve ${reserve}M: $(head -n 1 "$TMP/frag.out")"
	else
		fail "fragment: exit $st, '$(head -c 200 "$TMP/frag.out")' '$(head -c 300 "$TMP/frag.err")'"
	fi
else
	skip "fragment run: less than 88 MiB free"
fi
exit 0
