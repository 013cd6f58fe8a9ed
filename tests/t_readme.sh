#!/bin/bash
# tests/t_readme.sh - README.md's host examples, run as shown.
#
# The "$ " sessions of README.md (memalloc in three modes, prober and
# pagemap_reader) are read from README.md itself and run one command at a
# time in a scratch directory whose build/bin is the programs under test,
# each output compared with what README prints (tests/readme_lib.sh masks
# addresses, frames, times, and binds PIDs); then README's analyze command,
# `build/bin/analyze -o OUTDIR data/*.csv data/buddyinfo.*.txt`, on the
# files those sessions wrote.  The commands use sudo: as root it is
# dropped, without root the sessions are skipped (PFNs would be hidden).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/readme_lib.sh"

if ! is_root; then
	skip "README examples: they run with sudo (PFNs need root)"
	exit 0
fi
w=$TMP/readme
mkdir -p "$w/build"
ln -s "$BIN" "$w/build/bin"
README_BINDS=$TMP/binds
# AddressSanitizer's malloc does not use the [heap]: the VMA's name is
# then the run's, not README's.
case $BIN in */asan/*) README_MASK_EXTRA='s/^(VMA: H-H [^ ]+ [^ ]+ [^ ]+ [^ ]+).*/\1 (name not compared under ASan)/' ;; esac
: >"$README_BINDS"
readme_blocks '$' "$ROOT/README.md" >"$TMP/blocks"
check "README has its host sessions" test "$(grep -c '^C' "$TMP/blocks")" -ge 6

# Close a session: let the background programs (prober) go.
end_session() {
	if [ -n "${BG_PID:-}" ]; then
		echo >&"$BG_FD"
		exec {BG_FD}>&-
		wait "$BG_PID"
		BG_PID=
	fi
}
# run_cmd N: run $cmd as README shows it; its output (stdout and stderr,
# as a terminal shows them) goes to $TMP/got.N.  A command ending in '&'
# (prober, which waits for Enter) keeps running, fed by a fifo, until its
# session ends; its output is read once it has README's number of lines.
run_cmd() {
	local c got=$TMP/got.$1
	c=$(readme_subst "${cmd#sudo }")
	cmd_run=$c
	: >"$got"
	case $c in
	*' &')
		rm -f "$TMP/bg.in"
		mkfifo "$TMP/bg.in"
		(cd "$w" && exec bash -c "exec ${c% &}") <"$TMP/bg.in" >"$got" 2>&1 &
		BG_PID=$!
		exec {BG_FD}>"$TMP/bg.in"
		for _ in $(seq 100); do
			[ "$(wc -l <"$got")" -ge "${#exp[@]}" ] && break
			sleep 0.1
		done
		;;
	*)
		(cd "$w" && bash -c "$c") >"$got" 2>&1 || echo "exit status $?" >>"$got"
		;;
	esac
}

cmd= exp=() n=0
flush() {
	[ -n "$cmd" ] || return 0
	n=$((n + 1))
	run_cmd $n
	printf '%s\t%s\n' "$n" "$cmd_run" >>"$TMP/cmds"
	readme_check "README host $n" "$cmd_run" "$TMP/got.$n" "${exp[@]}"
	cmd= exp=()
}
while IFS=$'\t' read -r kind text; do
	case $kind in
	C) flush; cmd=$text ;;
	O) exp+=("$text") ;;
	E) flush; end_session ;;
	esac
done <"$TMP/blocks"
flush
end_session

# What the sessions left, beyond their first lines.
check_eq "README memalloc -b 1G -m 64M: 16384 rows" "$(($(wc -l <"$w/out.csv") - 1))" 16384
check_eq "README memalloc --format text: 16384 lines" "$(wc -l <"$w/out_4k.txt")" 16384
check_eq "README thp sweep 4K:256M -n 3: 51 progress lines, as [k/51]" \
	"$(grep -c '^memalloc: \[[0-9]*/51\] thp ' "$TMP/got.$(awk -F'\t' '/--sweep 4K:256M/ { print $1 }' "$TMP/cmds")")" 51

# README's analyze command, on those files.
a_cmd=$(grep -m 1 -E '^    build/bin/analyze -o OUTDIR ' "$ROOT/README.md" | sed 's/^    //')
if [ -z "$a_cmd" ]; then
	fail "README analyze: no 'build/bin/analyze -o OUTDIR' line in README.md"
else
	mkdir -p "$w/data"
	mv "$w/out.csv" "$w/thp.csv" "$w/data/"
	cp /proc/buddyinfo "$w/data/buddyinfo.fresh.txt"
	st=0
	(cd "$w" && bash -c "${a_cmd/OUTDIR/tables}") >"$TMP/a.out" 2>"$TMP/a.err" || st=$?
	check_eq "README analyze: '$a_cmd' exits 0" "$st $(head -c 200 "$TMP/a.err")" "0 "
	check_eq "README analyze: the fourteen tables" "$(ls "$w/tables" | tr '\n' ' ')" \
		"deltabins.csv deltas.csv findings.csv frag.csv fragphase.csv fragzone.csv leaves.csv overview.csv pfnmap.csv reuse.csv runhist.csv summary.csv v2p.csv walks.csv "
	check_eq "README analyze: one stdout line per group (1 block + 51 thp)" \
		"$(grep -cE '^user +(block|thp) ' "$TMP/a.out")" 52
	check "README analyze: closing line counts 52 groups" grep -q ' rows in 52 groups, ' "$TMP/a.out"
	check_eq "README analyze: the 64M block, 16384 pages all present" \
		"$(awk -F, '$2 == "block" { print $3, $5, $6 }' "$w/tables/summary.csv")" "67108864 16384 16384"
	check_eq "README analyze: reuse.csv, samples 2 and 3 of 17 thp sizes (34 rows)" \
		"$(awk -F, '$2 == "thp" { n++ } END { print n + 0 }' "$w/tables/reuse.csv")" 34
	check_eq "README analyze: findings.csv, block (1 group of 64 MiB) and thp (51 groups, 17 sizes, 4 KiB to 256 MiB)" \
		"$(awk -F, 'NR > 1 { print $2, $3, $4, $5, $6 }' "$w/tables/findings.csv" | tr '\n' ';')" \
		"block 1 1 67108864 67108864;thp 51 17 4096 268435456;"
	check "README analyze: frag.csv from buddyinfo.fresh.txt" \
		test "$(grep -c '^fresh,' "$w/tables/frag.csv")" -gt 0
fi
