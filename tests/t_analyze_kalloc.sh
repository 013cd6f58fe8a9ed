#!/bin/bash
# tests/t_analyze_kalloc.sh - the analyzer tables that the report's
# sections pick instead of computing (issue 15 point 10): fragzone.csv
# (the zone the analyzer chose, with unusable_pct), allocphase.csv (from
# allocs.PHASE.csv) and refusals.csv (failures.csv with the page order)
# (analyze/frag.c, analyze/kalloc.c), and findings.csv's THP share.
# Golden files from tests/golden/frag/data (checked by hand against the
# data: DMA32 has the most free pages, 469928 fresh), then the edges: a
# tie between two zones, a snapshot without the chosen zone, an
# allocator that never succeeded or never failed, two successes of one
# size, a size that is no power of two, a five-column failures.csv, a
# THP share of one page in three; then bad input: one line naming the
# file and line, exit 1, no table left.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden/frag
A=$BIN/analyze

if [ ! -x "$A" ]; then
	fail "analyze kalloc: $A missing"
	exit 0
fi

# --- golden: the frag check's snapshots and kernel probes
if "$A" -q -o "$TMP/g" "$G"/data/buddyinfo.*.txt "$G"/data/allocs.*.csv 2>"$TMP/err"; then
	for f in fragzone allocphase; do
		if diff -u "$G/want/$f.csv" "$TMP/g/$f.csv" >"$TMP/diff"; then
			pass "analyze kalloc golden $f.csv"
		else
			fail "analyze kalloc golden $f.csv: $(head -c 600 "$TMP/diff")"
		fi
		check_eq "analyze kalloc: $f.csv header is --schema's" \
			"$(head -n 1 "$TMP/g/$f.csv")" "$("$A" --schema="$f.csv")"
	done
else
	fail "analyze kalloc golden: exit non-zero: $(head -c 300 "$TMP/err")"
fi

# --- fragzone.csv: a tie between two zones is the first seen; a snapshot
# without the zone has no rows; unusable_pct is the index x 100
printf 'Node 0, zone      DMA      0      2\nNode 0, zone    DMA32      4      0\n' >"$TMP/buddyinfo.a.txt"
printf 'Node 0, zone    DMA32      1      0\nNode 0, zone   Normal      1      1\n' >"$TMP/buddyinfo.b.txt"
"$A" -q -o "$TMP/tie" "$TMP/buddyinfo.a.txt" "$TMP/buddyinfo.b.txt"
check_eq "analyze kalloc: fragzone on a tie (DMA and DMA32 4 pages) is DMA, the first; b has no DMA" \
	"$(tail -n +2 "$TMP/tie/fragzone.csv" | tr '\n' ' ')" \
	"a,0,DMA,0,0,4,0.000,0.0,-1.000 a,0,DMA,1,2,4,0.000,0.0,-1.000 "
"$A" -q -o "$TMP/tie2" "$TMP/buddyinfo.b.txt" "$TMP/buddyinfo.a.txt"
check_eq "analyze kalloc: fragzone, Normal (3 pages) in b loses to DMA in a whatever the order" \
	"$(awk -F, 'NR > 1 { print $1 $3 }' "$TMP/tie2/fragzone.csv" | sort -u | tr '\n' ' ')" "aDMA "
printf 'Node 0, zone   Normal      3      0      1\n' >"$TMP/buddyinfo.c.txt"
"$A" -q -o "$TMP/pct" "$TMP/buddyinfo.c.txt"
check_eq "analyze kalloc: unusable_pct at order 1 and 2 (3 of 7 pages, then 3 of 7)" \
	"$(awk -F, 'NR > 2 { printf "%s=%s ", $7, $8 }' "$TMP/pct/fragzone.csv")" "0.428=42.8 0.428=42.8 "

# --- allocphase.csv edges
H='phase,allocator,size_bytes,order,ok,errno'
printf '%s\nx,kmalloc,4096,0,1,\nx,kmalloc,8192,1,1,\nx,kmalloc,8192,1,1,\nx,kmalloc,16384,2,0,ENOMEM\nx,kmalloc,32768,3,0,E2BIG\nx,alloc_pages,4096,0,0,ENOMEM\nx,vmalloc,4096,0,1,\n' "$H" >"$TMP/allocs.x.csv"
"$A" -q -o "$TMP/al" "$TMP/allocs.x.csv"
check_eq "analyze kalloc: allocphase largest success, first failure, none succeeded, none failed" \
	"$(tail -n +2 "$TMP/al/allocphase.csv" | tr '\n' ' ')" \
	"x,kmalloc,5,3,8192,1,16384,2,ENOMEM x,alloc_pages,1,0,,,4096,0,ENOMEM x,vmalloc,1,1,4096,0,,, "
check_eq "analyze kalloc: allocs alone make allocphase.csv only" "$(ls "$TMP/al" | tr '\n' ' ')" "allocphase.csv "

# --- refusals.csv: the order of each size
"$A" -q -o "$TMP/rf" "$ROOT/tests/golden/report/data/failures.csv"
check_eq "analyze kalloc: refusals.csv of the report's failures (8 MiB: order 11; the quoted message keeps its comma)" \
	"$(cat "$TMP/rf/refusals.csv")" "allocator,size_bytes,order,sample,errno,message,refused_by,limit_name,limit_value
kmalloc,8388608,11,1,ENOMEM,\"Cannot allocate memory: kmalloc 8388608: above KMALLOC_MAX_SIZE, 4194304 bytes\",ptwalk,KMALLOC_MAX_SIZE,4194304
alloc_pages,8388608,11,1,ENOMEM,Cannot allocate memory,kernel,,"
mkdir -p "$TMP/f5"
printf 'allocator,size_bytes,sample,errno,message\nkmalloc,12288,2,ENOMEM,no\nvmalloc,0,1,EINVAL,zero; size\nalloc_pages,4096,1,ENOMEM,x\n' >"$TMP/f5/failures.csv"
"$A" -q -o "$TMP/rf5" "$TMP/f5/failures.csv"
check_eq "analyze kalloc: five-column failures.csv, 12288 B is order 2, size 0 no order, 4096 order 0" \
	"$(tail -n +2 "$TMP/rf5/refusals.csv" | tr '\n' ' ')" \
	"kmalloc,12288,2,2,ENOMEM,no,,, vmalloc,0,,1,EINVAL,zero; size,,, alloc_pages,4096,0,1,ENOMEM,x,,, "

# RFC 4180 fields: a quoted message with commas and a doubled quote is
# one field, read back and written quoted again; an empty quoted field
mkdir -p "$TMP/fq"
printf 'allocator,size_bytes,sample,errno,message,refused_by,limit_name,limit_value\nkmalloc,8192,1,ENOMEM,"say ""no"", twice, then stop",kernel,"",\n' >"$TMP/fq/failures.csv"
"$A" -q -o "$TMP/rfq" "$TMP/fq/failures.csv"
check_eq "analyze kalloc: a quoted message with commas and \"\" stays one field" \
	"$(tail -n +2 "$TMP/rfq/refusals.csv")" 'kmalloc,8192,1,1,ENOMEM,"say ""no"", twice, then stop",kernel,,'

# --- findings.csv: the THP share over all groups of an allocator
S=$("$A" --schema)
{
	echo "$S"
	awk -v h="$S" 'BEGIN { n = split(h, c, ","); for (i = 1; i <= n; i++) k[c[i]] = i
		for (p = 0; p < 3; p++) {
			for (i = 1; i <= n; i++) v[i] = ""
			v[k["source"]] = "user"; v[k["allocator"]] = "thp"; v[k["size_bytes"]] = 12288
			v[k["sample"]] = 1; v[k["page"]] = p; v[k["va"]] = sprintf("0x%016x", 1048576 + 4096 * p)
			v[k["pa"]] = sprintf("0x%016x", 2097152 + 4096 * p); v[k["level"]] = p ? "pte" : "pmd"
			v[k["flags"]] = p ? "present" : "present|thp"
			s = v[1]; for (i = 2; i <= n; i++) s = s "," v[i]; print s } }'
} >"$TMP/thp.csv"
if "$A" -q -o "$TMP/th" "$TMP/thp.csv" 2>"$TMP/err"; then
	check_eq "analyze kalloc: findings thp 1 of 3 pages is 33.3%" \
		"$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["all_pages"], $c["thp_pages"], $c["thp_pct"] }' "$TMP/th/findings.csv")" "3 1 33.3"
else
	fail "analyze kalloc: findings thp input refused: $(head -c 300 "$TMP/err")"
fi

# --- bad input: one line, FILE:LINE, exit 1, no table left
bad() {	# bad NAME FILE CONTENT PATTERN
	mkdir -p "$TMP/bad"
	printf '%b' "$3" >"$TMP/bad/$2"
	check_err "analyze kalloc: $1" 1 "$4" "$A" -q -o "$TMP/bad/out" "$TMP/bad/$2" "$G/data/buddyinfo.fresh.txt"
	check_eq "analyze kalloc: $1: no table left" "$(ls "$TMP/bad/out" 2>/dev/null | tr '\n' ' ')" ""
	rm -rf "$TMP/bad"
}
bad "allocs bad header" allocs.p.csv 'phase,allocator\n' 'allocs.p.csv:1: bad header'
bad "allocs phase of another file" allocs.p.csv "$H\nq,kmalloc,4096,0,1,\n" 'allocs.p.csv:2: phase differs'
bad "allocs seven fields" allocs.p.csv "$H\np,kmalloc,4096,0,1,,x\n" 'allocs.p.csv:2: want 6 fields'
bad "allocs ok 2" allocs.p.csv "$H\np,kmalloc,4096,0,2,\n" 'allocs.p.csv:2: bad size_bytes, order'
bad "allocs order 64" allocs.p.csv "$H\np,kmalloc,4096,64,1,\n" 'allocs.p.csv:2: bad size_bytes, order'
bad "allocs failure without errno" allocs.p.csv "$H\np,kmalloc,4096,0,0,\n" 'allocs.p.csv:2: bad errno'
bad "allocs empty" allocs.p.csv '' 'allocs.p.csv: empty file'
bad "allocs bad phase name" 'allocs.a b.csv' "$H\n" 'allocs.a b.csv:0: bad phase'
bad "failures unterminated quote" failures.csv 'allocator,size_bytes,sample,errno,message\nkmalloc,4096,1,ENOMEM,"a, b\n' 'failures.csv:2: a bad quote'
bad "failures quote inside a field" failures.csv 'allocator,size_bytes,sample,errno,message\nkmalloc,4096,1,ENOMEM,a"b\n' 'failures.csv:2: a bad quote'
bad "failures text after a closing quote" failures.csv 'allocator,size_bytes,sample,errno,message\nkmalloc,4096,1,ENOMEM,"a"b\n' 'failures.csv:2: a bad quote'
bad "failures bad size" failures.csv 'allocator,size_bytes,sample,errno,message\nkmalloc,4k,1,ENOMEM,x\n' 'failures.csv:2: bad allocator, size_bytes'
bad "failures six fields" failures.csv 'allocator,size_bytes,sample,errno,message\nkmalloc,4096,1,ENOMEM,x,y\n' 'failures.csv:2: want 5 fields'
bad "failures bad header" failures.csv 'allocator,size\n' 'failures.csv:1: bad header'

# --- every kind of input in one run: all 19 tables at once (outset.h
# held 16 until these tables came)
C=$ROOT/tests/golden/compact/data
if "$A" -q -o "$TMP/all" "$ROOT/tests/golden/analyze/mixed.csv" "$G"/data/buddyinfo.*.txt "$G"/data/allocs.*.csv \
	"$C/vmstat.fresh.txt" "$C/pagetypeinfo.fresh.txt" "$ROOT/tests/golden/analyze/pagemap.user.txt" \
	"$ROOT/tests/golden/report/data/failures.csv" 2>"$TMP/err"; then
	check_eq "analyze kalloc: every input kind at once writes all 19 tables" "$(ls "$TMP/all" | wc -l)" 19
else
	fail "analyze kalloc: every input kind at once: $(head -c 300 "$TMP/err")"
fi
