#!/bin/bash
# tests/t_analyze_userpm.sh - analyze's pagemap.csv (analyze/userpm.c), the
# report's user side: tests/golden/analyze/pagemap.user.txt (maps lines and
# raw pagemap entries as vm/plans/report.sh wrote them in a real guest run
# (Debian 6.1): memalloc's file-backed text page, its THP block's first
# page and an address 0x234 into its second, its stack's lowest page (not
# present) and highest, and a shell's own stack page as root and as uid
# 65534, PFN hidden) against tests/golden/analyze/pagemap.csv, every row re-decoded
# by a Python reference written from Documentation/admin-guide/mm/pagemap.rst,
# and bad input refused with one line naming the file and line.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden/analyze
IN=$G/pagemap.user.txt
if [ ! -x "$BIN/analyze" ]; then
	fail "analyze pagemap: $BIN/analyze missing"
	exit 0
fi
d=$TMP/out
if ! ${WRAP:-} "$BIN/analyze" -q -o "$d" "$IN" 2>"$TMP/err"; then
	fail "analyze pagemap: exit non-zero: $(head -c 300 "$TMP/err")"
	exit 0
fi
check "analyze pagemap golden pagemap.csv" cmp -s "$G/pagemap.csv" "$d/pagemap.csv"
check_eq "analyze pagemap: header as --schema=pagemap.csv has it" \
	"$(head -n 1 "$d/pagemap.csv")" "$("$BIN/analyze" --schema=pagemap.csv)"
if command -v python3 >/dev/null; then
	python3 - "$IN" "$d/pagemap.csv" <<'PY'
import csv, sys
maps, ents = [], []
for l in open(sys.argv[1]):
    w = l.split()
    if w and w[0] == "maps":
        lo, hi = (int(x, 16) for x in w[2].split("-"))
        maps.append((w[1], lo, hi, w[3], " ".join(w[7:])))
    elif w and w[0] == "entry":
        ents.append((w[1], w[2], int(w[3], 16), int(w[4], 16)))
got = list(csv.DictReader(open(sys.argv[2])))
want = []
for pid, reader, va, raw in ents:
    present, pfn = raw >> 63, raw & (2**55 - 1)
    vma = [m for m in maps if m[0] == pid and m[1] <= va < m[2]]
    want.append([reader, pid, hex(va), "0x%016x" % raw, str(present), str(raw >> 62 & 1), str(raw >> 61 & 1),
                 str(raw >> 56 & 1), str(raw >> 55 & 1), hex(pfn) if present else "", "0x%03x" % (va % 4096),
                 hex(pfn * 4096 + va % 4096) if present and pfn else "", str(int(bool(present and not pfn))),
                 hex(vma[0][1]) if vma else "", hex(vma[0][2]) if vma else "", vma[0][3] if vma else "", vma[0][4] if vma else ""])
g = [list(r.values()) for r in got]
print("PASS analyze pagemap: every row re-decoded by the reference" if g == want else
      "FAIL analyze pagemap: reference differs: %r vs %r" % (g[:2], want[:2]))
print("PASS analyze pagemap: the fixture has a hidden PFN and a non-zero offset" if
      any(r["pfn_hidden"] == "1" for r in got) and any(r["offset"] != "0x000" and r["pa"] for r in got) else
      "FAIL analyze pagemap: the fixture lacks a hidden PFN or an offset")
PY
else
	skip "analyze pagemap reference: no python3"
fi
bad() { # NAME LINE-TEXT WANT-REGEX
	mkdir -p "$TMP/bad" && printf '%s\n' "$2" >"$TMP/bad/pagemap.x.txt"
	check_err "analyze pagemap refuses $1" 1 "$3" "$BIN/analyze" -q -o "$TMP/bad/o" "$TMP/bad/pagemap.x.txt"
}
bad "an unknown line" "hello" "pagemap.x.txt:1: unknown line"
bad "a bad raw entry" "entry 5 root 0x1000 0xzz" "pagemap.x.txt:1: bad RAW"
bad "a maps range backwards" "maps 5 2000-1000 r--p 00000000 00:00 0" "pagemap.x.txt:1: bad START-END"
bad "a PID of 0" "entry 0 root 0x1000 0x8000000000000001" "pagemap.x.txt:1: bad PID"
