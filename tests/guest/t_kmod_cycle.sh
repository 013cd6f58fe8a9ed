#!/bin/sh
# tests/guest/t_kmod_cycle.sh - loading, the pid= parameter, and leaks.
#
# insmod pid=N does the handout's Part A: the kernel log shows N's first
# translations and /proc/pagetable already holds N's walk; a pid that does
# not exist fails the load with ESRCH and one log line.  Then 100 cycles
# (CYCLES in PLAN_ENV) of insmod, a kmalloc, vmalloc and pid command, and
# rmmod must leave /proc/vmallocinfo's areas where they were and slab
# usage within 256 kB of where it was.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"

was_loaded=0
kmod_loaded && was_loaded=1
kmod_loaded && rmmod ptwalk

# Part A at load time, on this shell.
n0=$(kmod_loglines)
if insmod "$PTWALK_KO" pid=$$ log_pages=4; then
	kmod_read "$TMP/a.csv"
	rows=$(tail -n +2 "$TMP/a.csv" | awk -F, -v p=$$ '$2 == "pidwalk" && $4 == p && $7 != "" { n++ } END { print n + 0 }')
	if [ "$rows" -gt 0 ] && [ "$rows" = "$(($(wc -l <"$TMP/a.csv") - 1))" ]; then
		pass "insmod pid=$$: /proc/pagetable holds its walk ($rows present pages)"
	else
		fail "insmod pid=$$: $rows pidwalk rows of $(($(wc -l <"$TMP/a.csv") - 1))"
	fi
	check_eq "insmod pid=$$ log_pages=4: log lines" "$(dmesg | grep -c "\] ptwalk: Pid $$: VA=0x[0-9a-f]* -> PA=0x[0-9a-f]*$")" 4
	# The logged pages are the first rows.
	dmesg | grep "\] ptwalk: Pid $$: VA=" | sed 's/.*VA=\(0x[0-9a-f]*\) -> PA=\(0x[0-9a-f]*\)/\1,\2/' >"$TMP/log"
	tail -n +2 "$TMP/a.csv" | head -n 4 | cut -d, -f6,7 >"$TMP/want"
	check "insmod pid=$$: logged translations are rows 0-3" cmp -s "$TMP/log" "$TMP/want"
	check_eq "module parameter pid" "$(cat /sys/module/ptwalk/parameters/pid)" $$
	# The parameter is also /dev/ptwalk's target.
	va=$(sed -n 2p "$TMP/a.csv" | cut -d, -f6)
	pa=$(sed -n 2p "$TMP/a.csv" | cut -d, -f7)
	check_eq "pid= is the ioctl target" "$("$BIN/pfn_ioctl" -a $$ "$va" | sed 's/.* PA=//')" "$pa"
	rmmod ptwalk
else
	fail "insmod pid=$$ failed"
fi
n0=$(kmod_loglines)
insmod "$PTWALK_KO" pid=4000000 2>"$TMP/err"
st=$?
n1=$(kmod_loglines)
# busybox insmod tries init_module() again when finit_module() fails, so
# the module's init may run twice: one line per attempt, all the same.
dmesg | grep '\] ptwalk: ' | tail -n $((n1 - n0)) | sed 's/^\[[^]]*\] //' | sort -u >"$TMP/lines"
if [ "$st" != 0 ] && ! kmod_loaded && [ $((n1 - n0)) -ge 1 ] && [ $((n1 - n0)) -le 2 ] &&
	[ "$(cat "$TMP/lines")" = "ptwalk: pid 4000000: no such process" ]; then
	pass "insmod pid=4000000 fails, one log line per init attempt ($((n1 - n0))): $(cat "$TMP/lines")"
else
	fail "insmod pid=4000000: status $st, loaded $(kmod_loaded && echo yes || echo no), $((n1 - n0)) log lines"
fi
kmod_loaded && rmmod ptwalk

# Leaks: vmalloc areas by caller and slab usage, after settling.
cycle() {
	insmod "$PTWALK_KO" || return 1
	kmod_cmd kmalloc >/dev/null
	kmod_cmd "vmalloc 256K" >/dev/null
	kmod_cmd "pid $$" >/dev/null
	cat /proc/pagetable >/dev/null
	rmmod ptwalk
}
i=0
while [ $i -lt 5 ]; do cycle; i=$((i + 1)); done   # warm the caches
leak_baseline "$TMP/slab0"
i=0 bad=0
while [ $i -lt "${CYCLES:-100}" ]; do
	cycle || bad=$((bad + 1))
	i=$((i + 1))
done
# One leaked result or kmalloc per cycle would be 2.4 MB or 100 MB.
leak_after "$TMP/slab1" 256
check_eq "$i insmod/rmmod cycles all ok" "$bad" 0
check_eq "$i cycles: no vmallocinfo caller has more areas ($LEAK_N0 -> $LEAK_N1)" "$LEAK_GROWN" ""
if [ "$LEAK_DU" -le 256 ]; then
	pass "$i cycles: unreclaimable slab in use $LEAK_U0 kB -> $LEAK_U kB (growth <= 256 kB)"
else
	fail "$i cycles: unreclaimable slab in use grew from $LEAK_U0 kB to $LEAK_U kB"
fi

[ $was_loaded = 1 ] && insmod "$PTWALK_KO"
exit 0
