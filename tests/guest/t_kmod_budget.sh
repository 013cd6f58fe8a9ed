#!/bin/sh
# tests/guest/t_kmod_budget.sh - what open files hold, bounded over all of them.
#
# Open files hold two things.  Allocations: each open file that wrote an
# allocator's command keeps its allocation until its next command or its
# close, so many holders could take all memory; each allocation passes
# ptw_mem_fits() (what MemAvailable leaves, less a reserve and the CMA
# areas, which MemAvailable counts but a vmalloc never gets) when it is
# made.  Here holders (a shell each, keeping its open file) run `vmalloc
# BUDGET_SIZE` (default 512M) one after the other: all succeed until the
# next would leave less than the reserve, which fails with ENOMEM and one
# log line naming the pages it needs, what is available and the reserve;
# no process is killed, dmesg stays clean, and closing the files frees the
# allocations (VmallocUsed as before, a new command fits again).  Rows:
# an allocator's rows are walked one at a time as read, so only a `pid`
# reader's batch is held, out of the row budget (row_budget: 1/8 of RAM
# by default).  With row_budget=150000 (three batches of 512 rows, not
# four), holders that write `pid` and read keep one batch each: exactly
# budget / batch of them succeed, the next read fails with ENOMEM and one
# log line, row_bytes_held is the holders' batches exactly, and closing
# the files gives them back.
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
# MemTotal is totalram_pages x 4 kB; the budget is an eighth of the pages.
check_eq "budget: row_budget is 1/8 of MemTotal's pages ($(meminfo MemTotal) kB)" "$(cat $P/row_budget)" $(($(meminfo MemTotal) / 4 / 8 * 4096))

PIDS=
# shellcheck disable=SC2086 # the pids, one a word
stop_holders() { [ -n "$PIDS" ] && kill $PIDS 2>/dev/null; wait 2>/dev/null; PIDS=; }
trap 'stop_holders; kmod_exit' EXIT

# hold N CMD [READ]: a shell opens the file, writes CMD once (and with
# READ, reads 4 blocks of its rows back through the same file), reports
# ok or the error in $TMP/h.N, then sleeps with the file still open.
hold() {
	sh -c 'exec 3<>/proc/pagetable || exit 1
		c=$2; [ "$2" = pid ] && c="pid $$"
		if echo "$c" >&3 2>"$1.err" && { [ -z "$3" ] || dd bs=4096 count=4 <&3 >/dev/null 2>>"$1.err"; }
		then echo ok >"$1"; else echo fail >"$1"; fi
		exec sleep 100000' sh "$TMP/h.$1" "$2" "${3:-}" </dev/null >/dev/null 2>&1 &
	PIDS="$PIDS $!"
	_i=0
	while [ ! -s "$TMP/h.$1" ] && [ $_i -lt 1200 ]; do sleep 0.1; _i=$((_i + 1)); done
}
lastline() { dmesg | grep '\] ptwalk: ' | tail -n 1 | sed 's/^\[[^]]*\] //'; }
dmesg_clean() {
	dmesg | tail -n +$((n0 + 1)) >"$TMP/dmesg.new"
	if grep -nEiw 'oom-killer|Out of memory|Killed process|Call Trace|WARNING|BUG' "$TMP/dmesg.new" >"$TMP/bad"; then
		fail "budget $1: dmesg clean: $(head -n 3 "$TMP/bad" | sed 's/^[0-9]*:\[[^]]*\] //' | tr '\n' ' ')"
	else
		pass "budget $1: dmesg clean (no OOM killer)"
	fi
	dead=0
	for p in $PIDS; do kill -0 "$p" 2>/dev/null || dead=$((dead + 1)); done
	check_eq "budget $1: holders killed" $dead 0
}

# --- allocations held by open files: ptw_mem_fits --------------------------
kmod_cmd "kmalloc 4K" >/dev/null
V0=$(meminfo VmallocUsed)
n0=$(dmesg | wc -l)
ok=0 got=
while [ $ok -lt 16 ]; do
	l1=$(kmod_loglines)
	hold $((ok + 1)) "vmalloc $SIZE"
	got=$(cat "$TMP/h.$((ok + 1))" 2>/dev/null)
	[ "$got" = ok ] || break
	ok=$((ok + 1))
done
l2=$(kmod_loglines)
line=$(lastline)
cma=$(meminfo CmaTotal)   # empty: a kernel without CMA
cmatxt=${cma:+CmaTotal $cma kB, CmaFree $(meminfo CmaFree) kB}
echo "budget: $ok holders of vmalloc $SIZE; then: $line (${cmatxt:-no CMA})"
if [ "$got" != fail ]; then
	fail "budget: $ok opens of vmalloc $SIZE all succeeded in a $(meminfo MemTotal) kB guest"
else
	check_eq "budget: holder $((ok + 1)) fails with ENOMEM" \
		"$(grep -c 'Cannot allocate memory' "$TMP/h.$((ok + 1)).err")" 1
	# The log line written by the module, which this test only reads:
	# "vmalloc N: needs P pages, A available less R kept in reserve".
	need=$(echo "$line" | sed -n 's/.*: needs \([0-9]*\) pages, \([0-9]*\) available less \([0-9]*\) kept in reserve$/\1 \2 \3/p')
	set -- $need
	if [ $((l2 - l1)) = 1 ] && [ -n "${3:-}" ] && [ $(($1 + $3)) -gt "$2" ]; then
		pass "budget: one log line, refused for memory: $1 pages needed + $3 reserve > $2 available"
		# The reserve: 1/32 of RAM (at least 16 MiB) and the CMA areas,
		# which MemAvailable counts but no unmovable allocation gets
		# (Debian's arm64 kernel has 64 MiB; without them a vmalloc
		# that passed the check failed in the kernel instead).
		r=$(($(meminfo MemTotal) / 4 / 32))
		[ $r -lt 4096 ] && r=4096
		check_eq "budget: the reserve is 1/32 of RAM and CmaTotal (${cma:-no CMA}${cma:+ kB})" "$3" $((r + ${cma:-0} / 4))
	else
		fail "budget: refusal: $((l2 - l1)) log lines, '$line'"
	fi
	[ $ok -ge 2 ] && pass "budget: $ok holders of vmalloc $SIZE, each its own allocation, before the refusal" ||
		fail "budget: only $ok holders of vmalloc $SIZE before the refusal"
	g=$(( ($(meminfo VmallocUsed) - V0) / 1024 ))
	if [ "$g" -ge $((${SIZE%M} * ok)) ] && [ "$g" -lt $((${SIZE%M} * (ok + 1))) ]; then
		pass "budget: VmallocUsed grew $g MiB: $ok allocations of $SIZE alive at once"
	else
		fail "budget: VmallocUsed grew $g MiB with $ok holders of $SIZE"
	fi
fi
dmesg_clean allocations
stop_holders
kmod_cmd "kmalloc 4K" >/dev/null
V1=$(meminfo VmallocUsed)
if [ $((V1 - V0)) -lt $((${SIZE%M} * 1024 / 2)) ]; then
	pass "budget: VmallocUsed back after the files closed: $V0 -> $V1 kB"
else
	fail "budget: VmallocUsed $V0 -> $V1 kB after the files closed (one holder: $SIZE)"
fi
check_eq "budget: vmalloc $SIZE fits again" "$(kmod_cmd "vmalloc $SIZE")" ok
kmod_cmd "kmalloc 4K" >/dev/null
check_eq "budget: allocator results held no rows" "$(held)" 0

# --- rows held by readers: the row budget -----------------------------------
rmmod ptwalk
KMOD_MINE=0
rm -f "$TMP"/h.*   # the holders' reports above
kmod_load log_pages=0 row_budget=150000
B=$(cat $P/row_budget)
check_eq "budget: row_budget as loaded" "$B" 150000
n0=$(dmesg | wc -l)
ok=0 got= R1= max=8
while [ $ok -lt $max ]; do
	l1=$(kmod_loglines)
	hold $((ok + 1)) pid read
	got=$(cat "$TMP/h.$((ok + 1))" 2>/dev/null)
	[ "$got" = ok ] || break
	ok=$((ok + 1))
	[ $ok = 1 ] && R1=$(held)
	if [ "$(held)" != $((ok * R1)) ]; then
		fail "budget: after $ok readers row_bytes_held is $(held), want $ok x $R1"
		break
	fi
done
l2=$(kmod_loglines)
Hk=$(held)
echo "budget: $ok readers of pid walks ($R1 bytes of rows each) in a budget of $B; then: $(lastline)"
if [ "$got" != fail ] || [ -z "$R1" ] || [ "$R1" = 0 ]; then
	fail "budget: $ok readers all succeeded or held nothing ($R1 bytes each, budget $B)"
else
	check_eq "budget: readers before the refusal: budget / one batch" $ok $((B / R1))
	check_eq "budget: reader $((ok + 1)) fails with ENOMEM" \
		"$(grep -c 'Cannot allocate memory' "$TMP/h.$((ok + 1)).err")" 1
	# Its `pid` command logs one line, the refusal one more.
	check_eq "budget: the command's log line and one for the refusal, naming one batch's bytes" \
		"$((l2 - l1)):$(lastline | sed -n 's/.*: a read needs \([0-9]*\) bytes of rows, past the row budget$/\1/p')" "2:$R1"
	check_eq "budget: row_bytes_held is the readers' batches" "$Hk" $((ok * R1))
fi
dmesg_clean rows
stop_holders
check_eq "budget: row_bytes_held after the files are closed" "$(held)" 0
