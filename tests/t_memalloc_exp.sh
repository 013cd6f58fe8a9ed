#!/bin/bash
# tests/t_memalloc_exp.sh - memalloc measures what it claims (issue 15) on
# the host: -b 4K records every page of its separate blocks (va_stride
# 4096, no page left out); the samples of one size are held together, so
# they share no frame (reuse.csv 0); THP is off for every mode but thp
# (/proc/PID/status THP_enabled while --hold, and no thp flag on a 4K or
# block row); --shuffle takes the sizes in a reproducible order that it
# prints; held samples that cannot fit are refused up front.
. "$(dirname "$0")/lib.sh"
M=$BIN/memalloc
A=$BIN/analyze

# status_of MODE: THP_enabled of a --hold memalloc in MODE.
status_of() {
	local fifo=$TMP/hold.$1 out=$TMP/hold.$1.out v=
	mkfifo "$fifo"
	"$M" -q -b "$1" -m 64K -o "$TMP/hold.$1.csv" --hold --allow-hidden <"$fifo" >"$out" 2>&1 &
	local pid=$!
	exec {fd}>"$fifo"
	for _ in $(seq 100); do grep -q '^ready' "$out" && break; sleep 0.1; done
	v=$(awk '$1 == "THP_enabled:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
	echo >&"$fd"
	exec {fd}>&-
	wait "$pid"
	echo "${v:-none}"
}
if grep -q '^THP_enabled:' /proc/self/status; then
	for m in 4K 1G; do
		check_eq "memalloc -b $m runs with THP off (PR_SET_THP_DISABLE)" "$(status_of $m)" 0
	done
	check_eq "memalloc -b thp keeps THP on" "$(status_of thp)" 1
else
	skip "memalloc THP_enabled: /proc/PID/status has no THP_enabled line"
fi

# --shuffle: the printed order, reproducible, and the file's group order.
"$M" -q -b 1G --sweep 4K:64K --shuffle 5 -o "$TMP/s1.csv" --allow-hidden 2>"$TMP/s1.err"
"$M" -q -b 1G --sweep 4K:64K --shuffle 5 -o "$TMP/s2.csv" --allow-hidden 2>"$TMP/s2.err"
"$M" -q -b 1G --sweep 4K:64K --shuffle 6 -o "$TMP/s3.csv" --allow-hidden 2>"$TMP/s3.err"
o1=$(sed -n 's/^memalloc: size order (--shuffle 5), bytes: //p' "$TMP/s1.err")
check_eq "memalloc --shuffle prints a permutation of the sweep" \
	"$(tr ' ' '\n' <<<"$o1" | sort -n | tr '\n' ' ')" "4096 8192 16384 32768 65536 "
check "memalloc --shuffle 5 is not smallest first ($o1)" test "$o1" != "4096 8192 16384 32768 65536"
check_eq "memalloc --shuffle 5 twice: the same order" "$(sed -n 's/.*bytes: //p' "$TMP/s2.err")" "$o1"
check "memalloc --shuffle 6: another order" test "$(sed -n 's/.*bytes: //p' "$TMP/s3.err")" != "$o1"
check_eq "memalloc --shuffle: groups in the file in that order" \
	"$(awk -F, 'NR > 1 && $3 != l { printf "%s%s", s, $3; s = " "; l = $3 }' "$TMP/s1.csv")" "$o1"
check_err "memalloc --shuffle -1" 2 "^memalloc: bad seed '--shuffle -1'" \
	"$M" -b 1G -m 4K --shuffle -1 -o "$TMP/x.csv"
check_err "memalloc: held samples beyond memory" 1 \
	"^memalloc: 1000 samples of .* are held at once: more than this machine's memory and swap" \
	"$M" -b 1G -m "$(awk '/^MemTotal/ { print int($2 / 1024 / 100) + 1 "M" }' /proc/meminfo)" -n 1000 -o "$TMP/x.csv"

# Every page recorded, samples held, no thp flag: needs visible PFNs.
if ! "$M" -q -b 1G -m 4K -o "$TMP/p.csv" 2>/dev/null; then
	skip "memalloc frames: PFNs are hidden here (not root)"
	exit 0
fi
for m in 4K 1G; do
	"$M" -q -b $m -m 1M -n 3 -o "$TMP/$m.csv"
	"$A" -q -o "$TMP/a$m" "$TMP/$m.csv"
	check_eq "memalloc -b $m: va_stride 4096, 256 present pages, no pmd leaf, each sample" \
		"$(awk -F, 'NR > 1 { printf "%s/%s/%s/%s ", $20, $5, $6, $22 }' "$TMP/a$m/summary.csv")" \
		"4096/256/256/0 4096/256/256/0 4096/256/256/0 "
	check_eq "memalloc -b $m: held samples share no frame (reuse.csv)" \
		"$(awk -F, 'NR > 1 { printf "%s:%s/%s ", $4, $7, $6 }' "$TMP/a$m/reuse.csv")" "2:0/256 3:0/256 "
	check_eq "memalloc -b $m: no row carries thp" "$(grep -c 'thp' "$TMP/$m.csv")" 0
done
