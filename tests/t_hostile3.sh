#!/bin/bash
# tests/t_hostile3.sh - a hostile user of what round 1 (issue 13) built:
# two `make report` runs at once (the one started first, done last, must
# not take latest back to older tables); PLAN_ENV names that plan.env
# refuses, or that would overwrite what vm/run.sh writes itself, refused
# before anything is built or booted; pfn_ioctl --explain refusing a bad
# VA before it opens the device; make install refusing a relative prefix
# and installing under a DESTDIR with a space and a quote in it.  Each
# case failed on the code before its fix (see the commit that added it).
. "$(dirname "$0")/lib.sh"

# --- 1. reports/runs.sh: two runs at once ---------------------------------
R=$ROOT/reports/runs.sh
top=$TMP/runs/host
r0=$("$R" new "$top")
echo 0 >"$r0/report.md"
"$R" "done" "$top" "$r0" 2>/dev/null
touch -d '2001-01-01' "$r0/report.md"
ra=$("$R" new "$top")           # started first
rb=$("$R" new "$top")           # started second, in the same second
echo b >"$rb/report.md"
"$R" "done" "$top" "$rb" 2>/dev/null
"$R" "done" "$top" "$ra" 2>"$TMP/err"     # remade nothing: a copy of r0
check_eq "runs at once: the first, unchanged since its copy, is dropped; latest stays the second" \
	"$(readlink "$top/latest"):$(test -e "$ra" && echo kept)" "${rb##*/}:"
rc=$("$R" new "$top")
rd=$("$R" new "$top")
echo c >"$rc/report.md"
echo d >"$rd/report.md"
"$R" "done" "$top" "$rd" 2>/dev/null
"$R" "done" "$top" "$rc" 2>"$TMP/err"     # changed, but older than rd
check_eq "runs at once: the first, changed, is kept; latest stays the second (newer) run" \
	"$(readlink "$top/latest"):$(cat "$top/latest/report.md"):$(cat "$rc/report.md" 2>/dev/null)" "${rd##*/}:d:c"
check "runs at once: done says latest stays with the newer run" \
	grep -qx "report: run ${rc##*/} is done, in $rc; $top/latest stays at ${rd##*/}, a run started after it" "$TMP/err"
# A run killed mid-way (make report-run's shell gone before done or
# failed): the next run is a copy of latest, not of the half-written one,
# and becomes latest; the killed one stays marked in progress.
rk=$("$R" new "$top")
echo half >"$rk/report.md"
rn=$("$R" new "$top")
check_eq "runs: a run after a killed one is a copy of latest" "$(cat "$rn/report.md")" d
echo n >"$rn/report.md"
"$R" "done" "$top" "$rn" 2>/dev/null
check_eq "runs: after a killed run, latest is the next complete run; the killed one still in progress" \
	"$(readlink "$top/latest"):$(test -f "$rk/.run.start" && echo in-progress)" "${rn##*/}:in-progress"

# --- 2. vm/run.sh: PLAN_ENV names refused before anything is built -------
# TARGET=host with HOST_SKIP_MODCHECK (the selftest plan needs no module):
# the code before the fix ran the plan, and only plan.env's reader
# refused PATH (after a boot, in the guest); PAGING=5 silently overrode
# the run's PAGING=4 in plan.env (its last line wins).
for kv in PATH=/nonexistent LD_PRELOAD=/tmp/x.so IFS=x; do
	k=${kv%%=*}
	check_err "run.sh PLAN_ENV=$kv: refused before the run" 1 \
		"^vm/run.sh: PLAN_ENV name '$k' is refused: the shell or the loader acts on it$" \
		env HOST_SKIP_MODCHECK=1 TARGET=host PLAN_ENV="SELFTEST=ok $kv" "$ROOT/vm/run.sh" selftest "$TMP/pe-$k"
done
check_err "run.sh PLAN_ENV=PAGING=5: refused, PAGING is the run's own" 1 \
	"^vm/run.sh: PLAN_ENV name 'PAGING' is one vm/run.sh writes to plan.env itself: set PAGING in its environment$" \
	env HOST_SKIP_MODCHECK=1 TARGET=host PAGING=4 PLAN_ENV="PAGING=5" "$ROOT/vm/run.sh" selftest "$TMP/pe-PAGING"
check_err "run.sh PLAN_ENV=PTWALK_REV=x: refused, the run records it" 1 \
	"^vm/run.sh: PLAN_ENV name 'PTWALK_REV' is one vm/run.sh sets itself, from the run$" \
	env HOST_SKIP_MODCHECK=1 TARGET=host PLAN_ENV="PTWALK_REV=fake" "$ROOT/vm/run.sh" selftest "$TMP/pe-REV"
check_eq "run.sh refused PLAN_ENV: no OUTDIR made" "$(ls -d "$TMP"/pe-* 2>/dev/null)" ""

# --- 3. pfn_ioctl: a bad VA or VPN is a usage error, before the device ---
# The code before the fix opened the device first, so without the module
# the user heard "cannot open /dev/ptwalk", and with it a bad VA after the
# good ones was answered with exit 1 after their walks were printed.
P=${WRAP:-}\ $BIN/pfn_ioctl
for a in "--explain 1 0x1000 0xzz:address '0xzz'" "--explain 1 -1:address '-1'" "--explain 1 -:address '-'" \
	"1 0x10 zz:VPN 'zz'" "-a 1 0x10000 0x:address '0x'"; do
	args=${a%%:*} what=${a#*:}
	# shellcheck disable=SC2086 # the arguments are words
	check_err "pfn_ioctl $args: usage error before opening the device" 2 \
		"^pfn_ioctl: $what is not a number \(see pfn_ioctl -h\)$" $P -d "$TMP/no-device" $args
done
# shellcheck disable=SC2086
check_err "pfn_ioctl 1 - (VPNs on stdin) still opens the device first" 1 \
	"^pfn_ioctl: cannot open $TMP/no-device: No such file or directory" $P -d "$TMP/no-device" 1 -

# --- 4. make install: a DESTDIR with a quote, a relative prefix ----------
# The code before the fix put DESTDIR between single quotes: one ' in it
# broke the recipe (exit 2) after install -d had made a directory named
# without the quote beside it, and a backquoted word in it ran (with
# `dir` there, make uninstall's rm removed the checkout's LICENSE,
# Makefile and README.md: so this one runs only `true`); prefix=usr was
# glued to DESTDIR's last name (DESTDIR=D installed into Dusr/bin).
if [ -n "${SAN:-}${WRAP:-}" ]; then
	skip "install paths: tests the makefile, not the programs; run by the plain make test"
elif ! command -v help2man >/dev/null; then
	skip "install paths: help2man is not installed (make setup)"
else
	mk() { env -u MAKEFLAGS -u MAKELEVEL make --no-print-directory -C "$ROOT" "$@"; }
	mkdir "$TMP/inst"
	D="$TMP/inst/it's a \`true\` \"q\""
	st=0
	mk install DESTDIR="$D" prefix=/usr >/dev/null 2>"$TMP/inst.err" || st=$?
	check_eq "make install DESTDIR with ' \` \" and spaces: exit 0, 6 programs and 6 man pages there, nothing beside it" \
		"$st:$(find "$D/usr/bin" -type f 2>/dev/null | wc -l):$(find "$D/usr/share/man/man1" -name '*.1' 2>/dev/null | wc -l):$(ls "$TMP/inst" | wc -l)" "0:6:6:1"
	check "make install DESTDIR with a quote: its line names DESTDIR whole" \
		grep -qF "in $D/usr/bin, man pages in $D/usr/share/man/man1" "$TMP/inst.err"
	st=0
	mk uninstall DESTDIR="$D" prefix=/usr >/dev/null 2>&1 || st=$?
	check_eq "make uninstall DESTDIR with a quote: exit 0, no file left" "$st:$(find "$D" -type f 2>/dev/null | wc -l)" "0:0"
	check_err "make install prefix=usr (relative): refused, one line" 2 \
		"^mk/install.mk:[0-9]+: \*\*\* install: prefix 'usr' is not an absolute path \(DESTDIR stages an install elsewhere\)\.  Stop\.$" \
		mk install DESTDIR="$TMP/inst/d" prefix=usr
	check_eq "make install prefix=usr: nothing installed" "$(ls "$TMP/inst")" "$(basename "$D")"
fi

# --- 5. analyze: many allocators, time linear -----------------------------
# leaves.csv, v2p.csv and overview.csv looked each row's allocator up by a
# linear search: 60000 rows naming 60000 allocators took about 27 CPU
# seconds (quadratic; 10000 took 1), now about 2 (a hash look-up, as the
# other tables do).  Limited by CPU time, which the machine's load does
# not stretch; the sanitizer and valgrind repeats skip it.
if [ -n "${SAN:-}${WRAP:-}" ]; then
	skip "analyze many allocators: a CPU-time bound, for the plain build"
else
	n=60000
	{ "$BIN/analyze" --schema
	  awk -v n=$n 'BEGIN { for (i = 0; i < n; i++)
		printf "user,a%d,4096,0,0,0x00007f%010x,0x%016x,0x%016x,,,pte,present|exclusive,,,,,,\n",
			i, i * 4096, 1048576 + i * 8192, 1048576 + i * 8192 }'
	} >"$TMP/many.csv"
	mkdir "$TMP/many"
	st=0
	{ (ulimit -t 10; exec "$BIN/analyze" -q -o "$TMP/many" "$TMP/many.csv"); } 2>/dev/null || st=$?
	check_eq "analyze $n allocators: done within 10 CPU seconds, a leaves.csv and overview.csv row each" \
		"$st:$(cat "$TMP/many/leaves.csv" 2>/dev/null | wc -l):$(cat "$TMP/many/overview.csv" 2>/dev/null | wc -l)" "0:$((n + 1)):$((n + 1))"
	check_eq "analyze $n allocators: the last one's leaves.csv row" \
		"$(tail -n 1 "$TMP/many/leaves.csv" 2>/dev/null)" \
		"user,a$((n - 1)),user,pte,1,$(printf '0x%016x' $((0x100000 + (n - 1) * 8192))),$(printf '0x%016x' $((0x100000 + (n - 1) * 8192)))"
fi

# --- 6. a newline in an argument keeps a usage error one line ------------
# The code before the fix printed the argument as it was: its newline
# made the one stderr line two (a log reader takes the second for a
# message of its own).  Control characters are now written \n, \t, \xHH.
nl=$(printf 'a\nb\tc\033')
check_err "analyze --schema=<a newline b tab c ESC>: one line, escaped" 2 \
	"^analyze: --schema takes one of samples .*, not 'a\\\\nb\\\\tc\\\\x1b'\$" ${WRAP:-} "$BIN/analyze" --schema="$nl"
check_err "memalloc --print-sizes '4K<newline>8K': one line, escaped" 2 \
	"^memalloc: bad sizes '4K\\\\n8K': '4K\\\\n8K' is not a size: unknown suffix \(use K, M, G or T\) \(see memalloc -h\)\$" \
	${WRAP:-} "$BIN/memalloc" --print-sizes "$(printf '4K\n8K')"
check_err "memalloc '--fo<newline>o': one line, escaped" 2 \
	"^memalloc: unknown option '--fo\\\\no' \(see memalloc -h\)\$" ${WRAP:-} "$BIN/memalloc" "$(printf -- '--fo\no')"
check_err "pfn_ioctl --explain 1 '0x1<newline>': one line, escaped" 2 \
	"^pfn_ioctl: address '0x1\\\\n2' is not a number \(see pfn_ioctl -h\)\$" ${WRAP:-} "$BIN/pfn_ioctl" --explain 1 "$(printf '0x1\n2')"
long=$(head -c 3000 /dev/zero | tr '\0' 9)
check_err "memalloc --print-sizes <3000 digits>: one line, cut at 1 KiB with ..." 2 \
	"^memalloc: bad sizes '9{1000,}\.\.\. \(see memalloc -h\)\$" ${WRAP:-} "$BIN/memalloc" --print-sizes "$long"
