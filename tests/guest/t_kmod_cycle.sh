#!/bin/sh
# tests/guest/t_kmod_cycle.sh - loading, the pid= parameter, and leaks.
#
# insmod pid=N does the handout's Part A: the kernel log shows N's first
# translations and /proc/pagetable already holds N's walk; a pid that does
# not exist fails the load with ESRCH and one log line.  Then 100 cycles
# (CYCLES in PLAN_ENV)
# of insmod, a kmalloc, vmalloc and pid command, and rmmod must leave the
# number of /proc/vmallocinfo areas and the Slab total where they were.
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

# Leaks: areas in /proc/vmallocinfo (not the lazily freed ones waiting
# for a purge, nor thread stacks, which come and go with kernel threads),
# and the Slab total, after shrinking every cache.
settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	for s in /sys/kernel/slab/*/shrink; do echo 1 >"$s"; done 2>/dev/null
}
vmareas() {
	grep -v unpurged /proc/vmallocinfo | awk '{ sub(/\+.*/, "", $3); print $3 }' |
		grep -Ev '^(alloc_thread_stack_node|kernel_clone|copy_process|dup_task_struct)$' | sort | uniq -c
}
slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }

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
settle
slabs() { for f in /sys/kernel/slab/*/objects; do d=${f%/objects}; echo "${d##*/} $(cut -d' ' -f1 "$f")"; done 2>/dev/null; }
slabs >"$TMP/slab0"
v0=$(vmareas) s0=$(slab_kb)
i=0 bad=0
while [ $i -lt "${CYCLES:-100}" ]; do
	cycle || bad=$((bad + 1))
	i=$((i + 1))
done
settle
v1=$(vmareas) s1=$(slab_kb)
slabs >"$TMP/slab1"
# The caches that grew most, for the log (objects before -> after).
awk 'NR == FNR { a[$1] = $2; next } $2 > a[$1] { print $2 - a[$1], $1, a[$1] " -> " $2 }' \
	"$TMP/slab0" "$TMP/slab1" | sort -rn | head -n 5 | sed 's/^/slab growth: /'
n0=$(echo "$v0" | awk '{ n += $1 } END { print n }')
n1=$(echo "$v1" | awk '{ n += $1 } END { print n }')
echo "vmallocinfo areas: $n0 -> $n1; Slab: $s0 kB -> $s1 kB"
check_eq "$i insmod/rmmod cycles all ok" "$bad" 0
check_eq "$i cycles: vmallocinfo areas by caller unchanged ($n0 -> $n1)" \
	"$(echo "$v1" | tr -s ' ' | tr '\n' ';')" "$(echo "$v0" | tr -s ' ' | tr '\n' ';')"
# One leaked result or kmalloc per cycle would be 2.4 MB or 100 MB.
if [ $((s1 - s0)) -le 256 ]; then
	pass "$i cycles: Slab $s0 kB -> $s1 kB (growth <= 256 kB)"
else
	fail "$i cycles: Slab grew from $s0 kB to $s1 kB"
fi

[ $was_loaded = 1 ] && insmod "$PTWALK_KO"
exit 0
