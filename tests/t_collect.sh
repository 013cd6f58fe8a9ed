#!/bin/bash
# tests/t_collect.sh - memalloc, pagemap_reader and prober on the host.
#
# Runs memalloc in every mode with --hold and checks every row against an
# independent read of the same process's pagemap (tests/pmcheck.sh), then
# the text format, the sweep, every bad input, and the hidden-PFN message
# as an unprivileged user.  PFN checks need root; elsewhere they are
# skipped with the reason.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pmcheck.sh"

M=$BIN/memalloc

# hold_start NAME PATTERN CMD...: start CMD (a --hold run or prober) and
# wait until its stdout has a line matching PATTERN.
hold_start() {
	local name=$1 ready=$2; shift 2
	mkfifo "$TMP/$name.in"
	"$@" <"$TMP/$name.in" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	HOLD_PID=$!
	exec {HOLD_FD}>"$TMP/$name.in"
	for _ in $(seq 600); do
		grep -q "$ready" "$TMP/$name.out" && return 0
		kill -0 "$HOLD_PID" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}
hold_stop() {
	echo >&"$HOLD_FD"
	exec {HOLD_FD}>&-
	wait "$HOLD_PID"
}

# three_way MODE SIZE ROWS: memalloc --hold vs independent pagemap read.
check_mode() {
	local mode=$1 size=$2 rows=$3 csv=$TMP/$1.csv res
	if ! hold_start "$mode-$size" "^ready" $WRAP "$M" -b "$mode" -m "$size" -o "$csv" --hold; then
		fail "memalloc -b $mode -m $size --hold: never ready ($(head -c 300 "$TMP/$mode-$size.err"))"
		return
	fi
	check_eq "memalloc -b $mode -m $size: $rows rows" "$(($(wc -l <"$csv") - 1))" "$rows"
	check_eq "memalloc -b $mode: header is schema 1" "$(head -n 1 "$csv")" \
		"$("$BIN/analyze" --schema)"
	res=$(pm_compare "$HOLD_PID" "$csv")
	check_eq "memalloc -b $mode -m $size: every PFN equals pagemap's" "$res" \
		"rows=$rows present=$rows mismatch=0 missing=0"
	check_eq "memalloc -b $mode: pa equals pa_pagemap on every row" \
		"$(awk -F, 'NR>1 && $7!=$8' "$csv" | wc -l)" 0
	hold_stop || fail "memalloc -b $mode --hold: exit status $?"
}

if is_root; then
	check_mode 1G 64M 16384
	check_mode 4K 8M 2048
	check_mode thp 8M 2048
	# 260 MiB is 66,560 pages: past the first 65,536-entry pagemap batch
	# (collect/pagemap.c), so the batch's last entry and the next batch's
	# first are checked too, in each mode (4K: pagemap_read_vpns windows).
	for mode in 1G 4K thp; do
		check_mode $mode 260M 66560
	done
	grep -q . "$TMP/thp.csv" &&
		check "thp: some pages are flagged thp at level pmd" \
			grep -q ',pmd,present.*thp' "$TMP/thp.csv"
	old=$(cat /proc/sys/vm/nr_hugepages)
	echo $((old + 130)) >/proc/sys/vm/nr_hugepages 2>/dev/null
	if [ "$(cat /proc/sys/vm/nr_hugepages)" -ge $((old + 130)) ]; then
		check_mode hugetlb 4M 1024
		check "hugetlb: every page is flagged hugetlb" \
			test "$(awk -F, 'NR>1 && $12 !~ /hugetlb/' "$TMP/hugetlb.csv" | wc -l)" = 0
		check_mode hugetlb 260M 66560
	else
		skip "memalloc -b hugetlb: cannot reserve 130 huge pages here"
	fi
	echo "$old" >/proc/sys/vm/nr_hugepages
else
	skip "memalloc PFN checks: /proc/PID/pagemap shows PFNs only to root"
fi

# The seed's text format: one line per page.
$WRAP "$M" -b 1G -m 1M -o "$TMP/t.txt" --format text --allow-hidden
check_eq "--format text: 256 lines" "$(wc -l <"$TMP/t.txt")" 256
check_eq "--format text: every line is VA=0x... -> PA=0x..." \
	"$(grep -Evc '^VA=0x[0-9a-f]{16} -> PA=(0x[0-9a-f]{16}|hidden)$' "$TMP/t.txt")" 0

# A sweep: every power of two, N samples, one progress line per experiment.
$WRAP "$M" -b 4K --sweep 4K:64K -n 2 -o "$TMP/sw.csv" --allow-hidden 2>"$TMP/sw.err"
check_eq "--sweep 4K:64K -n 2: 62 rows" "$(($(wc -l <"$TMP/sw.csv") - 1))" 62
check_eq "--sweep 4K:64K -n 2: 10 progress lines" "$(grep -c '^memalloc: \[' "$TMP/sw.err")" 10
check_eq "--sweep: sizes and samples as asked" \
	"$(awk -F, 'NR>1{print $3":"$4}' "$TMP/sw.csv" | sort -u | tr '\n' ' ')" \
	"16384:1 16384:2 32768:1 32768:2 4096:1 4096:2 65536:1 65536:2 8192:1 8192:2 "

# Bad input: one line, the right status, no file left behind.
mkdir -p "$TMP/bad"
check_err "memalloc -b 2K: unknown mode" 2 "^memalloc: unknown mode '-b 2K'" \
	$WRAP "$M" -b 2K -m 1M -o "$TMP/bad/x.csv"
check_err "memalloc -m 0" 2 "^memalloc: bad size '-m 0'" $WRAP "$M" -b 1G -m 0 -o "$TMP/bad/x.csv"
check_err "memalloc -m abc" 2 "^memalloc: bad size '-m abc': not a number" \
	$WRAP "$M" -b 1G -m abc -o "$TMP/bad/x.csv"
check_err "memalloc -m 12Q" 2 "unknown suffix" $WRAP "$M" -b 1G -m 12Q -o "$TMP/bad/x.csv"
check_err "memalloc -m 1T: more than memory and swap" 1 \
	"^memalloc: size 1 TiB is more than this machine's memory and swap" \
	$WRAP "$M" -b 1G -m 1T -o "$TMP/bad/x.csv"
check_err "memalloc -o in a missing directory" 1 "^memalloc: cannot create $TMP/nodir/x.csv: No such file" \
	$WRAP "$M" -b 1G -m 1M -o "$TMP/nodir/x.csv"
check_err "memalloc without -o" 2 "missing -o FILE" $WRAP "$M" -b 1G -m 1M
check_err "memalloc --sweep 3K:8K" 2 "powers of two" $WRAP "$M" -b 1G --sweep 3K:8K -o "$TMP/bad/x.csv"
check_err "memalloc -b hugetlb without reserved pages" 1 "cannot allocate 1 GiB in mode hugetlb" \
	$WRAP "$M" -b hugetlb -m 1G -o "$TMP/bad/x.csv"
check_eq "bad input leaves no file behind" "$(ls -A "$TMP/bad" | wc -l)" 0
check_err "pagemap_reader: no such PID" 1 "^pagemap_reader: no process with PID 999999999" \
	$WRAP "$BIN/pagemap_reader" 999999999 0x1000
check_err "pagemap_reader: bad VA" 2 "^pagemap_reader: bad address 'xyz'" \
	$WRAP "$BIN/pagemap_reader" $$ xyz
check_err "pagemap_reader: bad PID" 2 "^pagemap_reader: bad PID 'abc'" \
	$WRAP "$BIN/pagemap_reader" abc 0x1000
check_err "prober: bad size" 2 "^prober: bad size 'zz'" $WRAP "$BIN/prober" zz

# Without CAP_SYS_ADMIN the kernel hides PFNs: say so, or write hidden rows.
if is_root && command -v setpriv >/dev/null; then
	mkdir -p "$TMP/nobody" && chmod 777 "$TMP/nobody" && chmod 755 "$TMP"
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
	check_err "unprivileged memalloc: hidden-PFN message" 1 "PFNs are hidden: reading them needs CAP_SYS_ADMIN" \
		as_nobody "$M" -b 1G -m 1M -o "$TMP/nobody/x.csv"
	as_nobody "$M" -b 1G -m 1M -o "$TMP/nobody/h.csv" --allow-hidden
	check_eq "unprivileged --allow-hidden: 256 rows, empty pa, flag hidden" \
		"$(awk -F, 'NR>1 && $7=="" && $12 ~ /hidden/' "$TMP/nobody/h.csv" | wc -l)" 256
else
	skip "unprivileged run: needs root and setpriv to drop privileges"
fi

# The tutorial: prober's address, translated by pagemap_reader.
if is_root; then
	hold_start prober "^Press Enter" $WRAP "$BIN/prober"
	va=$(awk '/address:/{print $NF}' "$TMP/prober.out")
	out=$($WRAP "$BIN/pagemap_reader" "$HOLD_PID" "$va")
	want=$(pm_dump "$HOLD_PID" $((va / 4096)) 1 | awk '{print "0x" substr($0,4)}')
	check_eq "pagemap_reader: PFN of prober's buffer equals pagemap's" \
		"$(printf '0x%013x' "$(echo "$out" | awk '/PFN/{print $NF}')")" "$want"
	# The VMA line must hold the address (malloc under ASan or valgrind
	# does not use [heap], so the range is checked, not the name).
	vma=$(echo "$out" | awk '/^VMA:/{print $2}')
	check "pagemap_reader: the VMA printed holds the address ($vma)" \
		test -n "$vma" -a $((0x${vma%-*} <= va && va < 0x${vma#*-})) = 1
	check_eq "pagemap_reader: PA keeps the offset in the page" \
		"$(echo "$out" | awk '/Physical/{print $NF}' | tail -c 4)" "${va: -3}"
	hold_stop
else
	skip "prober + pagemap_reader: PFNs need root"
fi
