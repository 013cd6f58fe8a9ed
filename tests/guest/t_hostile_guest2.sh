#!/bin/sh
# tests/guest/t_hostile_guest2.sh - round 1's module features used at once.
#
# The row budget from many processes at once: with row_budget set to 4.5
# times one `pid` reader's batch, 12 shells holding their /proc/pagetable
# open write `pid` of themselves and read at the same moment (a barrier
# file): exactly 4 get their rows, 8 get ENOMEM with a refusal log line
# each, row_bytes_held is the baseline and exactly 4 readers' batches
# (within the budget), and closing the files gives all of it back.  pfn_ioctl --explain from 8
# processes at once on one page of a sleeping process: every answer is
# the one a lone run gave; of a thread's TID, its process's.  --explain of
# a zombie and of a kernel thread (no mm): ESRCH, one stderr line.  The
# kernel log since the start stays clean (tests/t_vm.sh boots with
# slub_debug).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"

X=$BIN/pfn_ioctl
P=/sys/module/ptwalk/parameters
held() { cat $P/row_bytes_held; }
n0=$(dmesg | wc -l)
PIDS=
# shellcheck disable=SC2086 # the pids, one a word
stop_all() { [ -n "$PIDS" ] && kill $PIDS 2>/dev/null; wait 2>/dev/null; PIDS=; }
trap 'stop_all; kmod_exit' EXIT

# --- the budget, 12 readers at once ------------------------------------
# Allocator rows are walked as they are read (nothing held); what the row
# budget counts is a `pid` reader's batch.  One reader's batch, measured
# alone with the default budget: a shell writes `pid` of itself and reads
# 4 blocks back, then holds the file open.
kmod_loaded && rmmod ptwalk
kmod_load log_pages=0
H0=$(held)
sh -c 'exec 3<>/proc/pagetable && echo "pid $$" >&3 && dd bs=4096 count=4 <&3 >/dev/null 2>&1 && cat '"$P"'/row_bytes_held' >"$TMP/r1"
R1=$(($(cat "$TMP/r1") - H0))
rmmod ptwalk
B=$((R1 * 9 / 2))
kmod_load log_pages=0 row_budget=$B
check_eq "budget at once: row_budget as loaded" "$(cat $P/row_budget)" "$B"
H0=$(held)
nb=$(dmesg | wc -l)
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	sh -c 'exec 3<>/proc/pagetable || exit 1
		while [ ! -e "$2" ]; do sleep 0.01; done
		if echo "pid $$" >&3 2>"$1.err" && dd bs=4096 count=4 <&3 >/dev/null 2>>"$1.err"
		then echo ok >"$1"; else echo fail >"$1"; fi
		exec sleep 100000' sh "$TMP/h.$i" "$TMP/go" </dev/null >/dev/null 2>&1 &
	PIDS="$PIDS $!"
done
sleep 0.5
: >"$TMP/go"
_i=0
while [ "$(cat "$TMP"/h.? "$TMP"/h.?? 2>/dev/null | wc -l)" -lt 12 ] && [ $_i -lt 1200 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
ok=$(cat "$TMP"/h.? "$TMP"/h.?? 2>/dev/null | grep -c '^ok$')
nomem=$(cat "$TMP"/h.*.err 2>/dev/null | grep -c 'Cannot allocate memory')
Hk=$(held)
# A refusal's log line: "...: a read needs R bytes of rows, past the row budget".
refused=$(dmesg | tail -n +$((nb + 1)) | grep -c '\] ptwalk: .*: a read needs '"$R1"' bytes of rows, past the row budget$')
echo "budget at once: one reader's batch $R1 bytes, budget $B: $ok ok, $nomem ENOMEM, $Hk held"
check_eq "budget at once: 12 readers, 4 fit, 8 get ENOMEM with a refusal log line each" \
	"$ok:$nomem:$refused" "4:8:8"
check_eq "budget at once: row_bytes_held is the baseline and exactly 4 readers' batches, within the budget" \
	"$((Hk - H0)):$([ "$Hk" -le "$B" ] && echo within)" "$((4 * R1)):within"
dead=0
for p in $PIDS; do kill -0 "$p" 2>/dev/null || dead=$((dead + 1)); done
check_eq "budget at once: no reader died" "$dead" 0
stop_all
sleep 0.2
check_eq "budget at once: the files closed, row_bytes_held as before" "$(held)" "$H0"

# --- --explain from 8 processes at once ---------------------------------
sleep 100000 &
tp=$!
PIDS=$tp
sleep 0.2
# The stack's top page: the process has written it.
top=$(awk '/\[stack\]/ { split($1, a, "-"); print a[2] }' /proc/$tp/maps)
va=$(printf '0x%x' $((0x$top - 4096)))
ref=$("$X" --explain $tp "$va" | grep '^PA: ')
case $ref in
"PA: 0x"*) pass "explain at once: a lone run: $ref" ;;
*) fail "explain at once: a lone run of PID $tp VA $va gave '$ref'" ;;
esac
XP=
for j in 1 2 3 4 5 6 7 8; do
	(
		k=0
		while [ $k -lt 25 ]; do
			"$X" --explain $tp "$va" | grep '^PA: ' || echo "exit $?"
			k=$((k + 1))
		done
	) >"$TMP/x.$j" 2>&1 &
	XP="$XP $!"
done
# shellcheck disable=SC2086 # the pids, one a word
wait $XP
got=$(cat "$TMP"/x.? | sort | uniq -c | sed 's/^ *//')
check_eq "explain at once: 8 x 25 answers, each the lone run's" "$got" "200 $ref"
stop_all

# --- --explain of a thread's TID: its process's answer -------------------
# pt_hostile storm: 4 processes of 3 threads each, for a few seconds; the
# main threads wait in pthread_join, so their stack pages stay put.
"$TBIN/pt_hostile" storm -n 8 >/dev/null 2>&1 &
sp=$!
PIDS=$sp
sleep 1.5
tid= tgid=
for k in $(cat /proc/$sp/task/$sp/children 2>/dev/null); do
	for t in /proc/$k/task/*; do
		t=${t##*/}
		[ "$t" != "$k" ] && tid=$t tgid=$k && break 2
	done
done
if [ -n "$tid" ]; then
	top=$(awk '/\[stack\]/ { split($1, a, "-"); print a[2] }' /proc/$tgid/maps)
	va=$(printf '0x%x' $((0x$top - 4096)))
	a=$("$X" --explain "$tgid" "$va" | grep '^PA: ')
	b=$("$X" --explain "$tid" "$va" | grep '^PA: ')
	check_eq "explain thread $tid of $tgid: the process's answer (${a:-none})" "$b:${a:+mapped}" "$a:mapped"
else
	fail "explain a thread: no thread in pt_hostile storm's children"
fi
wait $sp 2>/dev/null
PIDS=

# --- --explain of processes without an mm --------------------------------
sh -c 'sleep 0.1 & exec sleep 100000' &
zp=$!
PIDS=$zp
sleep 0.5
z=$(cat /proc/$zp/task/$zp/children 2>/dev/null | tr -d ' ')
if [ -n "$z" ] && grep -q '^State:.*Z' /proc/$z/status 2>/dev/null; then
	check_err "explain a zombie: ESRCH" 1 "^pfn_ioctl: PID $z VA 0x0000000000400000: No such process\$" \
		"$X" --explain "$z" 0x400000
else
	fail "explain a zombie: no zombie child of $zp ('$z')"
fi
stop_all
kt=$(pgrep -x kthreadd 2>/dev/null || echo 2)
check_err "explain kthreadd (PID $kt, no mm): ESRCH" 1 "^pfn_ioctl: PID $kt VA 0x0000000000400000: No such process\$" \
	"$X" --explain "$kt" 0x400000

dmesg | tail -n +$((n0 + 1)) >"$TMP/dmesg.new"
if grep -nEiw 'oom-killer|Out of memory|Killed process|Call Trace|WARNING|BUG|Oops' "$TMP/dmesg.new" >"$TMP/bad"; then
	fail "hostile guest2: dmesg clean: $(head -n 3 "$TMP/bad" | sed 's/^[0-9]*:\[[^]]*\] //' | tr '\n' ' ')"
else
	pass "hostile guest2: dmesg clean ($(wc -l <"$TMP/dmesg.new") lines since the start)"
fi
