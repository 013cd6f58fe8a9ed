#!/bin/bash
# tests/t_hostile.sh - issue 12: the user-space programs as a hostile user
# drives them.  Output paths that are devices, FIFOs, symlinks or
# directories; signals mid-run and temporaries a killed run left; lines,
# fields, groups and allocators without bound, under ulimit -v and -n;
# counters that wrap (pa, buddyinfo sums, 2^32 fields); CR-only line
# ends; and pagemap_reader on addresses past the top of user space and on
# a kernel thread.  Every case would pass on the code before the fix only
# by failing here (see the commit that added it).
. "$(dirname "$0")/lib.sh"

A="${WRAP:-} $BIN/analyze"
M="${WRAP:-} $BIN/memalloc"
H=$("$BIN/analyze" --schema)     # the samples header (kmod/ptwalk_csv.h)
V="0x00007f0000000000,0x0000000000100000,0x0000000000100000,,,pte,present,,,,,,"
# Peak-RSS and ulimit -v checks mean nothing under ASan or valgrind.
plain() { [ -z "${SAN:-}${WRAP:-}" ]; }
node=$(uname -n | tr '/.' '__')

# --- 1. an existing path that is not a regular file is never replaced
mkdir -p "$TMP/dev"
if is_root && mknod "$TMP/dev/null" c 1 3 && echo x 2>/dev/null >"$TMP/dev/null"; then
	$M -b 1G -m 1M -o "$TMP/dev/null" 2>"$TMP/dn.err"
	check_eq "memalloc -o a device node: exit 0, still a character device" \
		"$?:$(stat -c %F "$TMP/dev/null")" "0:character special file"
	$BIN/fragment -q -p 1 --ready-file "$TMP/dev/null" </dev/null >/dev/null 2>"$TMP/fr.err"
	check_eq "fragment --ready-file a device node: exit 0, still a character device" \
		"$?:$(stat -c %F "$TMP/dev/null")" "0:character special file"
	check_eq "writing to a device node leaves no other file" "$(ls -A "$TMP/dev")" "null"
else
	skip "memalloc/fragment -o a device node: needs root and a file system that allows device nodes"
fi
mkfifo "$TMP/fifo"
cat "$TMP/fifo" >"$TMP/fifo.got" &
cat_pid=$!
$M -b 1G -m 1M --allow-hidden -o "$TMP/fifo" 2>/dev/null
st=$?
# A memalloc that replaced the FIFO never opened it: cat would wait forever.
for _ in $(seq 50); do kill -0 $cat_pid 2>/dev/null || break; sleep 0.1; done
kill $cat_pid 2>/dev/null
{ wait $cat_pid; } 2>/dev/null
check_eq "memalloc -o a FIFO: exit 0, 257 lines through it, still a FIFO" \
	"$st:$(wc -l <"$TMP/fifo.got"):$(stat -c %F "$TMP/fifo")" "0:257:fifo"
echo old >"$TMP/target.csv"
ln -s target.csv "$TMP/link.csv"
$M -b 1G -m 1M --allow-hidden -o "$TMP/link.csv" 2>/dev/null
check_eq "memalloc -o a symlink: the symlink stays, its target gets 257 lines" \
	"$(stat -c %F "$TMP/link.csv"):$(wc -l <"$TMP/target.csv")" "symbolic link:257"
G=$ROOT/tests/golden/analyze
mkdir -p "$TMP/set"
for t in summary runhist deltas pfnmap; do echo "old $t" >"$TMP/set/$t.csv"; done
rm "$TMP/set/pfnmap.csv" && mkdir "$TMP/set/pfnmap.csv"
check_err "analyze: a table that is a directory is refused" 1 \
	"^analyze: cannot create $TMP/set/pfnmap.csv: Is a directory" $A -q -o "$TMP/set" "$G/mixed.csv"
check_eq "analyze: refused, the old tables are all unchanged" \
	"$(cat "$TMP/set/summary.csv" "$TMP/set/runhist.csv" "$TMP/set/deltas.csv" | tr '\n' ' ')" \
	"old summary old runhist old deltas "
check_eq "analyze: refused, no temporary left" "$(ls -A "$TMP/set" | tr '\n' ' ')" \
	"deltas.csv pfnmap.csv runhist.csv summary.csv "

# --- 2. signals and killed runs leave no temporary file
# analyze blocks on a FIFO input with its tables open; SIGTERM, SIGHUP,
# and SIGINT (which a background job of a script ignores unless env
# restores it).
sigs="TERM HUP INT" defsig=--default-signal=INT
if ! env $defsig true 2>/dev/null; then
	skip "analyze SIGINT mid-read: this env has no --default-signal (coreutils 8.31)"
	sigs="TERM HUP" defsig=
fi
for sig in $sigs; do
	for tmpf in "" 1; do
		d=$TMP/sig-$sig$tmpf
		mkdir -p "$d/out"
		mkfifo "$d/in.csv"
		PTWALK_NO_O_TMPFILE=$tmpf env $defsig $A -q -o "$d/out" "$d/in.csv" 2>/dev/null &
		apid=$!
		exec {wfd}>"$d/in.csv"
		printf '%s\n' "$H" >&$wfd
		for _ in $(seq 100); do     # until its temporaries exist
			[ -n "$tmpf" ] && [ "$(ls -A "$d/out" | wc -l)" -ge 4 ] && break
			[ -z "$tmpf" ] && [ "$(ls -l /proc/$apid/fd 2>/dev/null | grep -c 'O_TMPFILE\|(deleted)')" -ge 4 ] && break
			sleep 0.05
		done
		kill -$sig $apid
		{ wait $apid; } 2>/dev/null
		st=$?
		exec {wfd}>&-
		check_eq "analyze SIG$sig mid-read ($([ -n "$tmpf" ] && echo named temporaries || echo O_TMPFILE)): killed by it, no file left" \
			"$st:$(ls -A "$d/out" | tr '\n' ' ')" "$((128 + $(kill -l $sig))):"
	done
done
# memalloc with named temporaries (9p has no O_TMPFILE), SIGTERM mid-run.
# (8M x 1000 samples: a long run that fits the held-samples check.)
mkdir -p "$TMP/msig"
PTWALK_NO_O_TMPFILE=1 $M -b 1G -m 8M -n 1000 -q --allow-hidden -o "$TMP/msig/x.csv" 2>/dev/null &
mpid=$!
for _ in $(seq 100); do [ -n "$(ls -A "$TMP/msig")" ] && break; sleep 0.05; done
named=$(ls -A "$TMP/msig")
kill -TERM $mpid
{ wait $mpid; } 2>/dev/null
st=$?
check_eq "memalloc SIGTERM mid-run: killed by it, its .x.csv.tmp.$node.PID removed" \
	"$st:$named:$(ls -A "$TMP/msig")" "143:.x.csv.tmp.$node.$mpid:"
# SIGKILL cannot be caught: with O_TMPFILE it leaves nothing to remove.
mkdir -p "$TMP/mkill"
$M -b 1G -m 8M -n 1000 -q --allow-hidden -o "$TMP/mkill/x.csv" 2>/dev/null &
mpid=$!
for _ in $(seq 100); do
	ls -l /proc/$mpid/fd 2>/dev/null | grep -q 'mkill/#[0-9]* (deleted)\|O_TMPFILE' && break
	sleep 0.05
done
kill -KILL $mpid
{ wait $mpid; } 2>/dev/null
check_eq "memalloc SIGKILL mid-run (O_TMPFILE): killed, no file left" \
	"$?:$(ls -A "$TMP/mkill")" "137:"
# What SIGKILL left (a dead PID of this host) goes at the next run; the
# temporaries of a live process, and of another host, stay.
mkdir -p "$TMP/stale"
touch "$TMP/stale/.summary.csv.tmp.$node.999999999" "$TMP/stale/.x.csv.old.$node.999999998" \
	"$TMP/stale/.x.csv.tmp.$node.$$" "$TMP/stale/.x.csv.tmp.otherhost.999999999"
for tmpf in 1 ""; do
	PTWALK_NO_O_TMPFILE=$tmpf $A -q -o "$TMP/stale" "$G/kmalloc.csv"
done
check_eq "analyze removes the temporaries of dead runs on this host, only those" \
	"$(ls -A "$TMP/stale" | grep '^\.' | LC_ALL=C sort | tr '\n' ' ')" "$(printf '%s\n' .x.csv.tmp.$node.$$ .x.csv.tmp.otherhost.999999999 | LC_ALL=C sort | tr '\n' ' ')"
# fragment stops at once, status 1, on SIGTERM while it faults memory in:
# asked for about 2 GB, it is stopped after its first 50 MB.
free_kb=$(awk '/^MemFree:/ { print $2 }' /proc/meminfo)
pct=$(( 2 * 1024 * 1024 * 100 / free_kb + 1 ))
if ! is_root || ! plain; then
	skip "fragment SIGTERM during fault-in: needs root and no sanitizer (times a fault-in)"
elif [ "$pct" -gt 50 ]; then
	skip "fragment SIGTERM during fault-in: needs 4 GB free, $free_kb KB is"
else
	$BIN/fragment -p $pct --ready-file "$TMP/fr.ready" </dev/null >"$TMP/fr.out" 2>"$TMP/fr.err" &
	fpid=$!
	for _ in $(seq 100); do
		[ "$(awk '/^VmRSS/{print $2}' /proc/$fpid/status 2>/dev/null || echo 0)" -gt 50000 ] && break
		sleep 0.02
	done
	t0=$(date +%s%N)
	kill -TERM $fpid
	wait $fpid
	st=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	check_eq "fragment SIGTERM during fault-in: status 1, no holding line, no ready file" \
		"$st:$(cat "$TMP/fr.out"):$(ls "$TMP/fr.ready" 2>/dev/null)" "1::"
	check "fragment SIGTERM during fault-in: gone within 2 s (took $ms ms)" [ "$ms" -lt 2000 ]
	check "fragment SIGTERM during fault-in: says why" grep -q "stopped by signal 15 before holding" "$TMP/fr.err"
fi

# --- 3 and 4: bounded lines and fields; an allocation failure is no EOF
mkfifo "$TMP/buddyinfo.big.txt"
{ printf 'Node 0, zone DMA 1 2 3\nNode 0, zone DMA32 4 5 6\nNode 0, zone Normal 7 8 9\n'
  head -c 300000000 /dev/zero | tr '\0' 7; echo; } >"$TMP/buddyinfo.big.txt" 2>/dev/null &
if plain; then ulim="ulimit -v 150000;"; else ulim=; fi
check_err "analyze: a 300 MB buddyinfo line${ulim:+ under ulimit -v 150000} is an error at its line, not EOF" 1 \
	"^analyze: $TMP/buddyinfo.big.txt:4: line longer than 4000 bytes$" \
	bash -c "$ulim exec $A -q -o '$TMP/big' '$TMP/buddyinfo.big.txt'"
wait
check_eq "analyze: the 300 MB line leaves no table" "$(ls -A "$TMP/big" 2>/dev/null)" ""
field() { printf '%s\n' "$H"; head -c "$1" /dev/zero | tr '\0' u; printf ',block,4096,0,0,%s\n' "$V"; }
mkfifo "$TMP/fieldpipe" "$TMP/fields"
field 1000000000 >"$TMP/fieldpipe" 2>/dev/null &
check_err "analyze: a 1 GB field is refused at its line" 1 \
	"^analyze: -:2: line longer than 65536 bytes$" bash -c "exec $A -q -o '$TMP/f1' - <'$TMP/fieldpipe'"
wait
if plain; then
	rss=$(field 1000000000 2>/dev/null | $A -q --stats -o "$TMP/f2" - 2>&1 | sed -n 's/.*maxrss_kb=//p')
	check "analyze: the 1 GB field costs under 20 MB of memory (peak RSS $rss KB)" [ "${rss:-999999}" -lt 20000 ]
else
	skip "analyze 1 GB field peak RSS: meaningless under ${SAN:-valgrind}"
fi
# Two good rows on one line with 2^32 - 17 commas between them: 2^32 + 18
# fields, which a 32-bit counter takes for 18 and the line for a row.
# Refused at once.
{ printf '%s\nuser,block,8192,0,0,%s' "$H" "$V"; yes , 2>/dev/null | tr -d '\n' | head -c 4294967279
  printf 'user,block,8192,0,0,%s\n' "$V"; } >"$TMP/fields" 2>/dev/null &
check_err "analyze: a line of 2^32+18 fields is refused" 1 \
	"^analyze: -:2: line longer than 65536 bytes$" bash -c "exec $A -q -o '$TMP/f3' - <'$TMP/fields'"
wait
# Memory grows with the number of keys, small per key: 20,000 groups of
# distinct sizes against one group of the same rows.
awk -v n=20000 -v h="$H" -v v="$V" 'BEGIN { print h
	for (i = 1; i <= n; i++) printf "user,block,%d,0,0,%s\n", 4096 * i, v }' >"$TMP/groups.csv"
awk -v n=20000 -v h="$H" 'BEGIN { print h
	for (i = 0; i < n; i++) printf "user,block,81920000,0,%d,0x%016x,0x%016x,0x%016x,,,pte,present,,,,,,\n", i, 4096 * i, 4096 * i, 4096 * i }' >"$TMP/onegroup.csv"
if plain; then
	r1=$($A -q --stats -o "$TMP/g1" "$TMP/onegroup.csv" 2>&1 | sed -n 's/.*maxrss_kb=//p')
	rn=$($A -q --stats -o "$TMP/gn" "$TMP/groups.csv" 2>&1 | sed -n 's/.*maxrss_kb=//p')
	per=$(( (rn - r1) * 1024 / 20000 ))
	check "analyze: 20,000 groups cost under 600 bytes each ($per; 2,039 before the fix)" [ "$per" -lt 600 ]
else
	$A -q -o "$TMP/gn" "$TMP/groups.csv"
	skip "analyze memory per group: meaningless under ${SAN:-valgrind}"
fi
check_eq "analyze: 20,000 groups, 20,000 runhist rows" "$(($(wc -l <"$TMP/gn/runhist.csv") - 1))" 20000

# --- 5. many allocators need no descriptor each
awk -v n=200 -v h="$H" -v v="$V" 'BEGIN { print h
	for (i = 1; i <= n; i++) printf "user,alloc%d,4096,0,0,%s\n", i, v }' >"$TMP/allocs.csv"
bash -c "ulimit -n 50; exec $A -q -o '$TMP/al' '$TMP/allocs.csv'" 2>"$TMP/al.err"
check_eq "analyze: 200 allocators under ulimit -n 50: exit 0, 200 pfnmap rows" \
	"$?:$(($(wc -l <"$TMP/al/pfnmap.csv" 2>/dev/null || echo 1) - 1))" "0:200"

# --- 8. wrapping numbers and CR-only line ends
printf '%s\nuser,block,8192,0,0,0x00007f0000000000,0xfffffffffffff000,,,,pte,present,,,,,,\nuser,block,8192,0,1,0x00007f0000001000,0x0000000000000000,,,,pte,present,,,,,,\n' "$H" >"$TMP/wrap.csv"
$A -q -o "$TMP/wrap" "$TMP/wrap.csv"
check_eq "analyze: pa 0xfffffffffffff000 then 0 is two runs, contiguity 0" \
	"$(cut -d, -f5-10 "$TMP/wrap/summary.csv" | tail -n 1)" "2,2,2,1,1.000,0.000000"
check_eq "analyze: ... and deltas.csv puts the step at -2^51" \
	"$(cut -d, -f5 "$TMP/wrap/deltas.csv" | tail -n 1)" "-2^51"
mkdir -p "$TMP/bo"
printf 'Node 0, zone Normal 1 1 1 1 1 1 1 1 1 1 18446744073709551615\n' >"$TMP/bo/buddyinfo.x.txt"
check_err "analyze: buddyinfo counts past 64 bits are an error, not an index" 1 \
	"^analyze: $TMP/bo/buddyinfo.x.txt:1: free block counts add up to more than 2\^52 pages" \
	$A -q -o "$TMP/bo/out" "$TMP/bo/buddyinfo.x.txt"
printf '%s\r%s\r%s\r' "$H" "user,block,8192,0,0,$V" "user,block,8192,0,1,${V/0x0000000000100000,/0xzz,}" >"$TMP/cr.csv"
check_err "analyze: CR-only line ends are named as such" 1 \
	"^analyze: $TMP/cr.csv:1: carriage return without a line feed" $A -q -o "$TMP/cro" "$TMP/cr.csv"
printf '%s\r\n%s\r\n%s\r\n' "$H" "user,block,8192,0,0,$V" "user,block,8192,0,1,${V/0x0000000000100000,/0xzz,}" >"$TMP/crlf.csv"
check_err "analyze: with CRLF the bad line is line 3" 1 \
	"^analyze: $TMP/crlf.csv:3: bad hex address in column pa" $A -q -o "$TMP/crlfo" "$TMP/crlf.csv"
printf 'Node 0, zone DMA 1 2\rNode 0, zone Normal 1 x\r' >"$TMP/bo/buddyinfo.cr.txt"
check_err "analyze: a CR-only buddyinfo is named as such" 1 \
	"^analyze: $TMP/bo/buddyinfo.cr.txt:1: carriage return without a line feed" \
	$A -q -o "$TMP/bo/out" "$TMP/bo/buddyinfo.cr.txt"

# --- 9. pagemap_reader: one message per bad address, the good ones printed
sleep 600 &
spid=$!
good=$(awk -F'[- ]' 'NR == 1 { print "0x" $1 }' /proc/$spid/maps)
good=$(printf '0x%x' "$good")   # maps pads to 8 digits at least
PR="${WRAP:-} $BIN/pagemap_reader"
$PR --allow-hidden $spid 0x100000000000000 "$good" >"$TMP/pr.out" 2>"$TMP/pr.err"
st=$?
check_eq "pagemap_reader: a VA above user space: exit 1, one stderr line naming it" \
	"$st:$(wc -l <"$TMP/pr.err"):$(grep -c "0x100000000000000: at or above the top of PID $spid's user address space" "$TMP/pr.err")" "1:1:1"
check_eq "pagemap_reader: ... and the good VA is printed" \
	"$(grep '^Virtual Address' "$TMP/pr.out")" "Virtual Address: $good"
# A range across the top (4-level paging: 0x7ffffffff000) prints the
# pages below it and one line for the rest.
if $PR --allow-hidden $spid 0x7ffffffff000 >/dev/null 2>&1; then
	skip "pagemap_reader --range across the top: user space does not end at 0x7ffffffff000 here"
else
	$PR --allow-hidden $spid --range 0x7fffffffd000 0x800000002000 >"$TMP/prr.out" 2>"$TMP/prr.err"
	check_eq "pagemap_reader --range across the top: exit 1, two rows, one line for 3 pages" \
		"$?:$(grep -c '^0x00007ffffff' "$TMP/prr.out"):$(cat "$TMP/prr.err")" \
		"1:2:pagemap_reader: 0x7ffffffff000-0x800000002000: 3 pages at or above the top of PID $spid's user address space"
fi
kill $spid
if [ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ]; then
	check_err "pagemap_reader: PID 2 (kthreadd) has no user address space" 1 \
		"^pagemap_reader: PID 2 has no user address space \(a kernel thread" $PR 2 0x1000
else
	skip "pagemap_reader PID 2: PID 2 is not kthreadd here"
fi
