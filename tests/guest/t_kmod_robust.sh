#!/bin/sh
# tests/guest/t_kmod_robust.sh - issue 11's module defects, items 2, 4, 5, 6.
#
# Numbers are decimal or 0x-hex, never octal (`alloc_pages 010` is order
# 10, `pid 0N` is PID N), in the module, its parameters and pfn_ioctl; the
# top page of user space (0x7ffffffff000..0x7fffffffffff) is walked as a
# user address, without pa_v2p, and the first kernel address still gets
# one; a 32-bit client (ioctl32, gcc -m32) gets the same answers through
# .compat_ioctl as the 64-bit pfn_ioctl and /proc/self/pagemap, batched
# (IOCTL_XLATE_BATCH, both forms) as well as one a call; and under
# memory pressure (fragment -p 90) allocations larger than the memory
# left fail with ENOMEM while the OOM killer sleeps and the fragmenter
# lives.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"
kmod_load

# rows FILE: rows of a result; col FILE N: column N of its first row.
rows() { echo $(($(wc -l <"$1") - 1)); }
col() { sed -n 2p "$1" | cut -d, -f"$2"; }

# --- item 5: no octal ---------------------------------------------------
check_eq "decimal: alloc_pages 010 ok" "$(kmod_cmd "alloc_pages 010")" ok
kmod_read "$TMP/r"
check_eq "decimal: alloc_pages 010 is order 10 (1024 rows)" "$(rows "$TMP/r")" 1024
check_eq "decimal: alloc_pages 08 ok" "$(kmod_cmd "alloc_pages 08")" ok
kmod_read "$TMP/r"
check_eq "decimal: alloc_pages 08 is order 8 (256 rows)" "$(rows "$TMP/r")" 256
check_eq "decimal: alloc_pages 0x3 ok" "$(kmod_cmd "alloc_pages 0x3")" ok
kmod_read "$TMP/r"
check_eq "decimal: alloc_pages 0x3 is order 3 (8 rows)" "$(rows "$TMP/r")" 8
check_eq "decimal: pid 0$$ ok" "$(kmod_cmd "pid 0$$")" ok
kmod_read "$TMP/r"
check_eq "decimal: pid 0$$ walks PID $$" "$(col "$TMP/r" 4)" "$$"
kmod_bad "decimal: alloc_pages 0o7" "alloc_pages 0o7" EINVAL
kmod_bad "decimal: alloc_pages -1" "alloc_pages -1" EINVAL
kmod_bad "decimal: pid +1" "pid +1" EINVAL
# pfn_ioctl: PID 0N is PID N, VPN 010 is ten.
"$BIN/pfn_ioctl" "0$$" 010 >/dev/null 2>"$TMP/err"
check_eq "decimal: pfn_ioctl 0PID 010 is VPN 0xa" "$(cat "$TMP/err")" "pfn_ioctl: VPN 0xa: No such file or directory"
# Module parameters too: log_pages=010 logs ten translations.
rmmod ptwalk
insmod "$PTWALK_KO" log_pages=010 pid=0$$ || fail "decimal: insmod log_pages=010 pid=0$$"
check_eq "decimal: parameter log_pages=010 is 10" "$(cat /sys/module/ptwalk/parameters/log_pages 2>/dev/null)" 10
check_eq "decimal: parameter pid=0$$ is $$" "$(cat /sys/module/ptwalk/parameters/pid 2>/dev/null)" "$$"
rmmod ptwalk
check_eq "decimal: insmod pid=010x fails" "$(insmod "$PTWALK_KO" pid=010x 2>/dev/null && echo loaded || echo refused)" refused
kmod_loaded && rmmod ptwalk
insmod "$PTWALK_KO" || { fail "insmod"; exit 1; }

# --- item 4: the top page of user space ---------------------------------
paging=4
grep -qw la57 /proc/cpuinfo && paging=5
tops="0x7ffffffff000 0x7ffffffff008 0x7fffffffffff" kfirst=0xffff800000000000
[ $paging = 5 ] && tops="$tops 0x800000000000 0x00ffffffffffffff" kfirst=0xff00000000000000
# arm64: user space (TTBR0) has all 48 bits, the kernel half (TTBR1)
# starts at 0xffff000000000000, the linear map's first address.
if [ "$(uname -m)" = aarch64 ]; then
	paging=arm64
	tops="$tops 0x800000000000 0xfffffffff000 0xffffffffffff" kfirst=0xffff000000000000
fi
for va in $tops; do
	got=$(kmod_cmd "walk $va")
	kmod_read "$TMP/r"
	check_eq "user top: walk $va is a user walk (no pa_v2p, no direct_map)" \
		"$got:$(col "$TMP/r" 10):$(col "$TMP/r" 12 | grep -c direct_map)" "ok::0"
done
check_eq "user top: walk $kfirst (first kernel address) ok" "$(kmod_cmd "walk $kfirst")" ok
kmod_read "$TMP/r"
check "user top: walk $kfirst has pa_v2p" test -n "$(col "$TMP/r" 10)"
[ $paging = 4 ] && kmod_bad "user top: walk 0x800000000000 (non-canonical at 4-level)" "walk 0x800000000000" EINVAL
[ $paging = arm64 ] && kmod_bad "user top: walk 0x1000000000000 (non-canonical on arm64, 48-bit)" "walk 0x1000000000000" EINVAL

# --- item 6: a 32-bit client ----------------------------------------------
I32=$BIN/ioctl32
if [ ! -x "$I32" ]; then
	if [ "$(uname -m)" = aarch64 ]; then
		skip "ioctl32: an x86 32-bit program, not packed for arm64 (an arm32 client would need an arm-linux-gnueabihf cross compiler)"
	else
		skip "ioctl32: no $I32 (gcc -m32 needs gcc-12-multilib)"
	fi
else
	"$I32" self 16 >"$TMP/self" 2>"$TMP/selferr"
	st=$?
	if [ $st = 126 ] || [ $st = 127 ] || grep -qi 'exec format' "$TMP/selferr"; then
		skip "ioctl32: this kernel cannot run 32-bit programs (CONFIG_IA32_EMULATION off or ia32_emulation=0): status $st"
	else
		check_eq "ioctl32 self: GET_PFN, XLATE, XLATE_BATCH (range form) and pagemap agree on 16 pages" \
			"$st:$(cat "$TMP/self") $(head -n 2 "$TMP/selferr" | tr '\n' ' ')" "0:self: 16 pages, 16 agree, 16 agree batched "
		sleep 600 &
		sp=$!
		sleep 0.2
		vpns=$(sed 's/-.*//' /proc/$sp/maps | while read -r a; do printf '0x%x\n' $((0x$a >> 12)); done)
		# shellcheck disable=SC2086 # one VPN a word
		"$BIN/pfn_ioctl" -x $sp $vpns 0x1 0xfffffffffffff >"$TMP/o64" 2>"$TMP/e64"
		st64=$?
		# shellcheck disable=SC2086
		"$I32" $sp $vpns 0x1 0xfffffffffffff >"$TMP/o32" 2>"$TMP/e32"
		st32=$?
		# shellcheck disable=SC2086
		"$I32" -B $sp $vpns 0x1 0xfffffffffffff >"$TMP/b32" 2>"$TMP/be32"
		stb32=$?
		kill $sp
		sed -i 's/^pfn_ioctl: /ioctl32: /' "$TMP/e64"
		if [ "$st32" = "$st64" ] && cmp -s "$TMP/o64" "$TMP/o32" && cmp -s "$TMP/e64" "$TMP/e32"; then
			pass "ioctl32 vs pfn_ioctl -x: $(wc -l <"$TMP/o32") translations and $(wc -l <"$TMP/e32") errors alike"
		else
			fail "ioctl32 vs pfn_ioctl -x: exit $st32/$st64; 32: $(head -n 2 "$TMP/o32" "$TMP/e32" | tr '\n' ' ' | head -c 300) 64: $(head -n 2 "$TMP/o64" "$TMP/e64" | tr '\n' ' ' | head -c 300)"
		fi
		# The batch, an array of VPNs through 32-bit pointers: the same lines.
		if [ "$stb32" = "$st64" ] && [ -s "$TMP/b32" ] && cmp -s "$TMP/o64" "$TMP/b32" && cmp -s "$TMP/e64" "$TMP/be32"; then
			pass "ioctl32 -B (IOCTL_XLATE_BATCH) vs pfn_ioctl -x: $(wc -l <"$TMP/b32") translations and $(wc -l <"$TMP/be32") errors alike"
		else
			fail "ioctl32 -B vs pfn_ioctl -x: exit $stb32/$st64; 32: $(head -n 2 "$TMP/b32" "$TMP/be32" | tr '\n' ' ' | head -c 300)"
		fi
		check_eq "ioctl32 0xfffffffffffff: EINVAL" "$(grep -c 'VPN 0xfffffffffffff: Invalid argument' "$TMP/e32")" 1
		check_eq "ioctl32 VPN 1: ENOENT" "$(grep -c 'VPN 0x1: No such file or directory' "$TMP/e32")" 1
		"$I32" 4000000 1 >/dev/null 2>"$TMP/err"
		check_eq "ioctl32 missing PID" "$?:$(cat "$TMP/err")" "1:ioctl32: PID 4000000: No such process"
	fi
fi

# --- item 2: no OOM killer --------------------------------------------------
for f in "$ROOT/vm/plans/frag.sh" /plans/frag.sh; do
	[ -f "$f" ] && { . "$f"; break; }
done
if ! command -v frag_start >/dev/null || [ ! -x "$BIN/fragment" ]; then
	skip "oom: no fragment program or vm/plans/frag.sh"
	exit 0
fi
export PATH="$BIN:$PATH"
trap 'frag_stop; kmod_exit' EXIT
kmod_cmd "kmalloc 4K" >/dev/null   # the live allocation goes before the pressure
n0=$(dmesg | wc -l)
if ! frag_start 90 alternate 2>"$TMP/frag"; then
	fail "oom: fragment -p 90 did not hold: $(tail -n 1 "$TMP/frag")"
	exit 0
fi
avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
for cmd in "vmalloc 1G" "kvmalloc 1G" "vmalloc 900M"; do
	check_eq "oom: $cmd under fragment -p 90 (MemAvailable $avail kB): ENOMEM" "$(kmod_cmd "$cmd")" ENOMEM
done
# Sizes the memory left can hold still work, or fail cleanly: ENOMEM, the
# only refusal left (no row cap, so no E2BIG, since rows are streamed).
for cmd in "vmalloc 16M" "kmalloc 4M" "alloc_pages 10" "pid $FRAG_PID"; do
	got=$(kmod_cmd "$cmd")
	case $got in
	ok|ENOMEM) pass "oom: $cmd under pressure: $got" ;;
	*) fail "oom: $cmd under pressure: $got" ;;
	esac
done
if kill -0 "$FRAG_PID" 2>/dev/null; then
	pass "oom: the fragmenter (pid $FRAG_PID) survived"
else
	fail "oom: the fragmenter (pid $FRAG_PID) was killed"
fi
kmod_cmd "kmalloc 4K" >/dev/null
frag_stop
dmesg | tail -n +$((n0 + 1)) >"$TMP/dmesg.new"
if grep -nEiw 'oom-killer|Out of memory|Killed process|Call Trace|WARNING|BUG' "$TMP/dmesg.new" >"$TMP/bad"; then
	fail "oom: dmesg clean: $(head -n 3 "$TMP/bad" | sed 's/^[0-9]*:\[[^]]*\] //' | tr '\n' ' ')"
else
	pass "oom: dmesg clean ($(wc -l <"$TMP/dmesg.new") new lines)"
fi
