#!/bin/sh
# tests/guest/t_vm_smoke.sh - the guest is what vm/run.sh promised.
#
# Runs inside the guest (plan test) before anything else needs it: /out is
# the 9p share and takes data intact, the paging mode, CPU count, memory and
# slub_debug are the ones asked for, the file systems the plans use are
# mounted, huge pages can be reserved, and every packed program and the
# module are there and built for this kernel.
. "$(dirname "$0")/../lib.sh"

# /out: a 9p mount that returns what was written.
if [ "${TARGET:-vm}" = vm ]; then
	check "smoke /out is 9p" grep -q '^out /out 9p ' /proc/mounts
fi
dd if=/dev/urandom of="$TMP/rand" bs=64k count=16 2>/dev/null
cp "$TMP/rand" "$OUT/.smoke" && sync
check_eq "smoke /out round trip" "$(md5sum <"$OUT/.smoke")" "$(md5sum <"$TMP/rand")"
rm -f "$OUT/.smoke"

if grep -qw la57 /proc/cpuinfo; then levels=5; else levels=4; fi
echo "paging levels: $levels"
check_eq "smoke paging levels" "$levels" "${PAGING:-4}"
if [ "${TARGET:-vm}" = vm ]; then
	check_eq "smoke cpus" "$(grep -c '^processor' /proc/cpuinfo)" "${VM_SMP:-2}"
	# MemTotal is RAM less what the kernel keeps: 80% to 100% of VM_MEM.
	mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
	want_kb=$(echo "${VM_MEM:-2G}" | awk '/^[0-9]+[MmGg]$/ {
		n = substr($0, 1, length($0) - 1); u = substr($0, length($0))
		print (u ~ /[Gg]/ ? n * 1048576 : n * 1024) }')
	if [ -z "$want_kb" ]; then
		skip "smoke memtotal: VM_MEM=${VM_MEM:-} is not NM or NG"
	elif [ "$mem_kb" -le "$want_kb" ] && [ $((mem_kb * 5)) -ge $((want_kb * 4)) ]; then
		pass "smoke memtotal $mem_kb kB of $want_kb kB"
	else
		fail "smoke memtotal: $mem_kb kB, want 80-100% of $want_kb kB"
	fi
else
	skip "smoke cpus and memtotal: TARGET=${TARGET:-} is not vm"
fi

if [ "${SLUB_DEBUG:-0}" = 1 ]; then
	check "smoke slub_debug on cmdline" grep -q 'slub_debug=FZPU' /proc/cmdline
	# The smallest kmalloc cache: kmalloc-64 on x86-64; arm64 aligns
	# kmalloc to its 128-byte DMA line, so it starts at kmalloc-128.
	slab=/sys/kernel/slab/kmalloc-64
	[ -d "$slab" ] || slab=/sys/kernel/slab/kmalloc-128
	check_eq "smoke slub sanity checks" "$(cat $slab/sanity_checks 2>/dev/null)" 1
	check_eq "smoke slub red zone" "$(cat $slab/red_zone 2>/dev/null)" 1
else
	skip "smoke slub_debug: SLUB_DEBUG is not 1"
fi

check "smoke debugfs" grep -q ' /sys/kernel/debug debugfs ' /proc/mounts
check "smoke hugetlbfs" grep -q ' /dev/hugepages hugetlbfs ' /proc/mounts
check "smoke pagemap readable" test -r /proc/self/pagemap
old=$(cat /proc/sys/vm/nr_hugepages)
echo $((old + 4)) >/proc/sys/vm/nr_hugepages
check_eq "smoke reserve 4 huge pages" "$(cat /proc/sys/vm/nr_hugepages)" $((old + 4))
echo "$old" >/proc/sys/vm/nr_hugepages

# Every program packed into the image runs (a dynamic one could not).
# /etc/ptwalk-programs lists them; on the host they are all of $BIN.
if [ -f /etc/ptwalk-programs ]; then
	progs=$(cat /etc/ptwalk-programs)
else
	progs=$(cd "$BIN" 2>/dev/null && ls)
fi
n=0
for name in $progs; do
	p=$BIN/$name
	n=$((n + 1))
	"$p" --help >/dev/null 2>&1 </dev/null
	st=$?
	if [ "$st" = 126 ] || [ "$st" = 127 ] || [ "$st" -gt 128 ]; then
		fail "smoke program $name: cannot run (status $st)"
	else
		pass "smoke program $name runs"
	fi
done
[ "$n" -gt 0 ] || skip "smoke programs: none packed in $BIN yet"

# Collectors write their CSV straight to /out: temp name + rename on 9p.
if [ -x "$BIN/memalloc" ]; then
	rm -f "$OUT/.smoke.csv"
	"$BIN/memalloc" -q -b 4K -m 1M -o "$OUT/.smoke.csv" 2>"$TMP/err"
	check_eq "smoke memalloc to /out rows" "$(wc -l <"$OUT/.smoke.csv" 2>/dev/null || echo none)" 257
	rm -f "$OUT/.smoke.csv"
else
	skip "smoke memalloc to /out: memalloc is not packed"
fi

if [ -f "${PTWALK_KO:-}" ]; then
	check_eq "smoke module vermagic" "$(modinfo -F vermagic "$PTWALK_KO" | cut -d' ' -f1)" "$(uname -r)"
	if grep -q '^ptwalk ' /proc/modules; then
		skip "smoke module load: ptwalk is already loaded"
	elif insmod "$PTWALK_KO" 2>"$TMP/err"; then
		check "smoke module loaded" grep -q '^ptwalk ' /proc/modules
		check "smoke module unloads" rmmod ptwalk
	else
		fail "smoke module load: $(cat "$TMP/err")"
	fi
else
	fail "smoke module: no file at PTWALK_KO='${PTWALK_KO:-}'"
fi
