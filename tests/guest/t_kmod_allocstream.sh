#!/bin/sh
# tests/guest/t_kmod_allocstream.sh - allocator rows streamed, an allocation per open file (issue 17).
#
# An allocator's rows are walked as they are read, from the allocation its
# result owns, so `vmalloc` has no row cap: vmalloc ALLOCSTREAM_SIZE
# (default 1152M, 294,912 pages, above the old 262,144-row cap, which was
# E2BIG) gives exactly one row per page, pages 0..N-1 one page apart, every
# frame equal to vmalloc_to_page()'s (pa_walk = pa_pagemap) and distinct,
# and Slab + VmallocUsed, sampled in the middle of the read, is within
# 4 MiB of what it was after the write (a row array would be ~28 MiB).
# Then three samples of vmalloc 4M with the first one's file held open
# while the second and third are taken: the third shares no frame with
# the first (without the hold, the first is freed when the second
# replaces it, and the third usually reuses its frames: shown, not
# asserted), `walk` of the first's VA names it while it is held, and once
# its file is closed (and a newer result is the last) its allocation is
# gone.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"

SIZE=${ALLOCSTREAM_SIZE:-1152M}
kmod_loaded && rmmod ptwalk
kmod_load log_pages=0
kmem() { awk '/^(Slab|VmallocUsed):/ { s += $2 } END { print s }' /proc/meminfo; }
n0=$(dmesg | wc -l)

# --- no row cap -------------------------------------------------------------
want=$(( $(echo "$SIZE" | sed 's/M$//') * 256 ))
got=$(kmod_cmd "vmalloc $SIZE")
if [ "$got" = ok ]; then
	k1=$(kmem)
	# One pass: counts, order, frames against vmalloc_to_page(), and
	# kernel memory read from /proc/meminfo halfway through the read.
	s=$(awk -F, -v half=$((want / 2)) 'NR > 1 { n++
		if (n == 1) { p0 = $5; v0 = $6 }
		if (n > 1 && $5 != p + 1) ord++
		p = $5; v = $6
		if ($9 == "" || $9 != $8) bad++
		if (seen[$9]++) dup++
		if (n == half) while ((getline l < "/proc/meminfo") > 0) { split(l, f, " "); if (f[1] == "Slab:" || f[1] == "VmallocUsed:") mid += f[2] } }
		END { printf "rows=%d first=%s last=%s order=%d bad=%d dup=%d mid=%d va0=%s va=%s\n", n, p0, p, ord, bad, dup, mid, v0, v }' /proc/pagetable)
	echo "vmalloc $SIZE: $s (Slab+VmallocUsed after the write: $k1 kB)"
	v() { echo "$s" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	check_eq "allocstream vmalloc $SIZE: one row a page, pages 0..$((want - 1)) in order" \
		"$(v rows) $(v first) $(v last) $(v order)" "$want 0 $((want - 1)) 0"
	check_eq "allocstream vmalloc $SIZE: the last row $SIZE - 4 KiB after the first" \
		$(( $(v va) - $(v va0) )) $(( (want - 1) * 4096 ))
	check_eq "allocstream vmalloc $SIZE: rows whose walk differs from vmalloc_to_page() or is empty" "$(v bad)" 0
	check_eq "allocstream vmalloc $SIZE: frames given twice" "$(v dup)" 0
	g=$(( $(v mid) - k1 ))
	if [ "$g" -lt 4096 ]; then
		pass "allocstream vmalloc $SIZE: Slab+VmallocUsed grew $g kB during the read (< 4 MiB; its rows would take $((want * 96 / 1024)) kB)"
	else
		fail "allocstream vmalloc $SIZE: Slab+VmallocUsed grew $g kB during the read (>= 4 MiB)"
	fi
else
	fail "allocstream vmalloc $SIZE (above the old 262144-row cap): got $got"
fi
kmod_cmd "kmalloc 4K" >/dev/null

# --- an allocation per open file --------------------------------------------
# frames FILE: the pa_walk column of the last result, sorted.
frames() { awk -F, 'NR > 1 { print $9 }' /proc/pagetable >"$1"; }
shared() { awk 'NR == FNR { a[$1]; next } $1 in a' "$1" "$2" | wc -l; }
# Unheld: each command frees the one before; the next may reuse its frames.
kmod_cmd "vmalloc 4M" >/dev/null && frames "$TMP/u1"
kmod_cmd "vmalloc 4M" >/dev/null
kmod_cmd "vmalloc 4M" >/dev/null && frames "$TMP/u3"
unheld=$(shared "$TMP/u1" "$TMP/u3")
# Held: a shell writes sample 1 through its own open file and keeps it.
mkfifo "$TMP/go"
sh -c 'exec 3<>/proc/pagetable || exit 1
	echo "vmalloc 4M" >&3 && echo ok >"$1"
	read x <"$2"' sh "$TMP/held" "$TMP/go" </dev/null >/dev/null 2>&1 &
hp=$!
i=0
while [ ! -s "$TMP/held" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
frames "$TMP/h1"
va1=$(awk -F, 'NR == 2 { print $6 }' /proc/pagetable)
kmod_cmd "vmalloc 4M" >/dev/null
kmod_cmd "vmalloc 4M" >/dev/null && frames "$TMP/h3"
held=$(shared "$TMP/h1" "$TMP/h3")
echo "allocstream: vmalloc 4M three times: $unheld of 1024 frames of the first in the third when the first is freed, $held when its file is held"
check_eq "allocstream: the held sample's rows" "$(wc -l <"$TMP/h1") $(wc -l <"$TMP/h3")" "1024 1024"
check_eq "allocstream: frames shared by sample 3 with the held sample 1" "$held" 0
w=$(sh -c 'echo "walk $1" >/proc/pagetable && sed -n 2p /proc/pagetable' sh "$va1" | cut -d, -f2,5)
check_eq "allocstream: walk of sample 1's first VA while its file is held" "$w" "vmalloc,0"
echo >"$TMP/go"
wait $hp
kmod_cmd "kmalloc 4K" >/dev/null   # the last result is no longer sample 2
w=$(sh -c 'echo "walk $1" >/proc/pagetable && sed -n 2p /proc/pagetable' sh "$va1" | cut -d, -f2,5)
check_eq "allocstream: walk of sample 1's first VA after its file closed" "$w" "walk,0"

dmesg | tail -n +$((n0 + 1)) | grep -Ew 'BUG|WARNING|Oops|Call Trace|oom-killer|Poison overwritten|Object already free' >"$TMP/bad"
if [ -s "$TMP/bad" ]; then
	fail "allocstream: the kernel log says $(head -n 2 "$TMP/bad" | sed 's/^\[[^]]*\] //' | tr '\n' ' ')"
else
	pass "allocstream: dmesg clean"
fi
