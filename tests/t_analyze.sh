#!/bin/bash
# tests/t_analyze.sh - the analyzer against golden tables, an independent
# reference, and every input error it must refuse.
#
# Golden: tests/golden/analyze/ holds hand-made inputs (mixed groups, runs
# broken by absent pages, page gaps, one-page and hugepage-backed groups,
# both mismatch kinds, a quoted field, CRLF lines, several zones and
# nodes) and the tables worked out by hand; the frag tables were made by
# frag_ref.awk (mm/vmstat.c redone in awk) and are recomputed here, and
# guest-6.1.* are buddyinfo snapshots from the guest with the debugfs
# extfrag/ files the kernel printed for the same state.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/analyze_lib.sh"
G=$ROOT/tests/golden/analyze

if [ ! -x "$BIN/analyze" ]; then
	fail "analyze built: $BIN/analyze missing"
	exit 0
fi

# --- golden, once from files and once with mixed.csv on a pipe
for mode in $MODES; do
	d=$TMP/g-$mode
	mkdir -p "$d"
	cp "$G"/mixed.csv "$G"/kmalloc.csv "$G"/buddyinfo.*.txt "$d"/
	if (cd "$d" && an $mode -o out mixed.csv kmalloc.csv buddyinfo.after.txt \
		buddyinfo.before.txt >stdout.txt 2>stderr.txt); then
		for f in summary runhist deltas deltabins pfnmap reuse findings frag fragzone; do
			if diff -u "$G/$f.csv" "$d/out/$f.csv" >"$d/diff" 2>&1; then
				pass "analyze golden $f.csv ($mode)"
			else
				fail "analyze golden $f.csv ($mode): $(head -c 400 "$d/diff")"
			fi
		done
		check "analyze golden stdout ($mode)" diff -u "$G/stdout.txt" "$d/stdout.txt"
		check_eq "analyze golden quiet stderr ($mode)" "$(cat "$d/stderr.txt")" ""
		check_eq "analyze no temp files left ($mode)" \
			"$(ls -A "$d/out" | tr '\n' ' ')" \
			"deltabins.csv deltas.csv findings.csv frag.csv fragphase.csv fragzone.csv leaves.csv overview.csv pfnmap.csv reuse.csv runhist.csv summary.csv v2p.csv walks.csv "
		w=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$d/stdout.txt")
		check "analyze stdout within 80 columns ($mode, widest $w)" [ "$w" -le 80 ]
	else
		fail "analyze golden ($mode): exit $?: $(head -c 300 "$d/stderr.txt")"
	fi
done

# --- deltabins.csv re-derived from deltas.csv's bucket ranges (lo_pages,
# hi_pages), not from the analyzer's bucket numbers: per (source,
# allocator), pairs with d = -1, 0, +1, 2 <= |d| <= 511, |d| >= 512
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ k = $c["source"] "," $c["allocator"]; if (!(k in seen)) { seen[k] = 1; ord[++n] = k } }
	$c["bucket"] == "absent" { next }
	{
	  lo = $c["lo_pages"] + 0; hi = $c["hi_pages"] + 0; m = lo < 0 ? -hi : lo
	  b = (lo == -1 && hi == -1) ? 1 : (lo == 0) ? 2 : (lo == 1 && hi == 1) ? 3 : (m < 512 ? 4 : 5)
	  p[k, b] += $c["pairs"]; all[k] += $c["pairs"] }
	END { split("-1 0 +1 +-2..511 +-512+", nm, " ")
	  for (j = 1; j <= n; j++) for (b = 1; b <= 5; b++)
	    printf "%s,%s,%d,%d,%.6f\n", ord[j], nm[b], p[ord[j], b], all[ord[j]], all[ord[j]] ? p[ord[j], b] / all[ord[j]] : 0 }' \
	"$G/deltas.csv" >"$TMP/dbins.ref"
# (an allocator whose groups have one page each has no deltas.csv row:
# the reference cannot name it; the analyzer gives it five zero rows)
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["present_pairs"] > 0' \
	"$G/deltabins.csv" >"$TMP/dbins.got"
check_eq "analyze deltabins.csv: user block (one page a group) has five empty bins" \
	"$(grep -c '^user,block,[^,]*,0,0,0.000000$' "$G/deltabins.csv")" 5
check "analyze deltabins.csv agrees with deltas.csv's buckets re-binned in awk" cmp -s "$TMP/dbins.ref" "$TMP/dbins.got"

# --- runhist.csv's size_share against summary.csv: pages / the present
# pages of that (source, allocator, size_bytes) over its samples
check_eq "analyze runhist.csv size_share = pages / summary.csv's present pages of the size" \
	"$(awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) c[FILENAME, $i] = i; next }
		function f(n) { return $c[FILENAME, n] }
		FILENAME ~ /summary/ { pr[f("source") "," f("allocator") "," f("size_bytes")] += f("present"); next }
		{ k = f("source") "," f("allocator") "," f("size_bytes")
		  if (sprintf("%.6f", f("pages") / pr[k]) != f("size_share")) print "bad " k " order " f("order") }' \
		"$G/summary.csv" "$G/runhist.csv")" ""

# --- pfnmap.csv's va and thp against the input rows of the same
# (source, allocator, size_bytes, sample, page): the va as written, thp 1
# exactly when the row's flags have thp
check_eq "analyze pfnmap.csv va and thp are the input rows' va and thp flag" \
	"$(awk -F, '{ gsub(/"/, "") }   # mixed.csv quotes some fields (none with a comma)
		FNR == 1 { for (i = 1; i <= NF; i++) c[FILENAME, $i] = i; next }
		function f(n) { return $c[FILENAME, n] }
		{ k = f("source") "," f("allocator") "," f("size_bytes") "," f("sample") "," f("page") }
		FILENAME !~ /pfnmap/ { va[k] = f("va"); thp[k] = (("|" f("flags") "|") ~ /\|thp\|/); next }
		!(k in va) || va[k] != f("va") || thp[k] != f("thp") { print "bad " k }
		{ n++ } END { if (n < 20) print "only " n " rows" }' \
		"$G/mixed.csv" "$G/kmalloc.csv" "$G/pfnmap.csv")" ""

# --- frag against the awk reference, and the debugfs-format printer
{
	$A --schema=frag.csv
	awk -v phase=after -f "$G/frag_ref.awk" "$G/buddyinfo.after.txt"
	awk -v phase=before -f "$G/frag_ref.awk" "$G/buddyinfo.before.txt"
} >"$TMP/frag.ref"
check "analyze frag_ref.awk agrees with the checked-in frag.csv" cmp -s "$TMP/frag.ref" "$G/frag.csv"
for k in unusable extfrag; do
	$A --print-index $k "$G/buddyinfo.before.txt" >"$TMP/$k.out" 2>"$TMP/$k.err"
	check "analyze --print-index $k matches the kernel's format" \
		cmp -s "$TMP/$k.out" "$G/before.${k}_index"
done
# Snapshots taken in the guest (Debian 6.1 kernel) with the kernel's own
# debugfs extfrag files read at the same state: equal byte for byte.
for b in "$G"/guest-*.buddyinfo; do
	for k in unusable extfrag; do
		$A -p $k "$b" >"$TMP/guest.out"
		check "analyze -p $k equals the kernel's debugfs for ${b##*/}" \
			cmp -s "$TMP/guest.out" "${b%.buddyinfo}.${k}_index"
	done
done
# And on this machine's own buddyinfo, whatever it holds now.
if [ -r /proc/buddyinfo ]; then
	cp /proc/buddyinfo "$TMP/buddyinfo.live.txt"
	awk -v kind=extfrag -f "$G/frag_ref.awk" "$TMP/buddyinfo.live.txt" >"$TMP/live.ref"
	$A -p extfrag "$TMP/buddyinfo.live.txt" >"$TMP/live.out"
	check "analyze extfrag of the live /proc/buddyinfo equals the awk reference" \
		cmp -s "$TMP/live.out" "$TMP/live.ref"
else
	skip "analyze live buddyinfo: /proc/buddyinfo not readable"
fi

# --- a larger generated file against the Python reference (runs_ref.py)
GEN=$BIN/../bench/gen_samples
[ -x "$GEN" ] || GEN=$ROOT/build/bench/gen_samples
if [ ! -x "$GEN" ]; then
	skip "analyze vs runs_ref.py: build/bench/gen_samples not built (make bench builds it)"
elif ! command -v python3 >/dev/null; then
	skip "analyze vs runs_ref.py: no python3"
else
	"$GEN" 40000 1000 7 >"$TMP/gen.csv"
	$A -q -o "$TMP/gen" "$TMP/gen.csv"
	python3 "$ROOT/bench/runs_ref.py" "$TMP/gen.csv" >"$TMP/gen.ref"
	cut -d, -f1-12 "$TMP/gen/summary.csv" >"$TMP/gen.got"
	check "analyze summary of 40000 generated rows equals runs_ref.py" cmp -s "$TMP/gen.got" "$TMP/gen.ref"
	check_eq "analyze generated groups" "$(($(wc -l <"$TMP/gen.got") - 1))" 40
fi

# --- usage
$A -h >"$TMP/h.out" 2>&1; st=$?
check_eq "analyze -h exits 0" "$st" 0
check "analyze -h shows EXAMPLES" grep -q '^EXAMPLES' "$TMP/h.out"
check_err "analyze without INPUT is a usage error" 2 '^analyze: no INPUT' $A
check_err "analyze bad option is a usage error" 2 "^analyze: unknown option '--bogus' \\(see analyze -h\\)$" $A --bogus x.csv
check_err "analyze bad --print-index kind" 2 '^analyze: --print-index takes' $A -p nonsense x

# --- --schema: the header every script and test takes (kmod/ptwalk_csv.h's
# one column list), equal to the golden files' first lines
check_eq "analyze --schema is the samples header of the golden inputs" "$SCHEMA" "$(head -n 1 "$G/mixed.csv")"
check_eq "analyze --schema line count" "$($A --schema | wc -l)" 1
for f in summary runhist deltas deltabins pfnmap reuse findings frag fragzone; do
	check_eq "analyze --schema=$f.csv is the golden $f.csv header" \
		"$($A --schema=$f.csv)" "$(head -n 1 "$G/$f.csv")"
done
check_err "analyze --schema of an unknown table" 2 "^analyze: --schema takes one of samples summary.csv .*, not 'x.csv'\$" $A --schema=x.csv
check_err "analyze --schema with an INPUT" 2 '^analyze: --schema takes no INPUT' $A --schema x.csv

# --- every input error: exit 1, one line naming FILE:LINE, no output left
H=$SCHEMA
R="user,block,8192,0"
V="0x00007f0000000000,0x0000000000100000,0x0000000000100000,,,pte,present,,,,,,"
W="0x00007f0000001000,0x0000000000101000,0x0000000000101000,,,pte,present,,,,,,"
err_case() {            # NAME PATTERN FILE-NAME CONTENT(printf format)
	local name=$1 pat=$2 fn=$3 out=$TMP/err-out
	rm -rf "$out"
	printf "$4" >"$TMP/$fn"
	check_err "analyze error: $name" 1 "$pat" $A -o "$out" "$G/mixed.csv" "$TMP/$fn"
	check_eq "analyze error leaves no output: $name" "$(ls -A "$out" 2>/dev/null)" ""
}
err_case "empty file" "^analyze: .*/empty.csv:1: empty file" empty.csv ''
err_case "missing header" "^analyze: .*/nohdr.csv:1: missing or wrong header" nohdr.csv "$R,0,$V\n"
err_case "wrong header" "^analyze: .*/badhdr.csv:1: missing or wrong header \(field 7 is 'phys'" badhdr.csv "${H/,pa,/,phys,}\n"
err_case "wrong field count" "^analyze: .*/fields.csv:3: 17 fields, want 18" fields.csv "$H\n$R,0,$V\n$R,1,${W%,}\n"
err_case "bad hex address" "^analyze: .*/hex.csv:2: bad hex address in column pa: '0x00000000001000zz'" hex.csv "$H\n$R,0,${V/0x0000000000100000,/0x00000000001000zz,}\n"
err_case "short hex address" "^analyze: .*/hex2.csv:2: bad hex address in column va" hex2.csv "$H\n$R,0,0x7f00${V#0x00007f0000000000}\n"
err_case "upper-case hex" "^analyze: .*/hex3.csv:2: bad hex address in column pa_pagemap" hex3.csv "$H\n$R,0,${V/,0x0000000000100000,,/,0x00000000001000AB,,}\n"
err_case "page out of order" "^analyze: .*/order.csv:3: page 0 out of order" order.csv "$H\n$R,0,$V\n$R,0,$W\n"
err_case "page going back" "^analyze: .*/back.csv:4: page 1 out of order \(after page 2" back.csv "$H\n$R,1,$V\n$R,2,$W\n$R,1,$W\n"
err_case "group reappears" "^analyze: .*/again.csv:4: group user,block,8192,0 reappears \(first seen at .*/again.csv:2\)" again.csv "$H\n$R,0,$V\nuser,block,8192,1,0,$V\n$R,1,$W\n"
err_case "group reappears across files" "^analyze: .*/across.csv:2: group user,malloc4k,20480,0 reappears \(first seen at .*/mixed.csv:2\)" across.csv "$H\nuser,malloc4k,20480,0,9,$V\n"
err_case "unterminated quote" "^analyze: .*/quote.csv:2: unterminated quoted field" quote.csv "$H\n\"user,block,8192,0,0,$V\n"
err_case "malformed quote" "^analyze: .*/quote2.csv:2: malformed quoted field" quote2.csv "$H\n\"us\"er,block,8192,0,0,$V\n"
err_case "NUL byte" "^analyze: .*/nul.csv:3: binary data \(NUL byte\)" nul.csv "$H\n$R,0,$V\nuser,bl\0ock\n"
err_case "binary garbage" "^analyze: .*/garbage.csv:1: missing or wrong header" garbage.csv '\x7fELF\x02\x01\x01\xff\xfe,\x80\x81\n'
err_case "bad source" "^analyze: .*/src.csv:2: bad source 'usr'" src.csv "$H\nusr,block,8192,0,0,$V\n"
err_case "bad number" "^analyze: .*/num.csv:2: bad number in column page: '-1'" num.csv "$H\n$R,-1,$V\n"
err_case "bad flag word" "^analyze: .*/flag.csv:2: bad flags 'present\|dirty'" flag.csv "$H\n$R,0,${V/present/present|dirty}\n"
err_case "bad level" "^analyze: .*/lvl.csv:2: bad level 'p4d'" lvl.csv "$H\n$R,0,${V/pte/p4d}\n"
err_case "empty buddyinfo" "^analyze: .*/buddyinfo.x.txt:1: empty file" buddyinfo.x.txt ''
err_case "bad buddyinfo line" "^analyze: .*/buddyinfo.y.txt:2: bad buddyinfo line" buddyinfo.y.txt 'Node 0, zone   Normal 1 2 3\nNode 0, zone DMA32 1 x 3\n'
err_case "buddyinfo NUL byte" "^analyze: .*/buddyinfo.z.txt:1: binary data" buddyinfo.z.txt 'Node 0, zone\0 Normal 1 2 3\n'
err_case "bad snapshot phase" "^analyze: .*/buddyinfo.a,b.txt:0: bad phase" 'buddyinfo.a,b.txt' 'Node 0, zone Normal 1\n'
check_err "analyze error: missing file" 1 "^analyze: $TMP/nonexistent.csv: cannot open: No such file" \
	$A -o "$TMP/err-out" "$TMP/nonexistent.csv"

# --- a quoted field and CRLF line ends among plain rows
printf '%s\r\n"user",block,8192,0,0,%s\n%s,1,%s\n' "$H" "$V" "$R" "$W" >"$TMP/q.csv"
$A -q -o "$TMP/q" "$TMP/q.csv"
check_eq "analyze quoted and CRLF rows" "$(sed -n 2p "$TMP/q/summary.csv")" \
	"user,block,8192,0,2,2,1,2,2.000,1.000000,0,0,1,1,0,0,0,1.000000,1,4096,2,0,0"
