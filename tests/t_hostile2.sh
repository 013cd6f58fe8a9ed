#!/bin/bash
# tests/t_hostile2.sh - a second hostile-user pass over the user-space
# programs, after issue 12: every catchable signal that ends a run
# (SIGPIPE, SIGXFSZ from "ulimit -f", SIGUSR1...) leaves no temporary;
# a replaced file keeps its mode; a dangling symlink stays a symlink; an
# empty -o is refused before any work; fragment refuses a reserve that
# wraps, a seed that overflows, and a bad --ready-file before it faults
# anything in; analyze refuses a snapshot pasted twice into one file, or
# two snapshots of one phase.  Each case failed on the code before the
# fix (see the commit that added it).
. "$(dirname "$0")/lib.sh"

A="${WRAP:-} $BIN/analyze"
M="${WRAP:-} $BIN/memalloc"
F="${WRAP:-} $BIN/fragment"
H=$("$BIN/analyze" --schema)     # the samples header (kmod/ptwalk_csv.h)
node=$(uname -n | tr '/.' '__')
# How many tables analyze writes for samples input (summary, runhist,
# deltas, pfnmap, reuse, findings): each is a temporary until the commit.
mkdir -p "$TMP/ntab"
$A -q -o "$TMP/ntab" "$ROOT/tests/golden/analyze/mixed.csv" || fail "analyze of mixed.csv failed"
NT=$(ls "$TMP/ntab" | wc -l)

# --- 1. every catchable signal that ends the run removes the temporaries
# analyze blocks on a FIFO input with its four tables open under
# temporary names (as on 9p, which has no O_TMPFILE).
for sig in PIPE USR1 ALRM XFSZ; do
	d=$TMP/sig-$sig
	mkdir -p "$d/out"
	mkfifo "$d/in.csv"
	PTWALK_NO_O_TMPFILE=1 $A -q -o "$d/out" "$d/in.csv" 2>/dev/null &
	apid=$!
	exec {wfd}>"$d/in.csv"
	printf '%s\n' "$H" >&$wfd
	for _ in $(seq 100); do
		[ "$(ls -A "$d/out" | wc -l)" -ge $NT ] && break
		sleep 0.05
	done
	named=$(ls -A "$d/out" | wc -l)
	kill -$sig $apid
	{ wait $apid; } 2>/dev/null
	st=$?
	exec {wfd}>&-
	check_eq "analyze SIG$sig mid-read (named temporaries): killed by it, its $NT temporaries removed" \
		"$st:$named:$(ls -A "$d/out" | tr '\n' ' ')" "$((128 + $(kill -l $sig))):$NT:"
done
# memalloc: SIGPIPE mid-run (as from a closed stderr pipe).
mkdir -p "$TMP/mpipe"
PTWALK_NO_O_TMPFILE=1 $M -b 1G -m 8M -n 1000 -q --allow-hidden -o "$TMP/mpipe/x.csv" 2>/dev/null &
mpid=$!
for _ in $(seq 100); do [ -n "$(ls -A "$TMP/mpipe")" ] && break; sleep 0.05; done
named=$(ls -A "$TMP/mpipe")
kill -PIPE $mpid
{ wait $mpid; } 2>/dev/null
check_eq "memalloc SIGPIPE mid-run: killed by it, its .x.csv.tmp.$node.PID removed" \
	"$?:$named:$(ls -A "$TMP/mpipe")" "141:.x.csv.tmp.$node.$mpid:"
# The real thing: "ulimit -f" kills with SIGXFSZ when the file passes it.
mkdir -p "$TMP/fsz"
{ (ulimit -f 64; PTWALK_NO_O_TMPFILE=1 exec $M -b 1G -m 4M -q --allow-hidden -o "$TMP/fsz/x.csv"); } 2>/dev/null
check_eq "memalloc under ulimit -f 64 (named temporary): killed by SIGXFSZ, no file left" \
	"$?:$(ls -A "$TMP/fsz")" "153:"

# --- 2. a replaced file keeps its mode: a private file stays private
mkdir -p "$TMP/mode"
echo secret >"$TMP/mode/x.csv"
chmod 600 "$TMP/mode/x.csv"
$M -b 1G -m 1M -q --allow-hidden -o "$TMP/mode/x.csv" 2>/dev/null
check_eq "memalloc -o a 0600 file: exit 0, 257 lines, still 0600" \
	"$?:$(wc -l <"$TMP/mode/x.csv"):$(stat -c %a "$TMP/mode/x.csv")" "0:257:600"
echo secret >"$TMP/mode/y.csv"
chmod 640 "$TMP/mode/y.csv"
PTWALK_NO_O_TMPFILE=1 $M -b 1G -m 1M -q --allow-hidden -o "$TMP/mode/y.csv" 2>/dev/null
check_eq "memalloc -o a 0640 file (named temporary): exit 0, still 0640" \
	"$?:$(stat -c %a "$TMP/mode/y.csv")" "0:640"
mkdir -p "$TMP/mode/t"
echo old >"$TMP/mode/t/summary.csv"
chmod 600 "$TMP/mode/t/summary.csv"
$A -q -o "$TMP/mode/t" "$ROOT/tests/golden/analyze/mixed.csv" 2>/dev/null
check_eq "analyze over a 0600 summary.csv: exit 0, still 0600, new runhist.csv as umask says" \
	"$?:$(stat -c %a "$TMP/mode/t/summary.csv"):$(stat -c %a "$TMP/mode/t/runhist.csv")" \
	"0:600:$(printf '%o' $((0666 & ~$(umask))))"

# --- 3. output names: a dangling symlink, an empty name
mkdir -p "$TMP/dang/data"
ln -s data/new.csv "$TMP/dang/link.csv"
$M -b 1G -m 1M -q --allow-hidden -o "$TMP/dang/link.csv" 2>"$TMP/dang.err"
check_eq "memalloc -o a dangling symlink: exit 0, the symlink stays, its target gets 257 lines" \
	"$?:$(stat -c %F "$TMP/dang/link.csv"):$(wc -l <"$TMP/dang/data/new.csv" 2>/dev/null)" \
	"0:symbolic link:257"
ln -s link.csv "$TMP/dang/chain.csv"
rm "$TMP/dang/data/new.csv"
$M -b 1G -m 1M -q --allow-hidden -o "$TMP/dang/chain.csv" 2>/dev/null
check_eq "memalloc -o a chain of two dangling symlinks: the last target is created" \
	"$?:$(stat -c %F "$TMP/dang/chain.csv"):$(wc -l <"$TMP/dang/data/new.csv" 2>/dev/null)" \
	"0:symbolic link:257"
ln -s nodir/x.csv "$TMP/dang/bad.csv"
check_err "memalloc -o a symlink into a missing directory: refused up front" 1 \
	"^memalloc: cannot create $TMP/dang/bad.csv: No such file or directory" \
	$M -b 1G -m 1M -q --allow-hidden -o "$TMP/dang/bad.csv"
ln -s loop.csv "$TMP/dang/loop.csv"
check_err "memalloc -o a symlink loop: refused" 1 \
	"^memalloc: cannot create $TMP/dang/loop.csv: Too many levels of symbolic links" \
	$M -b 1G -m 1M -q --allow-hidden -o "$TMP/dang/loop.csv"
# Following a dangling link by hand must keep fs.protected_symlinks: in a
# sticky world-writable directory, root does not follow nobody's link.
if is_root && [ "$(cat /proc/sys/fs/protected_symlinks 2>/dev/null)" = 1 ] &&
	command -v setpriv >/dev/null; then
	mkdir -p "$TMP/sticky"
	chmod 1777 "$TMP/sticky" "$TMP"
	setpriv --reuid=nobody --regid=nogroup --clear-groups ln -s ../planted.csv "$TMP/sticky/out.csv"
	check_err "memalloc -o nobody's dangling link in a sticky dir (as root): refused" 1 \
		"^memalloc: cannot create $TMP/sticky/out.csv: Permission denied" \
		$M -b 1G -m 1M -q -o "$TMP/sticky/out.csv"
	check_eq "... and the planted target is not created" "$(ls "$TMP/planted.csv" 2>&1 >/dev/null | wc -l)" 1
	rm -rf "$TMP/sticky"
	chmod 700 "$TMP"
else
	skip "dangling link in a sticky dir: needs root, setpriv and fs.protected_symlinks=1 (it is $(cat /proc/sys/fs/protected_symlinks 2>/dev/null))"
fi
check_err "memalloc -o '': refused before the allocation" 1 \
	"^memalloc: cannot create : No such file or directory" \
	$M -b 1G -m 1M -q --allow-hidden -o ""
# -o /dev/stdout with ">> log": the log is appended to, not renamed over.
echo "precious line" >"$TMP/log.txt"
$M -b 1G -m 1M -q --allow-hidden -o /dev/stdout >>"$TMP/log.txt" 2>/dev/null
check_eq "memalloc -o /dev/stdout >>LOG: exit 0, LOG keeps its line and gets 257 more" \
	"$?:$(head -n 1 "$TMP/log.txt"):$(wc -l <"$TMP/log.txt")" "0:precious line:258"
echo "precious line" >"$TMP/log3.txt"
( exec 3>>"$TMP/log3.txt"; $M -b 1G -m 1M -q --allow-hidden -o /proc/self/fd/3 2>/dev/null )
check_eq "memalloc -o /proc/self/fd/3 (3>>LOG): exit 0, LOG keeps its line and gets 257 more" \
	"$?:$(head -n 1 "$TMP/log3.txt"):$(wc -l <"$TMP/log3.txt")" "0:precious line:258"
check_err "memalloc -o /dev/fd/9, not open: refused" 1 \
	"^memalloc: cannot create /dev/fd/9: Bad file descriptor$" \
	$M -b 1G -m 1M -q --allow-hidden -o /dev/fd/9
check_eq "bad output names leave no file behind" "$(ls -A "$TMP/dang" "$TMP/dang/data" | tr '\n' ' ')" \
	"$(printf '%s ' "$TMP/dang:" bad.csv chain.csv data link.csv loop.csv '' "$TMP/dang/data:" new.csv)"

# --- 4. fragment: numbers that wrap, a bad --ready-file, all before the fault-in
check_err "fragment --reserve 2^64-1: refused, not wrapped to a small reserve" 1 \
	"^fragment: only [0-9]+ MiB free, not more than the reserve of 17592186044415 MiB$" \
	$F -q -p 1 --reserve 18446744073709551615
check_err "fragment --seed 99999999999999999999: refused, not clamped" 2 \
	"^fragment: bad seed '99999999999999999999': want a non-negative integer" \
	$F -q -p 1 --seed 99999999999999999999
check_err "fragment --seed ' -1': refused, not wrapped to 2^64-1" 2 \
	"^fragment: bad seed ' -1': want a non-negative integer" $F -q -p 1 --seed " -1"
# Without -q a fault-in prints "faulted N pages": one stderr line only
# means it stopped before.  (-p 1: a regression costs 1% of MemFree.)
check_err "fragment --ready-file in a missing directory: refused before the fault-in" 1 \
	"^fragment: cannot create $TMP/nodir/ready: No such file or directory$" \
	$F -p 1 --ready-file "$TMP/nodir/ready"
check_err "fragment --ready-file a directory: refused before the fault-in" 1 \
	"^fragment: cannot create $TMP: Is a directory$" $F -p 1 --ready-file "$TMP"

# --- 5. analyze: one snapshot per phase, each zone once
B=$TMP/bi
mkdir -p "$B/a" "$B/b" "$B/out"
Z0='Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3'
Z1='Node 0, zone   Normal  16431  14277   9619   7249   3038   3179   1928   1073    795    437   1195'
Z2='Node 1, zone   Normal      1      0      0      0      0      0      0      0      0      0      0'
printf '%s\n' "$Z0" "$Z1" >"$B/a/buddyinfo.before.txt"
printf '%s\n' "$Z0" "$Z1" "$Z2" >"$B/b/buddyinfo.before.txt"
printf '%s\n' "$Z0" "$Z1" "$Z0" "$Z1" >"$B/buddyinfo.twice.txt"
printf '%s\n' "$Z2" "$Z1" >"$B/buddyinfo.down.txt"
printf '%s\n' "$Z0" "$Z1" "$Z2" >"$B/buddyinfo.ok.txt"
$A -q -o "$B/out" "$B/buddyinfo.ok.txt" 2>/dev/null
check_eq "analyze: a two-node snapshot gives 3 zones x 11 orders of frag.csv" \
	"$?:$(tail -n +2 "$B/out/frag.csv" | wc -l)" "0:33"
check_eq "analyze: a snapshot's tables are frag.csv, fragphase.csv and fragzone.csv" "$(ls "$B/out" | tr '\n' ' ')" "frag.csv fragphase.csv fragzone.csv "
rm -f "$B/out/frag.csv" "$B/out/fragphase.csv" "$B/out/fragzone.csv"
check_err "analyze: two snapshots of one phase are refused" 1 \
	"^analyze: $B/b/buddyinfo.before.txt:0: phase 'before' given twice \(also $B/a/buddyinfo.before.txt\)$" \
	$A -q -o "$B/out" "$B/a/buddyinfo.before.txt" "$B/b/buddyinfo.before.txt"
check_err "analyze: a snapshot pasted twice into one file is refused at its line 3" 1 \
	"^analyze: $B/buddyinfo.twice.txt:3: node 0 zone DMA again \(first at line 1: two snapshots in one file\?\)$" \
	$A -q -o "$B/out" "$B/buddyinfo.twice.txt"
check_err "analyze: node 0 after node 1 is refused" 1 \
	"^analyze: $B/buddyinfo.down.txt:2: node 0 after node 1 " \
	$A -q -o "$B/out" "$B/buddyinfo.down.txt"
check_err "analyze -p extfrag: a snapshot pasted twice is refused too" 1 \
	"buddyinfo.twice.txt:3: node 0 zone DMA again" $A -p extfrag "$B/buddyinfo.twice.txt"
check_eq "analyze: refused snapshots leave no table" "$(ls -A "$B/out")" ""

# --- 6. a program whose result is its standard output fails when it is lost
# (/dev/full, a closed descriptor); they all exited 0 with nothing written.
tofull() { "$@" >/dev/full; }
toclosed() { "$@" >&-; }
if [ -w /dev/full ]; then
	check_err "analyze -p extfrag >/dev/full: exit 1, says so" 1 \
		"^analyze: cannot write standard output: No space left on device$" \
		tofull $A -p extfrag "$B/buddyinfo.ok.txt"
	check_err "analyze -p unusable >&-: exit 1, says so" 1 \
		"^analyze: cannot write standard output: Bad file descriptor$" \
		toclosed $A -p unusable "$B/buddyinfo.ok.txt"
	check_err "pagemap_reader >/dev/full: exit 1, says so" 1 \
		"^pagemap_reader: cannot write standard output: No space left on device$" \
		tofull ${WRAP:-} $BIN/pagemap_reader --allow-hidden $$ 0x1000
	check_err "pagemap_reader --range over 2^35 pages >/dev/full: stops at once, exit 1" 1 \
		"^pagemap_reader: cannot write standard output: No space left on device$" \
		tofull timeout 20 ${WRAP:-} $BIN/pagemap_reader --allow-hidden $$ --range 0x1000 0x7ff000000000
	check_err "prober >/dev/full: exit 1 at once, not a wait with no address given" 1 \
		"^prober: cannot write standard output: No space left on device$" \
		tofull timeout 20 ${WRAP:-} $BIN/prober
	check_err "fragment >/dev/full: the holding line is lost: exit 1, says so" 1 \
		"^fragment: cannot write standard output: No space left on device$" \
		tofull $F -q -p 1
	check_err "memalloc --hold >/dev/full: its ready line is lost: exit 1, no hold" 1 \
		"^memalloc: cannot write standard output: No space left on device$" \
		tofull timeout 20 $M -b 1G -m 1M -q --allow-hidden --hold -o "$TMP/hold.csv"
else
	skip "programs writing to /dev/full: no writable /dev/full here"
fi

# --- 7. two runs committing table sets to one directory take turns
# Two concurrent "analyze -o D" interleaved their renames: 1 run in 300
# left summary/runhist of one and pfnmap/deltas of the other, exit 0.
# The commit now holds an flock on D; here flock(1) holds it for 2 s and
# analyze must not commit before.
if command -v flock >/dev/null; then
	d=$TMP/lockdir
	mkdir -p "$d"
	flock -x "$d" sleep 2 &
	lp=$!
	for _ in $(seq 100); do flock -n "$d" true || break; sleep 0.02; done
	$A -q -o "$d" "$ROOT/tests/golden/analyze/mixed.csv" &
	ap=$!
	sleep 0.7
	early=$(ls "$d" | wc -l)
	wait $ap
	st=$?
	wait $lp
	check_eq "analyze -o D while a commit holds D: waits for it (0 tables at 0.7 s), then $NT tables, exit 0" \
		"$early:$st:$(ls "$d" | wc -l)" "0:0:$NT"
	# Waiting for the lock, SIGTERM still ends the run and its temporaries.
	d=$TMP/lockdir2
	mkdir -p "$d"
	flock -x "$d" sleep 3 &
	lp=$!
	for _ in $(seq 100); do flock -n "$d" true || break; sleep 0.02; done
	PTWALK_NO_O_TMPFILE=1 $A -q -o "$d" "$ROOT/tests/golden/analyze/mixed.csv" &
	ap=$!
	for _ in $(seq 100); do [ "$(ls -A "$d" | wc -l)" -ge $NT ] && break; sleep 0.05; done
	named=$(ls -A "$d" | wc -l)
	kill -TERM $ap
	{ wait $ap; } 2>/dev/null
	st=$?
	kill $lp 2>/dev/null
	wait $lp 2>/dev/null
	check_eq "analyze waiting for the directory lock: SIGTERM ends it, its $NT temporaries removed" \
		"$st:$named:$(ls -A "$d" | tr '\n' ' ')" "143:$NT:"
else
	skip "commits take turns: no flock(1) here"
fi
