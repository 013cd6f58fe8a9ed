#!/bin/bash
# tests/t_memalloc_maps.sh - memalloc --maps (the /proc/self/maps line of
# the VMA that held each experiment, collect/mapscsv.h) and the analyzer's
# vmas.csv made from it (analyze/vmas.c), host only.
#
# memalloc: every experiment has a row whose range is the pages its samples
# CSV recorded (first va to last va + 4096) and whose VMA holds that range;
# a held single experiment's VMA is the very line /proc/PID/maps shows for
# it; --maps cannot be standard output or -o's file.  The analyzer:
# tests/golden/vmas/maps.host.csv (memalloc -b 4K, thp and 1G rows from a
# real run on the development host, and three hand-made hugetlb rows, one
# experiment split over two VMAs) gives tests/golden/vmas/vmas.csv, each
# derived column (vma_kib, pages, excerpt) re-derived by a Python
# reference, and bad input is refused with one line naming file and line.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden/vmas
M=$BIN/memalloc
if [ ! -x "$M" ] || [ ! -x "$BIN/analyze" ]; then
	fail "memalloc --maps: $M or $BIN/analyze missing"
	exit 0
fi

# --- memalloc --maps ---------------------------------------------------------
hdr=allocator,size_bytes,sample,va_start,va_end,vma_start,vma_end,perms,offset,dev,inode,name
for b in 4K 1G thp; do
	if ! "$M" -q -b "$b" --sweep 4K:64K -n 2 --allow-hidden -o "$TMP/s.$b.csv" --maps "$TMP/m.$b.csv" 2>"$TMP/err"; then
		fail "memalloc -b $b --maps: exit non-zero: $(head -c 300 "$TMP/err")"
		continue
	fi
	check_eq "memalloc -b $b --maps: header" "$(head -n 1 "$TMP/m.$b.csv")" "$hdr"
	# per experiment: the samples CSV's range; every maps row of it must
	# carry that range, and the VMAs must cover it, rw-p and anonymous
	bad=$(awk -F, 'FNR == 1 { next }
		FILENAME ~ /\/s\./ { k = $3 "," $4; if (!(k in lo)) lo[k] = $6; hi[k] = $6; n[k]++; next }
		{ k = $2 "," $3; seen[k] = 1
		  if ($4 != lo[k]) print "start " k
		  if ($8 != "rw-p" || $12 != "") print "vma " k
		  if ($6 <= $4) first[k] = 1
		  if ($7 >= $5) last[k] = 1 }
		END { for (k in lo) {
			if (!seen[k]) print "missing " k
			else if (!first[k] || !last[k]) print "cover " k } }' "$TMP/s.$b.csv" "$TMP/m.$b.csv")
	# va_end: the last page + 4096, in the same 0x%016x form
	bad="$bad$(python3 - "$TMP/s.$b.csv" "$TMP/m.$b.csv" <<'PY'
import csv, sys
last = {}
for r in csv.DictReader(open(sys.argv[1])):
    last[(r["size_bytes"], r["sample"])] = int(r["va"], 16) + 4096
for r in csv.DictReader(open(sys.argv[2])):
    if int(r["va_end"], 16) != last[(r["size_bytes"], r["sample"])]:
        print("end", r["size_bytes"], r["sample"])
PY
)"
	check_eq "memalloc -b $b --maps: 10 experiments, each with its recorded range and the VMAs that hold it" \
		"$bad:$(cut -d, -f2,3 "$TMP/m.$b.csv" | sort -u | wc -l)" ":11"
done
if [ -f "$TMP/m.thp.csv" ]; then
	check_eq "memalloc -b thp --maps: every VMA starts 2 MiB-aligned" \
		"$(awk -F, 'NR > 1 && $6 !~ /[02468ace]00000$/' "$TMP/m.thp.csv")" ""
fi
# A held experiment: its row is the line /proc/PID/maps shows.
mkfifo "$TMP/in"
"$M" -q -b 1G -m 256K --allow-hidden -o "$TMP/h.csv" --maps "$TMP/h.maps" --hold <"$TMP/in" >"$TMP/h.out" 2>&1 &
hp=$!
exec 3>"$TMP/in"
for _ in $(seq 50); do grep -q ready "$TMP/h.out" && break; sleep 0.1; done
want=$(awk -F, 'NR == 2 { s = $6; e = $7; sub(/^0x0*/, "", s); sub(/^0x0*/, "", e); print s "-" e " " $8 }' "$TMP/h.maps")
got=$(cut -d' ' -f1,2 "/proc/$hp/maps" 2>/dev/null | grep -Fx -- "$want")
exec 3>&-
wait "$hp"
check_eq "memalloc --maps: the held experiment's row is its /proc/PID/maps line ($want)" "$got" "$want"
check_err "memalloc --maps -: refused" 2 "^memalloc: --maps -: want a file of its own" \
	"$M" -b 1G -m 4K -o "$TMP/x.csv" --maps -
check_err "memalloc --maps FILE same as -o: refused" 2 "^memalloc: --maps $TMP/x.csv: want a file of its own" \
	"$M" -b 1G -m 4K -o "$TMP/x.csv" --maps "$TMP/x.csv"
check "memalloc --maps refused: no file left" test ! -e "$TMP/x.csv"

# --- analyze: vmas.csv ---------------------------------------------------------
d=$TMP/an
if ! ${WRAP:-} "$BIN/analyze" -q -o "$d" "$G/maps.host.csv" 2>"$TMP/err"; then
	fail "analyze vmas: exit non-zero: $(head -c 300 "$TMP/err")"
else
	check "analyze vmas: golden vmas.csv" cmp -s "$G/vmas.csv" "$d/vmas.csv"
	check_eq "analyze vmas: header as --schema=vmas.csv has it" \
		"$(head -n 1 "$d/vmas.csv")" "$("$BIN/analyze" --schema=vmas.csv)"
	check_eq "analyze vmas: a maps input alone writes vmas.csv only" "$(ls "$d")" "vmas.csv"
	python3 - "$G/maps.host.csv" "$d/vmas.csv" <<'PY'
import csv, sys
inp = list(csv.DictReader(open(sys.argv[1])))
out = list(csv.DictReader(open(sys.argv[2])))
ok = len(inp) == len(out)
sizes = {}
for r in inp:
    sizes.setdefault(r["allocator"], set()).add(int(r["size_bytes"]))
first = {}
for r in inp:
    k = (r["allocator"], int(r["size_bytes"]))
    first[k] = min(first.get(k, 1 << 62), int(r["sample"]))
for i, o in zip(inp, out):
    h = lambda c: int(i[c], 16)
    want = dict(i)
    want["vma_kib"] = str((h("vma_end") - h("vma_start")) // 1024)
    want["pages"] = str((min(h("va_end"), h("vma_end")) - max(h("va_start"), h("vma_start")) + 4095) // 4096)
    z = int(i["size_bytes"])
    want["excerpt"] = "1" if z in (min(sizes[i["allocator"]]), max(sizes[i["allocator"]])) and int(i["sample"]) == first[(i["allocator"], z)] else "0"
    if o != want:
        ok = False
        print("FAIL analyze vmas reference: row %s: %r, want %r" % (i["allocator"] + " " + i["size_bytes"] + " " + i["sample"], o, want))
print(("PASS" if ok else "FAIL") + " analyze vmas: %d rows, vma_kib, pages and excerpt re-derived" % len(out))
PY
fi
bad() { # NAME LINE PATTERN: maps.host.csv's header and line 2 replaced by LINE
	{ head -n 1 "$G/maps.host.csv"; printf '%s\n' "$2"; } >"$TMP/maps.bad.csv"
	check_err "analyze vmas refuses $1" 1 "^analyze: $TMP/maps.bad.csv:2: $3" "$BIN/analyze" -q -o "$TMP/bad" "$TMP/maps.bad.csv"
}
row=malloc4k,4096,1,0x00007f4b23fc0000,0x00007f4b23fc1000,0x00007f4b23fc0000,0x00007f4b241c7000
bad "a missing field" "$row,rw-p,0x0000000000000000,00:00,0" "want 12 fields"
bad "bad perms" "$row,rwzp,0x0000000000000000,00:00,0," "bad perms"
bad "a VMA beside the experiment" "malloc4k,4096,1,0x00007f4b23fc0000,0x00007f4b23fc1000,0x00007f4b23fc1000,0x00007f4b241c7000,rw-p,0x0000000000000000,00:00,0," "the VMA does not overlap"
bad "a quoted name" "$row,rw-p,0x0000000000000000,00:00,0,\"/a,b\"" "a name with a comma or a quote"
bad "a short address" "malloc4k,4096,1,0x7f4b23fc0000,0x00007f4b23fc1000,0x00007f4b23fc0000,0x00007f4b241c7000,rw-p,0x0000000000000000,00:00,0," "bad va_start"
printf 'allocator,size_bytes\n' >"$TMP/maps.hdr.csv"
check_err "analyze vmas refuses another header" 1 "^analyze: $TMP/maps.hdr.csv:1: bad header" "$BIN/analyze" -q -o "$TMP/bad" "$TMP/maps.hdr.csv"
: >"$TMP/maps.empty.csv"
check_err "analyze vmas refuses an empty file" 1 "^analyze: $TMP/maps.empty.csv:0: empty file" "$BIN/analyze" -q -o "$TMP/bad" "$TMP/maps.empty.csv"
# Every kind of input at once, as reports/analyze.sh gives them: vmas.csv
# comes on top of all the other tables (a run of the report plan failed
# on "more than 16 tables" before the output set grew).
A=$ROOT/tests/golden/analyze C=$ROOT/tests/golden/compact/data
if ${WRAP:-} "$BIN/analyze" -q -o "$TMP/all" "$A/mixed.csv" "$A/buddyinfo.before.txt" "$A/buddyinfo.after.txt" \
	"$A/pagemap.user.txt" "$C/vmstat.fresh.txt" "$C/pagetypeinfo.fresh.txt" "$G/maps.host.csv" 2>"$TMP/err"; then
	check "analyze vmas: with samples, snapshots and pagemap inputs, vmas.csv as alone" cmp -s "$G/vmas.csv" "$TMP/all/vmas.csv"
else
	fail "analyze vmas: with every other kind of input: exit non-zero: $(head -c 300 "$TMP/err")"
fi
