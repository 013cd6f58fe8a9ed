#!/bin/sh
# tests/guest/t_kmod_stream.sh - the streamed `pid` walk (issue 17).
#
# pt_stream (tests/helpers/) maps STREAM_GIB (default 8) GiB of read-faulted
# zero pages and 16 MiB of written pages, and walks itself: one row per
# present page (2,097,152 for 8 GiB, 8x the old 262,144-row cap, so E2BIG
# is gone for pid), each row's PA equal to pagemap's, VAs increasing,
# pages 0, 1, 2..., a pread at 0 starts again from page 0, and Slab + VmallocUsed sampled during the walk grows by
# less than 16 MiB.  Then the same with a thread mapping and unmapping 1 MiB
# regions all through the walk (STREAM_MAP_GIB, default 2 GiB).  Then a
# process that exits between batches: the walk ends cleanly there.  Then a
# second cat walks again from the start.  Then one walk read in 1 MiB,
# 4 KiB and 1000-byte reads: the same bytes, and 1 MiB reads return more
# than a page each.  The kernel log stays clean.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"

[ -x "$BIN/pt_stream" ] || { skip "stream: no $BIN/pt_stream (make build-all)"; exit 0; }
kmod_load log_pages=0
BADPAT='BUG|WARNING|Oops|general protection|Call Trace|double free|use-after-free|Poison overwritten|Object already free|oom-killer'

# stream NAME ARGS...: run pt_stream, assert its counts.
stream() {
	_name=$1
	shift
	n0=$(dmesg | wc -l)
	if ! "$BIN/pt_stream" "$@" >"$TMP/out" 2>&1; then
		fail "stream $_name: pt_stream $*: $(tail -n 2 "$TMP/out" | tr '\n' ' ')"
		return
	fi
	out=$(tail -n 1 "$TMP/out")
	v() { echo "$out" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	check_eq "stream $_name: one row per zero page" "$(v zero_rows)" "$(v zero_pages)"
	check_eq "stream $_name: one row per written page" "$(v written_rows)" "$(v written_pages)"
	check_eq "stream $_name: rows whose PA differs from pagemap" "$(v bad_pa)" 0
	check_eq "stream $_name: VAs not increasing, page column out of step, cut rows" \
		"$(v bad_order) $(v bad_page) $(v partial)" "0 0 0"
	check_eq "stream $_name: a pread at 0 of the same file walks again from page 0" "$(v reread_at_0_ok)" 1
	check_eq "stream $_name: written pages sharing a frame with the page before" "$(v repeated_frames)" 0
	g=$(v kmem_growth_kb)
	if [ "$g" -lt 16384 ]; then
		pass "stream $_name: Slab+VmallocUsed grew $g kB during the walk (< 16 MiB)"
	else
		fail "stream $_name: Slab+VmallocUsed grew $g kB during the walk (>= 16 MiB)"
	fi
	dmesg | tail -n +$((n0 + 1)) | grep -Ew "$BADPAT" >"$TMP/bad"
	if [ -s "$TMP/bad" ]; then
		fail "stream $_name: the kernel log says $(head -n 2 "$TMP/bad" | sed 's/^\[[^]]*\] //' | tr '\n' ' ')"
	else
		pass "stream $_name: dmesg clean ($out)"
	fi
}

stream "${STREAM_GIB:-8} GiB" -z "${STREAM_GIB:-8}" -w 16
stream "${STREAM_MAP_GIB:-2} GiB, mapping thread" -z "${STREAM_MAP_GIB:-2}" -w 16 -m
case $(v mapper_cycles) in
''|0) fail "stream mapping thread: it mapped nothing during the walk" ;;
*) pass "stream mapping thread: $(v mapper_cycles) map/touch/unmap cycles during the walk" ;;
esac

# A process that exits after the write: the walk reads its rows until the
# exit and then ends cleanly (here: it exited before the first batch).
sleep 600 &
sp=$!
exec 3<>/proc/pagetable
printf 'pid %d' "$sp" >&3
got=$?
kill "$sp"
wait "$sp" 2>/dev/null
cat <&3 >"$TMP/x"
st=$?
n=$(wc -l <"$TMP/x")
exec 3>&-
check_eq "stream exited process: write ok, read ends cleanly with the header only" "$got $st $n" "0 0 1"

# Two cats of one live process: each walks from the start, same rows.
sleep 600 &
sp=$!
check_eq "stream pid of sleep" "$(kmod_cmd "pid $sp")" ok
cat /proc/pagetable | cut -d, -f6,7 >"$TMP/a"
cat /proc/pagetable | cut -d, -f6,7 >"$TMP/b"
kill "$sp"
wait "$sp" 2>/dev/null
if [ "$(wc -l <"$TMP/a")" -gt 10 ] && cmp -s "$TMP/a" "$TMP/b"; then
	pass "stream a second cat walks again: $(($(wc -l <"$TMP/a") - 1)) rows twice"
else
	fail "stream a second cat: $(wc -l <"$TMP/a") then $(wc -l <"$TMP/b") lines, or they differ"
fi


# The rows do not depend on how they are read: one walk of a sleep (about
# 360 rows, 80 KB, past one 64 KiB seq_file buffer) read in 1 MiB, 4 KiB
# and 1000-byte reads gives the same bytes (the row cut at a buffer's end,
# rows cut across reads), and 1 MiB reads return more than a page each
# (the reader's 64 KiB seq_file buffer, procfs.c seq_buf_grow(); seq_file's
# own one page gave 4 KiB a read).
sleep 600 &
sp=$!
# Walked once it sleeps: before that its exec may be building its mm.
n=0
until [ "$(tr '\0' ' ' <"/proc/$sp/cmdline")" = "sleep 600 " ] &&
	[ "$(cut -d' ' -f3 "/proc/$sp/stat")" = S ] || [ $n -ge 100 ]; do
	n=$((n + 1))
	sleep 0.1
done
r=$("$BIN/pt_stream" -r "$sp" 2>&1)
bytes=$(echo "$r" | tr ' ' '\n' | sed -n 's/^bytes=//p')
reads=$(echo "$r" | tr ' ' '\n' | sed -n 's/^reads=//p')
if [ -n "$bytes" ] && [ "$bytes" -gt 65536 ] && [ "$reads" -gt 0 ] && [ $((bytes / reads)) -gt 8192 ]; then
	pass "stream 1 MiB reads: $r ($((bytes / reads)) bytes a read, > 8 KiB)"
else
	fail "stream 1 MiB reads: want over 64 KiB in reads of over 8 KiB each, got '$r'"
fi
sums=""
for bs in 1048576 4096 1000; do
	s=cmd-failed
	[ "$(kmod_cmd "pid $sp")" = ok ] &&
		s=$(dd if=/proc/pagetable bs=$bs 2>/dev/null | md5sum | cut -d' ' -f1)
	sums="$sums $s"
done
kill "$sp"
wait "$sp" 2>/dev/null
set -- $sums
if [ "$1" = "$2" ] && [ "$1" = "$3" ] && [ "${#1}" = 32 ]; then
	pass "stream read sizes: 1 MiB, 4 KiB and 1000-byte reads give the same bytes ($1)"
else
	fail "stream read sizes: md5 of 1 MiB / 4 KiB / 1000-byte reads differ:$sums"
fi
