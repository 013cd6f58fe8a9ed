#!/bin/bash
# tests/t_hostile4.sh - a hostile user of what round 3 built (issues 16-18):
# memalloc --maps naming -o's file by another name (./x, an absolute path,
# a symlink, /dev/stdout redirected to it, a FIFO by two names), and
# reports/arch_section.sh given a partial x86-64 run or an arm64 run
# without its tables.  Each case failed on the code before its fix (see
# the commit that added it).
. "$(dirname "$0")/lib.sh"
M=$BIN/memalloc
if [ ! -x "$M" ] || [ ! -x "$BIN/analyze" ]; then
	fail "hostile4: $M or $BIN/analyze missing"
	exit 0
fi

# --- 1. memalloc --maps: the same file as -o, by another name --------------
# The check compared the strings: ./s.csv took -o's place, the samples were
# lost and memalloc exited 0.
d=$TMP/maps
mkdir -p "$d"
ln -s s.csv "$d/link.csv"
mkfifo "$d/fifo"
ln -s fifo "$d/fifolink"
for m in "$d/./s.csv" "$d/link.csv" "$d/../maps/s.csv"; do
	check_err "memalloc --maps $m, -o's file by another name: refused" 2 \
		"^memalloc: --maps $m: want a file of its own, not -o's or standard output \(see memalloc -h\)\$" \
		"$M" -q -b 4K -m 64K --allow-hidden -o "$d/s.csv" --maps "$m"
done
check_eq "memalloc --maps, -o's file by another name: nothing written" "$(ls "$d")" "$(printf 'fifo\nfifolink\nlink.csv')"
check_err "memalloc --maps /dev/stdout, stdout being -o's file: refused" 2 \
	"^memalloc: --maps /dev/stdout: want a file of its own" \
	sh -c 'exec "$1" -q -b 4K -m 64K --allow-hidden -o "$2" --maps /dev/stdout >"$2"' sh "$M" "$d/s.csv"
# (before the fix it waited for a reader of the FIFO: timeout ends that)
check_err "memalloc -o FIFO --maps LINK-TO-FIFO: refused" 2 \
	"^memalloc: --maps $d/fifolink: want a file of its own" \
	timeout 20 "$M" -q -b 4K -m 64K --allow-hidden -o "$d/fifo" --maps "$d/fifolink"
# Still allowed: a device takes both, and a hard link is another name
# (each path gets its own new file).
if "$M" -q -b 4K -m 64K --allow-hidden -o /dev/null --maps /dev/stdout >/dev/null 2>"$TMP/err"; then
	pass "memalloc -o /dev/null --maps /dev/stdout >/dev/null: allowed"
else
	fail "memalloc -o /dev/null --maps /dev/stdout >/dev/null: $(head -c 200 "$TMP/err")"
fi
echo old >"$d/h.csv"
ln "$d/h.csv" "$d/hard.csv"
"$M" -q -b 4K -m 64K --allow-hidden -o "$d/h.csv" --maps "$d/hard.csv" 2>"$TMP/err"
check_eq "memalloc --maps HARDLINK of -o's file: each its own file" \
	"$(head -c 14 "$d/h.csv"):$(head -c 10 "$d/hard.csv")" "source,allocat:allocator,"

# --- 2. reports/arch_section.sh: partial runs ---------------------------------
# A partial x86-64 run drew empty tables (mawk: cannot open file) or cells
# holding whole CSV lines (a missing column), exit 0.
G=$ROOT/tests/golden/arm64
X86=$ROOT/tests/golden/report
r=$TMP/rdir
mkdir -p "$r/data"
cp "$G/meta.txt" "$r/"
cp "$G/meta.txt" "$G/vm.txt" "$G/times.txt" "$r/data/"
if ! "$BIN/analyze" -q --machine aarch64 -o "$TMP/an" "$G/in.csv" 2>"$TMP/err"; then
	fail "hostile4: analyze --machine aarch64: $(head -c 200 "$TMP/err")"
	exit 0
fi
cp "$TMP/an"/*.csv "$r/"
x=$TMP/x86
for t in "v2p.csv:has v2p.csv without the column differ:source,allocator,checked" \
	"overview.csv:has no overview.csv:" "leaves.csv:has leaves.csv without the column rows:source,allocator,region,level"; do
	f=${t%%:*} rest=${t#*:}
	why=${rest%%:*} hdr=${rest#*:}
	rm -rf "$x"
	cp -r "$X86" "$x"
	if [ -n "$hdr" ]; then echo "$hdr" >"$x/$f"; else rm "$x/$f"; fi
	check_err "arch_section.sh, x86-64 run $why: one line" 0 \
		"^reports/arch_section.sh: not compared: the x86-64 run at $x $why\$" \
		"$ROOT/reports/arch_section.sh" "$r" "$x"
	check "arch_section.sh, x86-64 run $why: arch.md says so, and no table" \
		grep -qx "Not compared: the x86-64 run at $x $why (an incomplete run: run \`make report\` again, or name another with ARCH_CMP=RDIR)." "$r/arch.md"
	check_eq "arch_section.sh, x86-64 run $why: no table drawn" "$(grep -c '^|' "$r/arch.md")" 0
done
check_err "arch_section.sh ARCH_CMP=/etc/passwd (a file): one line" 0 \
	"^reports/arch_section.sh: not compared: no analyzed x86-64 run at /etc/passwd\$" \
	env ARCH_CMP=/etc/passwd "$ROOT/reports/arch_section.sh" "$r"
check "arch_section.sh ARCH_CMP=/etc/passwd: arch.md says so" grep -q "^Not compared: no analyzed x86-64 run at /etc/passwd" "$r/arch.md"
rm "$r/v2p.csv" "$r/arch.md" "$r/arch.tex"
check_err "arch_section.sh, the arm64 run without v2p.csv: an error" 1 \
	"^reports/arch_section.sh: the arm64 run $r has no v2p.csv \(analyze it first\)\$" \
	"$ROOT/reports/arch_section.sh" "$r" "$X86"
check_eq "arch_section.sh, the arm64 run without v2p.csv: no arch.md, no temporary" \
	"$(ls "$r" | grep -c '^arch')" 0

# within10 NAME INPUT TABLE ROWS: analyze INPUT into $TMP/NAME under a
# 10 CPU-second limit (the load does not stretch CPU time); PASS when it
# exits 0 with ROWS data rows in TABLE.
within10() {
	local st=0
	mkdir "$TMP/$1"
	{ (ulimit -t 10; exec "$BIN/analyze" -q -o "$TMP/$1" "$2"); } 2>/dev/null || st=$?
	check_eq "analyze ${2##*/}, $4 rows: done within 10 CPU seconds, a $3 row each" \
		"$st:$(cat "$TMP/$1/$3" 2>/dev/null | wc -l)" "0:$(($4 + 1))"
}

# --- 3. analyze: a maps file of 60000 rows ------------------------------------
# Each row's excerpt looked every other row up (quadratic): 60000 rows
# took 72 s; now two passes through a map, 0.1 s.  50 allocators, sizes
# 4, 8 and 12 KiB, samples 1 to 400: the excerpt is each allocator's
# sample 1 at 4 and 12 KiB, 100 rows.  A CPU-time bound, as t_hostile3's.
if [ -n "${SAN:-}${WRAP:-}" ]; then
	skip "analyze 60000 maps rows: a CPU-time bound, for the plain build"
else
	n=60000
	awk -v n=$n 'BEGIN {
		print "allocator,size_bytes,sample,va_start,va_end,vma_start,vma_end,perms,offset,dev,inode,name"
		for (i = 0; i < n; i++) {
			a = 268435456 + i * 16384
			printf "a%d,%d,%d,0x%016x,0x%016x,0x%016x,0x%016x,rw-p,0x0000000000000000,00:00,0,\n",
				i % 50, 4096 * (1 + int(i / 50) % 3), int(i / 150) + 1, a, a + 4096, a, a + 8192
		} }' >"$TMP/maps.many.csv"
	within10 many "$TMP/maps.many.csv" vmas.csv $n
	check_eq "analyze $n maps rows: the excerpt is each allocator's sample 1 at its smallest and largest size" \
		"$(awk -F, 'NR > 1 && $15 == 1 { n++; if ($3 != 1 || $2 == 8192) bad++ } END { print n + 0 ":" bad + 0 }' "$TMP/many/vmas.csv" 2>/dev/null)" "100:0"
fi

# --- 4. analyze: an allocs.<phase>.csv of 200000 allocators ---------------------
# Each row looked its (phase, allocator) up in every entry so far
# (quadratic): 200000 allocators took 280 s; now a map, 0.3 s.  Every
# third row fails, so each row's counts are checked too.
if [ -n "${SAN:-}${WRAP:-}" ]; then
	skip "analyze 200000 allocators in allocs.p.csv: a CPU-time bound, for the plain build"
else
	n=200000
	awk -v n=$n 'BEGIN { print "phase,allocator,size_bytes,order,ok,errno"
		for (i = 0; i < n; i++) printf "p,k%d,4096,0,%d,%s\n", i, i % 3 != 0, i % 3 ? "" : "ENOMEM"
		print "p,k7,8192,1,1," }' >"$TMP/allocs.p.csv"
	within10 ka "$TMP/allocs.p.csv" allocphase.csv $n
	check_eq "analyze $n allocators in allocs.p.csv: k0 failed, k7 twice, the last one" \
		"$(grep -E '^p,(k0|k7|k199999),' "$TMP/ka/allocphase.csv" 2>/dev/null | tr '\n' ' ')" \
		"p,k0,1,0,,,4096,0,ENOMEM p,k7,2,2,8192,1,,, p,k199999,1,1,4096,0,,, "
fi
