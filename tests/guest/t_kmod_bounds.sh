#!/bin/sh
# tests/guest/t_kmod_bounds.sh - the module at its limits, from both sides.
#
# The largest request of each cap is taken whole and the next byte is
# refused: vmalloc 1G is exactly 262,144 rows, page 0 to page 262,143 one
# page apart, and 1 GiB + 1 byte, which the old row cap refused (E2BIG),
# is 262,145 rows now that rows are streamed; kmalloc of
# KMALLOC_MAX_SIZE (4 MiB here) is 1,024 rows and one byte more is ENOMEM.
# And /proc/pagetable read in odd-sized pieces (dd bs=97, splitting rows
# and crossing seq_file's pages) is byte for byte what one cat reads.
# Last, memalloc past one 65,536-entry pagemap batch against the walk.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"
kmod_load

# 1 GiB: the last request the old row cap took, and the first it refused.
got=$(kmod_cmd "vmalloc 1G")
if [ "$got" = ok ]; then
	# One pass over the rows: count, first and last page, VA span.
	s=$(awk -F, 'NR > 1 { n++; if (n == 1) { p0 = $5; v0 = $6 } p = $5; v = $6; if ($7 == "") a++ }
		END { printf "rows=%d first=%s last=%s absent=%d va0=%s va=%s\n", n, p0, p, a, v0, v }' /proc/pagetable)
	echo "vmalloc 1G: $s"
	check_eq "bounds vmalloc 1G: exactly 262144 rows, pages 0..262143, all present" \
		"$(echo "$s" | cut -d' ' -f1-4)" "rows=262144 first=0 last=262143 absent=0"
	v0=$(echo "$s" | sed 's/.* va0=\(0x[0-9a-f]*\) .*/\1/') v1=${s##* va=}
	check_eq "bounds vmalloc 1G: the last row is 1 GiB - 4 KiB after the first" \
		"$(( v1 - v0 ))" $(( (262144 - 1) * 4096 ))
else
	fail "bounds vmalloc 1G (262144 rows): got $got"
fi
got=$(kmod_cmd "vmalloc 1073741825")
if [ "$got" = ok ]; then
	check_eq "bounds vmalloc 1G + 1 byte (the old cap's first refusal): 262145 rows, the last page 262144" \
		"$(awk -F, 'NR > 1 { n++; p = $5 } END { print n, p }' /proc/pagetable)" "262145 262144"
else
	fail "bounds vmalloc 1G + 1 byte (no row cap any more): got $got"
fi
kmod_cmd "kmalloc 4K" >/dev/null     # let the 1 GiB go

# KMALLOC_MAX_SIZE: 4 MiB with 4 KiB pages and MAX_ORDER 11.
got=$(kmod_cmd "kmalloc 4194304")
check_eq "bounds kmalloc 4194304 (KMALLOC_MAX_SIZE): ok" "$got" ok
check_eq "bounds kmalloc 4194304: 1024 rows" "$(($(wc -l </proc/pagetable) - 1))" 1024
kmod_bad "bounds kmalloc 4194305 (one byte above KMALLOC_MAX_SIZE)" "kmalloc 4194305" ENOMEM

# Reads in pieces: the same bytes as one read, for 1024 rows (~190 KB).
cat /proc/pagetable >"$TMP/cat.csv"
dd if=/proc/pagetable of="$TMP/dd.csv" bs=97 2>/dev/null
check "bounds /proc/pagetable read 97 bytes at a time equals one cat ($(wc -c <"$TMP/cat.csv") bytes)" \
	cmp -s "$TMP/cat.csv" "$TMP/dd.csv"
check_eq "bounds /proc/pagetable read whole: the last row is page 1023" \
	"$(tail -n 1 "$TMP/cat.csv" | cut -d, -f5)" 1023

# The pagemap library's batch (65,536 entries) crossed in the guest too,
# where tests always run as root: memalloc -b 1G -m 260M (66,560 pages)
# against the module's own walk of the same process (`pid PID`), which
# shares no code with collect/pagemap.c, page for page.
if [ -x "$BIN/memalloc" ]; then
	d=$TMP/m260
	mkdir -p "$d"
	mkfifo "$d/in"
	"$BIN/memalloc" -q -b 1G -m 260M -o "$d/user.csv" --hold <"$d/in" >"$d/out" 2>"$d/err" &
	pid=$!
	exec 3>"$d/in"
	if wait_ready "$d/out" "$pid"; then
		check_eq "bounds memalloc 260M: pid walk" "$(kmod_cmd "pid $pid")" ok
		s=$(awk -F, 'FNR == 1 { next } NR == FNR { if ($2 == "pidwalk") k[$6] = $7; next }
			{ n++; if ($7 == "" || k[$6] "" != $7 "") bad++; last = $5 }
			END { printf "rows=%d mismatch=%d last=%s\n", n, bad, last }' /proc/pagetable "$d/user.csv")
		check_eq "bounds memalloc -b 1G -m 260M: every PA equals the module's walk (past one pagemap batch)" \
			"$s" "rows=66560 mismatch=0 last=66559"
	else
		fail "bounds memalloc 260M: never ready: $(head -c 200 "$d/err")"
	fi
	exec 3>&-
	wait "$pid"
else
	skip "bounds memalloc 260M: memalloc is not packed"
fi
