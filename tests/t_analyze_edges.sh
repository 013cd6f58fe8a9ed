#!/bin/bash
# tests/t_analyze_edges.sh - the analyzer at the edges its golden test
# never reaches: a last line without its newline (the golden inputs with the
# last byte stripped, a last line straddling the 1 MiB read buffer, the same
# bytes through a pipe), and hex addresses of the wrong length or with a
# bad digit in each position (file:line error) or a good one (right value),
# and a line longer than the whole read buffer.
# Every case runs twice (tests/analyze_lib.sh): with the samples CSV
# named as a file, and with it on a pipe as "-".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/analyze_lib.sh"
G=$ROOT/tests/golden/analyze

if [ ! -x "$BIN/analyze" ]; then
	fail "analyze built: $BIN/analyze missing"
	exit 0
fi
# Under valgrind or a sanitizer build every run costs 10-100 times more:
# there a few cases of each kind stand for the rest (the decoder itself is
# checked byte by byte in tests/unit_samples.c).
SAN_RUN=0
[ -n "${WRAP:-}" ] && SAN_RUN=1
case $BIN in */asan/* | */ubsan/*) SAN_RUN=1 ;; esac

# golden_run NAME MODE DIR: analyze the four golden inputs found in DIR (as
# t_analyze.sh does) and compare every table and stdout with the golden ones.
golden_run() {
	local name=$1 mode=$2 d=$3 f bad=""
	if ! (cd "$d" && an $mode -o out mixed.csv kmalloc.csv buddyinfo.after.txt \
		buddyinfo.before.txt >stdout.txt 2>stderr.txt); then
		fail "$name: exit status non-zero: $(head -c 300 "$d/stderr.txt")"
		return
	fi
	for f in summary runhist deltas pfnmap frag; do
		cmp -s "$G/$f.csv" "$d/out/$f.csv" || bad="$bad $f.csv"
	done
	cmp -s "$G/stdout.txt" "$d/stdout.txt" || bad="$bad stdout"
	[ -s "$d/stderr.txt" ] && bad="$bad stderr($(head -c 100 "$d/stderr.txt"))"
	if [ -z "$bad" ]; then pass "$name"; else fail "$name: differs from golden:$bad"; fi
}

# --- 1. the last line without its newline ------------------------------
# mixed.csv ends in "\n", kmalloc.csv in "\r\n", buddyinfo files in "\n":
# strip one byte (kmalloc.csv then ends in a bare "\r") or the whole line end.
for mode in $MODES; do
	for f in mixed.csv kmalloc.csv buddyinfo.after.txt buddyinfo.before.txt; do
		for cut in 1 eol; do
			d=$TMP/nonl-$mode-$f-$cut
			mkdir -p "$d"
			cp "$G"/mixed.csv "$G"/kmalloc.csv "$G"/buddyinfo.*.txt "$d"/
			n=1
			[ $cut = eol ] && [ "$(tail -c 2 "$G/$f" | od -An -c | tr -d ' ')" = '\r\n' ] && n=2
			[ $cut = eol ] && [ $n = 1 ] && continue     # same as cut 1
			head -c -$n "$G/$f" >"$d/$f"
			check_eq "last line without newline: $f minus $n byte(s) is really cut ($mode)" \
				"$(($(wc -c <"$G/$f") - $(wc -c <"$d/$f")))" $n
			golden_run "last line without newline: $f minus its last $n byte(s) gives the golden tables ($mode)" $mode "$d"
		done
	done
done

# A last line that starts before the 1 MiB read buffer ends and ends after
# it, with no newline; and the same rows through a pipe (64 KiB reads).
GEN=$BIN/../bench/gen_samples
[ -x "$GEN" ] || GEN=$ROOT/build/bench/gen_samples
if [ ! -x "$GEN" ]; then
	skip "last line across the read buffer: build/bench/gen_samples not built"
else
	"$GEN" 12000 1000 3 >"$TMP/big.full"
	# Keep the rows up to the one that holds byte 1048576 (1-based offsets).
	end=$(awk -v B=1048576 '{ n += length($0) + 1; if (n > B) { print n; exit } }' "$TMP/big.full")
	head -c "$end" "$TMP/big.full" >"$TMP/big.nl"
	head -c $((end - 1)) "$TMP/big.full" >"$TMP/big.csv"
	start=$((end - $(tail -n 1 "$TMP/big.nl" | wc -c)))
	check "last line across the read buffer: it starts at byte $start < 1048576 <= its end $end" \
		test "$start" -lt 1048576 -a "$end" -gt 1048576
	rows=$(($(wc -l <"$TMP/big.nl") - 1))
	for mode in $MODES; do
		$A -q -o "$TMP/big-ref-$mode" "$TMP/big.nl"
		an $mode -q -o "$TMP/big-cut-$mode" "$TMP/big.csv"
		if [ $SAN_RUN = 1 ]; then cp -r "$TMP/big-cut-$mode" "$TMP/big-pipe-$mode"
		else cat "$TMP/big.csv" | $A -q -o "$TMP/big-pipe-$mode" -; fi
		got=$(awk -F, 'NR > 1 { s += $5 } END { print s + 0 }' "$TMP/big-cut-$mode/summary.csv")
		check_eq "last line across the read buffer: all $rows rows counted ($mode)" "$got" "$rows"
		for f in summary runhist deltas pfnmap; do
			check "last line across the read buffer: $f.csv as with the newline ($mode)" \
				cmp -s "$TMP/big-ref-$mode/$f.csv" "$TMP/big-cut-$mode/$f.csv"
			[ $SAN_RUN = 1 ] || check "the same rows through a pipe: $f.csv ($mode)" \
				cmp -s "$TMP/big-ref-$mode/$f.csv" "$TMP/big-pipe-$mode/$f.csv"
		done
	done
fi

# A line longer than the whole 1 MiB read buffer (a 1.2 MB allocator
# name): the reader refuses it at its line number for its length
# (SAMPLES_LINE_MAX, so that memory stays bounded), before libcsv holds it,
# and a good row after it is not needed for that.  From a file and a pipe,
# and the same bytes with a final newline.
long=$(head -c 1200000 /dev/zero | tr '\0' a)
for nl in with without; do
	[ $SAN_RUN = 1 ] && [ $nl = with ] && continue
	{
		echo "$SCHEMA"
		echo "user,block,4096,0,0,0x00007f0000000000,0x0000000000100000,,,,pte,present,,,,,,"
		printf 'user,%s,4096,0,0,0x00007f0000000000,0x0000000000100000,,,,pte,present,,,,,,' "$long"
		[ $nl = with ] && echo
	} >"$TMP/long.csv"
	for mode in $MODES; do
		rm -rf "$TMP/long-out"
		check_err "line longer than the read buffer, $nl newline: refused at line 3 ($mode)" 1 \
			"^analyze: $(in_name $mode "$TMP/long.csv"):3: line longer than 65536 bytes\$" an $mode -q -o "$TMP/long-out" "$TMP/long.csv"
	done
done

# --- 4. hex addresses: wrong length, a bad digit anywhere, good values --
H=$SCHEMA
VA=0x00007f0000000000 PA=0x0000000000100000
# row VA PA: one schema-1 row with these two addresses.
row() { echo "user,block,4096,0,0,$1,$2,,,,pte,present,,,,,,"; }
# hexcase NAME MODE COLUMN VALUE: a file whose line 2 has VALUE in COLUMN
# (va or pa) must be refused with "FILE:2: bad hex address in column
# COLUMN: 'VALUE'", exit 1, no table left.  Returns 1 (and says why) if not.
hexcase() {
	local name=$1 mode=$2 colname=$3 v=$4 f=$TMP/hex.csv out=$TMP/hex-out st=0
	rm -rf "$out"
	if [ "$colname" = va ]; then r=$(row "$v" "$PA"); else r=$(row "$VA" "$v"); fi
	printf '%s\n%s\n' "$H" "$r" >"$f"
	an $mode -q -o "$out" "$f" >/dev/null 2>"$TMP/hex.err" || st=$?
	if [ "$st" != 1 ] || [ "$(wc -l <"$TMP/hex.err")" != 1 ] ||
		[ "$(cat "$TMP/hex.err")" != "analyze: $(in_name $mode "$f"):2: bad hex address in column $colname: '$v'" ] ||
		[ -n "$(ls -A "$out" 2>/dev/null)" ]; then
		echo "$name: '$v' in $colname: exit $st, stderr '$(head -c 160 "$TMP/hex.err")', left '$(ls -A "$out" 2>/dev/null | tr '\n' ' ')'"
		return 1
	fi
}
# Bad bytes next to the good ranges ('/' and ':' around 0-9, '`' and 'g'
# around a-f, '@' 'A' 'F' 'G' the upper case), three at each of the 16
# digit positions, rotating.  Under valgrind or a sanitizer: column pa
# only, lengths 15, 17, 19 and one bad byte at the first and last digit
# of each 8-digit half (positions 2, 9, 10, 17).
set -- g : / '`' @ A F G
BADCH=("$@")
for mode in $MODES; do
	for colname in va pa; do
		[ $SAN_RUN = 1 ] && [ $colname = va ] && continue
		good=$VA; [ $colname = pa ] && good=$PA
		errs="" n=0
		lens="1 14 15 17 19 20" posns=$(seq 2 17) per=3
		[ $SAN_RUN = 1 ] && lens="15 17 19" posns="2 9 10 17" per=1
		for len in $lens; do      # digits after 0x; 16 is right
			v=0x$(printf '%0*d' $len 0 | tr 0 1)
			n=$((n + 1))
			e=$(hexcase "hex length" $mode $colname "$v") || errs="$errs; $e"
		done
		prefixes="0X${good#0x} 1x${good#0x} 00${good#0x} x0${good#0x} ${good#0x}00"
		[ $SAN_RUN = 1 ] && prefixes="0X${good#0x}"
		for v in $prefixes; do
			n=$((n + 1))
			e=$(hexcase "hex prefix" $mode $colname "$v") || errs="$errs; $e"
		done
		k=0
		for pos in $posns; do
			for j in $(seq 0 $((per - 1))); do
				ch=${BADCH[(k * per + j) % ${#BADCH[@]}]}
				v=${good:0:pos}$ch${good:pos+1}
				n=$((n + 1))
				e=$(hexcase "hex digit" $mode $colname "$v") || errs="$errs; $e"
			done
			k=$((k + 1))
		done
		if [ -z "$errs" ]; then
			pass "hex $colname: $n bad addresses (lengths $(echo $lens | tr ' ' ,) digits, bad prefixes, bad bytes at positions $(echo $posns | cut -d' ' -f1)..$(echo $posns | awk '{print $NF}')) refused with file:line ($mode)"
		else
			fail "hex $colname ($mode):${errs:0:600}"
		fi
	done
done

# Good addresses decode to the right value: group s has two pages, pa 0 and
# pa X with one digit d in position p, so span_pages = X >> 12.
{
	echo "$H"
	s=0
	for p in $(seq 0 15); do
		for d in 1 7 9 a f; do
			[ $p = 0 ] && [ $d = 9 -o $d = a -o $d = f ] && continue  # above 2^63
			x=$(printf '%016x' $((0x$d << (4 * (15 - p)))))
			s=$((s + 1))
			echo "user,block,8192,$s,0,0x00007f0000000000,0x0000000000000000,,,,pte,present,,,,,,"
			echo "user,block,8192,$s,1,0x00007f0000001000,0x$x,,,,pte,present,,,,,,"
			echo "$s $(( (0x$x >> 12) & 0x000fffffffffffff ))" >>"$TMP/span.want"
		done
	done
} >"$TMP/values.csv"
for mode in $MODES; do
	if an $mode -q -o "$TMP/val-$mode" "$TMP/values.csv" 2>"$TMP/val.err"; then
		awk -F, 'NR > 1 { print $4, $13 }' "$TMP/val-$mode/summary.csv" | sort -n >"$TMP/span.got"
		sort -n "$TMP/span.want" >"$TMP/span.want.s"
		if cmp -s "$TMP/span.want.s" "$TMP/span.got"; then
			pass "hex values: each digit 1 7 9 a f in each of the 16 positions decodes right ($(wc -l <"$TMP/span.got") groups, $mode)"
		else
			fail "hex values ($mode): $(diff "$TMP/span.want.s" "$TMP/span.got" | head -n 4 | tr '\n' ' ')"
		fi
	else
		fail "hex values ($mode): analyze refused good addresses: $(head -c 200 "$TMP/val.err")"
	fi
done
