#!/bin/sh
# tests/guest/t_userio2.sh - the second hostile pass (tests/t_hostile2.sh)
# where only the guest shows it: pfn_ioctl's stdin with a NUL byte (it
# was reported as a line "longer than 254 bytes") and its 254/255-byte
# boundary; and on the 9p share /out, which has no O_TMPFILE, SIGPIPE
# removing memalloc's named temporary and analyze committing a table set
# with its directory lock (flock on 9p) while another run commits there.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"

sleep 300 &
spid=$!
kmod_load
printf '1\000\n' | "$BIN/pfn_ioctl" $spid - >/dev/null 2>"$TMP/pf.err"
check_eq "pfn_ioctl: a NUL byte on stdin is named as such, with its line" \
	"$?:$(cat "$TMP/pf.err")" "1:pfn_ioctl: standard input line 1: binary data (NUL byte)"
printf '%0254d\n' 1 | "$BIN/pfn_ioctl" $spid - >/dev/null 2>"$TMP/pf.err"
check_eq "pfn_ioctl: a 254-byte stdin line is read whole (VPN 1, unmapped)" \
	"$?:$(cat "$TMP/pf.err")" "1:pfn_ioctl: VPN 0x1: No such file or directory"
printf '%0255d\n' 1 | "$BIN/pfn_ioctl" $spid - >/dev/null 2>"$TMP/pf.err"
check_eq "pfn_ioctl: a 255-byte stdin line is refused with its number" \
	"$?:$(cat "$TMP/pf.err")" "1:pfn_ioctl: standard input line 1: longer than 254 bytes"
kill $spid

d=$OUT/userio2.$$
mkdir -p "$d"
"$BIN/memalloc" -b 1G -m 1M -n 1000 -q --allow-hidden -o "$d/y.csv" 2>/dev/null &
mpid=$!
i=0
while [ -z "$(ls -A "$d")" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
named=$(ls -A "$d")
kill -PIPE $mpid
wait $mpid
st=$?
check_eq "memalloc SIGPIPE on 9p: killed by it, its named temporary removed" \
	"$st:$(echo "$named" | grep -c '^\.y\.csv\.tmp\.'):$(ls -A "$d")" "141:1:"

"$BIN/memalloc" -b 4K -m 1M -q --allow-hidden -o "$d/a.csv" 2>/dev/null
"$BIN/memalloc" -b 1G -m 2M -q --allow-hidden -o "$d/b.csv" 2>/dev/null
mkdir -p "$d/t"
"$BIN/analyze" -q -o "$d/t" "$d/a.csv" 2>"$TMP/a1.err" &
a1=$!
"$BIN/analyze" -q -o "$d/t" "$d/b.csv" 2>"$TMP/a2.err"
s2=$?
wait $a1
s1=$?
set -- $(for t in summary runhist pfnmap deltas deltabins; do sed -n 2p "$d/t/$t.csv" | cut -d, -f2; done)
check_eq "two analyze -o one 9p directory at once: both exit 0, one run's whole set, nothing else" \
	"$s1:$s2:$([ "$1$2$3$4$5" = malloc4kmalloc4kmalloc4kmalloc4kmalloc4k ] || [ "$1$2$3$4$5" = blockblockblockblockblock ] && echo whole):$(ls -A "$d/t" | tr '\n' ' ')" \
	"0:0:whole:deltabins.csv deltas.csv findings.csv leaves.csv overview.csv pfnmap.csv reuse.csv runhist.csv summary.csv v2p.csv walks.csv "
rm -rf "$d"
