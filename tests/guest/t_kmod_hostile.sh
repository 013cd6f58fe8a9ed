#!/bin/sh
# tests/guest/t_kmod_hostile.sh - ptwalk.ko against a hostile root user.
#
# Runs the attacks of tests/helpers/pt_hostile.c (odd command bytes, odd
# reads and seeks, bad ioctls and targets, a storm of processes and
# threads, `pid` of processes exiting mid-walk, walks of both ends of every
# pgd slot, of kernel regions' edges and of the direct map), then rmmod with files open,
# insmod/rmmod cycles under load, and every allocator command under
# `fragment -p 90`.  Each answer is checked by the helper; at the end the
# kernel log written meanwhile must hold no oops, WARN, BUG (slub_debug's
# reports start so), Call Trace or OOM killer.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"
H=$BIN/pt_hostile
if [ ! -x "$H" ]; then
	skip "hostile: no $H"
	exit 0
fi
# log_pages=0: its thousands of commands would otherwise log ~180k per-page
# lines, past the 16 MiB that busybox dmesg reads, and later tests count
# log lines in dmesg.
kmod_load log_pages=0
n0=$(dmesg | wc -l)
printk0=$(cut -f1 /proc/sys/kernel/printk)
dmesg -n 4   # thousands of walk lines: keep them off the slow serial console

"$H" cmds
"$H" seek
"$H" ioctl
# The summary log line names the command as written (an order for
# alloc_pages), then its bytes and pages.
for o in 0 3; do
	kmod_cmd "alloc_pages $o" >/dev/null
	l=$(dmesg | grep '\] ptwalk: alloc_pages ' | tail -n 1 | sed 's/^\[[^]]*\] ptwalk: //; s/ at 0x.*//')
	check_eq "hostile log of alloc_pages $o: order $o" "$l" "alloc_pages $o: $((4096 << o)) bytes, $((1 << o)) pages"
done
"$H" exitpid -n 20
"$H" storm -n 10

# --- walks: both ends of every pgd slot, and the edges of kernel regions --
shift=39 top=0xffff800000000000
grep -qw la57 /proc/cpuinfo && shift=48 top=0xff00000000000000
{
	i=0
	while [ $i -lt 256 ]; do
		printf '0x%x\n0x%x\n' $((top + (i << shift))) $((top + (i << shift) + (1 << shift) - 4096))
		i=$((i + 1))
	done
	# The user half (16 slots), the non-canonical hole and its edges.
	i=0
	while [ $i -lt 16 ]; do printf '0x%x\n' $((i << (shift + 4))); i=$((i + 1)); done
	echo 0x00007fffffffffff 0x0000800000000000 0x00ffffffffffffff 0x0100000000000000 \
		0x7fffffffffffffff 0x8000000000000000 0xfeffffffffffffff 0xff7fffffffffffff \
		0xffff7fffffffffff 0xffff800000000000 0xffff880000000000 0xffff887fffffffff \
		0xfffffe0000000000 0xfffffe7fffffffff 0xffffff0000000000 0xffffff7fffffffff \
		0xffffffef00000000 0xfffffffeffffffff 0xffffffffff5ff000 0xffffffffff600000 \
		0xffffffffff7ff000 0xffffffffffe00000 0xfffffffffffff000 0xffffffffffffffff | tr ' ' '\n'
	# Kernel text and modules: every 2 MiB from 0xffffffff80000000.
	i=0
	while [ $i -lt 1024 ]; do printf '0x%x\n' $((0xffffffff80000000 + (i << 21))); i=$((i + 1)); done
	# First, last and next page of the first 200 vmalloc areas.
	grep -v unpurged /proc/vmallocinfo | head -n 200 | while read -r r _; do
		a=${r%-*} b=${r#*-}
		printf '%s\n0x%x\n%s\n' "$a" $((b - 4096)) "$b"
	done
	# The direct map, every 32 MiB from its start (va - pa of a page) to MemTotal.
	kmod_cmd "alloc_pages 0" >/dev/null
	kmod_read "$TMP/ap"
	va=$(sed -n 2p "$TMP/ap" | cut -d, -f6) pa=$(sed -n 2p "$TMP/ap" | cut -d, -f7)
	base=$((va - pa)) mem=$(awk '/^MemTotal:/ { print $2 * 1024 }' /proc/meminfo) o=0
	while [ $o -lt "$mem" ]; do printf '0x%x\n' $((base + o)); o=$((o + (32 << 20))); done
	# Symbols: _text, _end, the first module symbol.
	awk '$3 == "_text" || $3 == "_end" || $3 == "_etext" { print "0x" $1 }' /proc/kallsyms
	awk '$4 ~ /^\[/ { print "0x" $1; exit }' /proc/kallsyms
} >"$TMP/vas"
"$H" walks <"$TMP/vas"

# --- rmmod with files open; insmod/rmmod under load -----------------------
kmod_cmd "vmalloc 1M" >/dev/null
exec 3</proc/pagetable 4<>/proc/pagetable
head -c 100 <&3 >/dev/null
if rmmod ptwalk; then
	pass "hostile rmmod with /proc/pagetable open twice: unloaded"
else
	fail "hostile rmmod with /proc/pagetable open twice: refused"
fi
if cat <&3 >/dev/null 2>&1; then r3="read"; else r3="refused"; fi
if echo "kmalloc 4K" >&4 2>/dev/null; then w4="written"; else w4="refused"; fi
check_eq "hostile read and write of an open file after rmmod: refused" "$r3 $w4" "refused refused"
exec 3<&- 4>&-
insmod "$PTWALK_KO" log_pages=0 || { fail "hostile insmod after rmmod"; exit 1; }
exec 5</dev/ptwalk
if rmmod ptwalk 2>/dev/null; then
	fail "hostile rmmod with /dev/ptwalk open: unloaded (the module would be gone under an open file)"
	insmod "$PTWALK_KO" log_pages=0
else
	pass "hostile rmmod with /dev/ptwalk open: refused (EBUSY)"
fi
exec 5<&-
# Load: writers and readers that keep going across the cycles.
(
	end=$(($(date +%s) + 60))
	while [ "$(date +%s)" -lt $end ] && [ ! -f "$TMP/stop" ]; do
		"$TBIN/ioctl_stress" cmd "vmalloc 64K" >/dev/null 2>&1
		cat /proc/pagetable >/dev/null 2>&1
		"$TBIN/ioctl_stress" cmd "pid $$" >/dev/null 2>&1
	done
) &
lp=$!
cyc=0 okc=0
while [ $cyc -lt 20 ]; do
	kmod_loaded || insmod "$PTWALK_KO" log_pages=0 2>/dev/null
	"$TBIN/ioctl_stress" cmd "alloc_pages 4" >/dev/null 2>&1
	rmmod ptwalk 2>/dev/null && okc=$((okc + 1))
	cyc=$((cyc + 1))
done
touch "$TMP/stop"
wait $lp
check_eq "hostile 20 insmod/rmmod cycles under load: every rmmod went through" "$okc" 20
kmod_loaded || insmod "$PTWALK_KO" log_pages=0 || { fail "hostile insmod after cycles"; exit 1; }

# --- every allocator command under memory pressure ----------------------
for f in "$ROOT/vm/plans/frag.sh" /plans/frag.sh; do
	[ -f "$f" ] && { . "$f"; break; }
done
if command -v frag_start >/dev/null && [ -x "$BIN/fragment" ]; then
	export PATH="$BIN:$PATH"
	trap 'frag_stop; dmesg -n "$printk0"; kmod_exit' EXIT
	kmod_cmd "kmalloc 4K" >/dev/null
	if frag_start 90 alternate 2>"$TMP/frag"; then
		bad=""
		for c in kmalloc vmalloc kvmalloc; do
			for s in 4K 64K 1M 4M 16M 256M 1G; do
				got=$(kmod_cmd "$c $s")
				case $got in ok|ENOMEM) ;; *) bad="$bad $c $s:$got" ;; esac
			done
		done
		for o in 0 1 3 5 9 10; do
			got=$(kmod_cmd "alloc_pages $o")
			case $got in ok|ENOMEM) ;; *) bad="$bad alloc_pages $o:$got" ;; esac
		done
		for c in "pid $FRAG_PID" "pid 1" "walk 0xffffffffff600000"; do
			got=$(kmod_cmd "$c")
			case $got in ok|ENOMEM) ;; *) bad="$bad $c:$got" ;; esac
		done
		# No row cap any more (rows are streamed): E2BIG would be a bug.
		check_eq "hostile pressure: every allocator command ok or ENOMEM" "$bad" ""
		"$H" storm -n 5 | sed 's/^PASS hostile storm/PASS hostile storm under pressure/; s/^FAIL hostile storm/FAIL hostile storm under pressure/'
		if kill -0 "$FRAG_PID" 2>/dev/null; then
			pass "hostile pressure: the fragmenter survived"
		else
			fail "hostile pressure: the fragmenter was killed"
		fi
		frag_stop
	else
		fail "hostile pressure: fragment -p 90 did not hold: $(tail -n 1 "$TMP/frag")"
	fi
else
	skip "hostile pressure: no fragment program or vm/plans/frag.sh"
fi
dmesg -n "$printk0"

dmesg | tail -n +$((n0 + 1)) >"$TMP/dmesg.new"
if grep -nEiw 'oom-killer|Out of memory|Killed process|Call Trace|WARNING|BUG|Oops|general protection|RIP' "$TMP/dmesg.new" >"$TMP/bad"; then
	fail "hostile dmesg clean: $(head -n 4 "$TMP/bad" | sed 's/^[0-9]*:\[[^]]*\] //' | tr '\n' ' ' | head -c 600)"
else
	pass "hostile dmesg clean ($(wc -l <"$TMP/dmesg.new") lines, $(grep -c '\] ptwalk: ' "$TMP/dmesg.new") from ptwalk)"
fi
