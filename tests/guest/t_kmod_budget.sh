#!/bin/sh
# tests/guest/t_kmod_budget.sh - the row budget over all open files.
#
# Each open /proc/pagetable file keeps the rows of the result it read.
# Without a cap across files, 40 opens holding `vmalloc 256M` each held
# ~485 MiB of kernel memory, enough to wake the OOM killer in a small
# guest.  The module now keeps the rows of all open files within a budget
# (parameter row_budget: 1/8 of RAM by default).  Here holders (a shell
# each, keeping its open file) run `vmalloc BUDGET_SIZE` (default 512M)
# one after the other: every one succeeds until the next one's rows would
# pass the budget, which then fails with ENOMEM and one log line, with
# row_bytes_held exactly the holders' rows; no process is killed, dmesg
# stays clean, and closing the files gives the rows back (row_bytes_held
# as before, VmallocUsed down again, a new command fits again).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"

SIZE=${BUDGET_SIZE:-512M}
kmod_loaded && rmmod ptwalk
kmod_load log_pages=0
P=/sys/module/ptwalk/parameters
if [ ! -r $P/row_budget ] || [ ! -r $P/row_bytes_held ]; then
	fail "budget: the module has no row_budget/row_bytes_held parameters"
	exit 0
fi
held() { cat $P/row_bytes_held; }
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
B=$(cat $P/row_budget)
# MemTotal is totalram_pages x 4 kB; the budget is an eighth of the pages.
check_eq "budget: row_budget is 1/8 of MemTotal's pages ($(meminfo MemTotal) kB)" "$B" $(($(meminfo MemTotal) / 4 / 8 * 4096))

PIDS=
# shellcheck disable=SC2086 # the pids, one a word
stop_holders() { [ -n "$PIDS" ] && kill $PIDS 2>/dev/null; wait 2>/dev/null; PIDS=; }
trap 'stop_holders; kmod_exit' EXIT

# hold N: a shell opens the file, writes the command once, reports ok or
# the error in $TMP/h.N, then sleeps with the file still open.
hold() {
	sh -c 'exec 3<>/proc/pagetable || exit 1
		if echo "vmalloc '"$SIZE"'" >&3 2>"$1.err"; then echo ok >"$1"; else echo fail >"$1"; fi
		exec sleep 100000' sh "$TMP/h.$1" </dev/null >/dev/null 2>&1 &
	PIDS="$PIDS $!"
	_i=0
	while [ ! -s "$TMP/h.$1" ] && [ $_i -lt 1200 ]; do sleep 0.1; _i=$((_i + 1)); done
}

kmod_cmd "kmalloc 4K" >/dev/null   # a small last result: the baseline
H0=$(held)
V0=$(meminfo VmallocUsed)
n0=$(dmesg | wc -l)
l0=$(kmod_loglines)
ok=0 got= R1= max=200
while [ $ok -lt $max ]; do
	l1=$(kmod_loglines)
	hold $((ok + 1))
	got=$(cat "$TMP/h.$((ok + 1))" 2>/dev/null)
	[ "$got" = ok ] || break
	ok=$((ok + 1))
	# The first holder's result replaced the baseline's as the last one:
	# the rows held are the holders' alone.  The budget holds B / R1 of
	# them: three more than that is no budget.
	[ $ok = 1 ] && R1=$(held) && [ "$R1" -gt 0 ] && max=$((B / R1 + 3))
	if [ "$(held)" != $((ok * R1)) ]; then
		fail "budget: after $ok holders row_bytes_held is $(held), want $ok x $R1"
		break
	fi
done
Hk=$(held)
l2=$(kmod_loglines)
line=$(dmesg | grep '\] ptwalk: ' | tail -n 1 | sed 's/^\[[^]]*\] //')
echo "budget: $ok holders of vmalloc $SIZE ($R1 bytes of rows each) in a budget of $B; then: $line"
if [ "$got" != fail ]; then
	fail "budget: $ok opens of vmalloc $SIZE all succeeded: no budget ($Hk bytes of rows held, budget $B)"
else
	check_eq "budget: holder $((ok + 1)) fails with ENOMEM" \
		"$(grep -c 'Cannot allocate memory' "$TMP/h.$((ok + 1)).err")" 1
	check_eq "budget: one log line for the refusal" $((l2 - l1)) 1
	# "vmalloc N: its rows need R bytes, H of the row budget of B are held"
	need=$(echo "$line" | sed -n 's/.*its rows need \([0-9]*\) bytes, \([0-9]*\) of the row budget of \([0-9]*\) .*/\1 \2 \3/p')
	set -- $need
	check_eq "budget: the log line says the held rows and the budget" "${2:-}:${3:-}" "$Hk:$B"
	# A refusal needs R >= R1 (the check counts a page more than the rows
	# of a page-aligned vmalloc, for a start mid-page); the holder before
	# it passed the same check with Hk - R1 held.
	if [ -n "${1:-}" ] && [ $(($2 + $1)) -gt "$B" ] && [ $((Hk - R1 + $1)) -le "$B" ] && [ "$Hk" -le "$B" ]; then
		pass "budget: refused just past the budget: $2 held + $1 needed > $B >= $((Hk - R1)) + $1"
	else
		fail "budget: refusal not at the budget: need '${1:-}', held $Hk, one result $R1, budget $B"
	fi
	[ $ok -ge 2 ] && pass "budget: $ok holders before the refusal" || fail "budget: only $ok holders before the refusal"
fi
dead=0
for p in $PIDS; do kill -0 "$p" 2>/dev/null || dead=$((dead + 1)); done
check_eq "budget: holders killed" $dead 0
dmesg | tail -n +$((n0 + 1)) >"$TMP/dmesg.new"
if grep -nEiw 'oom-killer|Out of memory|Killed process|Call Trace|WARNING|BUG' "$TMP/dmesg.new" >"$TMP/bad"; then
	fail "budget: dmesg clean: $(head -n 3 "$TMP/bad" | sed 's/^[0-9]*:\[[^]]*\] //' | tr '\n' ' ')"
else
	pass "budget: dmesg clean ($((l2 - l0)) ptwalk lines, no OOM killer)"
fi

# Closing the files gives the rows back.
stop_holders
kmod_cmd "kmalloc 4K" >/dev/null   # replaces the last result, the last holder's
check_eq "budget: row_bytes_held after the files are closed" "$(held)" "$H0"
V1=$(meminfo VmallocUsed)
if [ -n "$R1" ] && [ $(((V1 - V0) * 1024)) -lt "$R1" ]; then
	pass "budget: VmallocUsed back from the holders' rows: $V0 -> $V1 kB"
else
	fail "budget: VmallocUsed $V0 -> $V1 kB after the close (one result's rows: ${R1:-?} bytes)"
fi
check_eq "budget: vmalloc $SIZE fits again" "$(kmod_cmd "vmalloc $SIZE")" ok
kmod_cmd "kmalloc 4K" >/dev/null
