#!/bin/sh
# tests/guest/t_userio.sh - issue 12's user-space cases that only the
# guest shows: pagemap_reader on a kernel thread and past the top of user
# space on Debian's 6.1 kernel (whose pagemap gives a short read there,
# where newer kernels refuse the open), pfn_ioctl's stdin lines without
# getline, and output files on the 9p share /out, which has no O_TMPFILE:
# memalloc's named temporary must go on SIGTERM, and a run must leave no
# temporary behind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"

check_err "pagemap_reader PID 2 (kthreadd): no user address space, not a short read" 1 \
	"^pagemap_reader: PID 2 has no user address space \(a kernel thread" "$BIN/pagemap_reader" 2 0x1000
sleep 300 &
spid=$!
good=$(awk -F'[- ]' 'NR == 1 { print "0x" $1 }' /proc/$spid/maps)
good=$(printf '0x%x' "$good")   # maps pads to 8 digits at least
"$BIN/pagemap_reader" $spid 0x100000000000000 "$good" >"$TMP/pr.out" 2>"$TMP/pr.err"
st=$?
check_eq "pagemap_reader a VA above user space: exit 1, one line naming it, the good VA printed" \
	"$st:$(wc -l <"$TMP/pr.err" | tr -d ' '):$(grep -c '^pagemap_reader: 0x100000000000000: at or above the top' "$TMP/pr.err"):$(grep '^Virtual Address' "$TMP/pr.out")" \
	"1:1:1:Virtual Address: $good"

kmod_load
printf '%0300d\n' 0 | "$BIN/pfn_ioctl" $spid - >/dev/null 2>"$TMP/pf.err"
check_eq "pfn_ioctl: a 301-byte stdin line is refused with its number" \
	"$?:$(cat "$TMP/pf.err")" "1:pfn_ioctl: standard input line 1: longer than 254 bytes"
kill $spid

# /out is 9p: no O_TMPFILE, so memalloc names its temporary.
d=$OUT/userio.$$
mkdir -p "$d"
"$BIN/memalloc" -b 1G -m 1M -q -o "$d/x.csv" 2>"$TMP/m.err"
check_eq "memalloc on 9p: exit 0, 257 lines, nothing else left" \
	"$?:$(wc -l <"$d/x.csv" | tr -d ' '):$(ls -A "$d" | tr '\n' ' ')" "0:257:x.csv "
rm -f "$d/x.csv"
"$BIN/memalloc" -b 1G -m 16M -n 1000 -q -o "$d/y.csv" 2>/dev/null &
mpid=$!
i=0
while [ -z "$(ls -A "$d")" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
named=$(ls -A "$d")
kill -TERM $mpid
wait $mpid
st=$?
check_eq "memalloc SIGTERM on 9p: killed by it, its named temporary removed" \
	"$st:$(echo "$named" | grep -c '^\.y\.csv\.tmp\.'):$(ls -A "$d")" "143:1:"
rm -rf "$d"
