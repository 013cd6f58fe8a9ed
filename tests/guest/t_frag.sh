#!/bin/sh
# tests/guest/t_frag.sh - the fragmenter works, and a failed kmalloc is reported cleanly.
#
# Runs in the guest (plan test) or with TARGET=host.  Checks fragment's
# command line, then takes a fresh snapshot (vm/plans/frag.sh), runs
# `fragment -p 90 --lock --huge` with vm.compact_unevictable_allowed=0,
# and checks that the kernel's unusable index at order 9 (debugfs) rose in
# the zone with the most free memory and the free blocks of order >= 9
# dropped.  While memory is fragmented it asks ptwalk.ko for
# `kmalloc 4194304` and `alloc_pages MAX`: a failure must be a non-zero
# write status with ENOMEM and leave no WARNING, Call Trace or "page
# allocation failure" in dmesg.
. "$(dirname "$0")/../lib.sh"
for f in "$ROOT/vm/plans/frag.sh" /plans/frag.sh; do
	[ -f "$f" ] && { . "$f"; break; }
done
command -v frag_start >/dev/null || { fail "frag helpers: no vm/plans/frag.sh"; exit 0; }
FRAG=$BIN/fragment
[ -x "$FRAG" ] || { skip "frag: no $FRAG"; exit 0; }
export PATH="$BIN:$PATH"

check_err "frag usage no -p" 2 '^fragment: missing -p PCT' "$FRAG"
check_err "frag usage -p 0" 2 "^fragment: bad percentage '-p 0'" "$FRAG" -p 0
check_err "frag usage stride:3" 2 "^fragment: bad pattern 'stride:3'" "$FRAG" -p 10 --pattern stride:3
check_err "frag usage pattern" 2 "^fragment: unknown pattern 'zigzag'" "$FRAG" -p 10 --pattern zigzag
"$FRAG" -h >"$TMP/help" 2>&1
check_eq "frag -h exits 0 with examples" "$?:$(grep -c '^Examples:' "$TMP/help")" "0:1"

if ! is_root; then
	skip "frag fragmenting: needs root (PFNs, mlock, sysctl, debugfs)"
	exit 0
fi
loaded=0
if ! grep -q '^ptwalk ' /proc/modules && [ -f "${PTWALK_KO:-}" ]; then
	insmod "$PTWALK_KO" 2>/dev/null && loaded=1
fi
# Whatever an earlier test left allocated in the module goes now, not
# when the first probe below frees it into the fragmented free lists.
frag_kernel_shrink
mkdir -p "$TMP/snap"
frag_snapshot fresh "$TMP/snap" || { fail "frag fresh snapshot: see stderr"; exit 0; }
# (busybox awk has no ^.)
zone=$(awk '/zone/ { s = 0; p = 1; for (i = 5; i <= NF; i++) { s += $i * p; p *= 2 }
	if (s > m) { m = s; z = $4 } } END { print z }' "$TMP/snap/buddyinfo.fresh.txt")
u9() { awk -v z="$zone" '$4 == z { print $14 }' "$TMP/snap/extfrag_unusable.$1.txt"; }

frag_pin_on
FRAG_OPTS="--lock --huge"
trap 'frag_stop; frag_pin_off; [ $loaded = 1 ] && rmmod ptwalk; rm -rf "$TMP"' EXIT
if ! frag_start 90 alternate; then
	fail "frag fragment -p 90 --lock --huge: did not hold"
	exit 0
fi
pass "frag fragment holds: $FRAG_STATUS"
frag_snapshot fragmented "$TMP/snap" || fail "frag fragmented snapshot is not one state"

u_fresh=$(u9 fresh) u_frag=$(u9 fragmented)
if awk -v a="$u_fresh" -v b="$u_frag" 'BEGIN { exit !(a != "" && b != "" && b + 0 > a + 0) }'; then
	pass "frag unusable index order 9 ($zone) rises: fresh $u_fresh, fragmented $u_frag"
else
	fail "frag unusable index order 9 ($zone): fresh '$u_fresh', fragmented '$u_frag' (want a rise)"
fi
h_fresh=$(frag_buddy_count 9 "$TMP/snap/buddyinfo.fresh.txt")
h_frag=$(frag_buddy_count 9 "$TMP/snap/buddyinfo.fragmented.txt")
if [ $((h_frag * 2)) -lt "$h_fresh" ]; then
	pass "frag order>=9 free blocks drop: fresh $h_fresh, fragmented $h_frag"
else
	fail "frag order>=9 free blocks drop: fresh $h_fresh, fragmented $h_frag (want less than half)"
fi

# A kernel allocation that fragmentation defeats: reported, never warned.
if [ ! -w /proc/pagetable ]; then
	skip "frag failed kmalloc: no /proc/pagetable (ptwalk.ko not loaded)"
	exit 0
fi
max=$(frag_max_order)
n0=$(dmesg | wc -l)
for cmd in "kmalloc $((4096 << max))" "alloc_pages $max"; do
	if { echo "$cmd" >/proc/pagetable; } 2>"$TMP/werr"; then
		cat /proc/pagetable >/dev/null
		skip "frag failed $cmd: it succeeded under fragmentation ($FRAG_STATUS)"
	else
		check_eq "frag failed $cmd is ENOMEM" "$(_frag_errno "$(cat "$TMP/werr")")" ENOMEM
	fi
done
dmesg | tail -n +$((n0 + 1)) >"$TMP/dmesg.new"
if grep -nE 'WARNING|Call Trace|page allocation failure|BUG|Oops' "$TMP/dmesg.new" >"$TMP/bad"; then
	fail "frag failed allocations leave dmesg clean: $(head -n 2 "$TMP/bad" | tr '\n' ' ')"
else
	pass "frag failed allocations leave dmesg clean ($(wc -l <"$TMP/dmesg.new") new lines)"
fi
