#!/bin/bash
# mk/matrix.sh - boot every target of the kernel matrix and collect the results.
#
#   mk/matrix.sh PLAN...        PLAN: report and/or test
#
# Targets are MATRIX_KERNELS (6.1 6.12) x MATRIX_PAGING (4 5), named
# SERIES-Nlevel (6.12-5level).  Each (plan, target) is one `vm/run.sh` boot
# with the initramfs `make matrix-build` made for that kernel
# (build/matrix/initramfs-KVER.cpio.gz, module from build/kmod-KVER/), run
# MATRIX_JOBS at a time.  report: a new run, reports/matrix/<UTC
# date-time>/ (reports/runs.sh), gets each target's report plan data in
# RUN/TARGET/data, which reports/analyze.sh turns into that directory's
# summary.csv and friends; then mk/matrix-table.sh writes RUN/matrix.md
# and matrix.csv, and reports/matrix/latest moves to RUN if nothing failed
# (else RUN is kept as RUN.failed).  test: the in-guest suite, with
# slub_debug, in build/matrix/test-TARGET; its PASS/FAIL/SKIP lines are
# relayed with the target's name in front, plus one line per boot from
# run.sh's own checks (status, clean dmesg and console, la57).  Ends with
# "N passed, N failed, N skipped" and the wall time; exits 1 on any failure.
set -u
prog=mk/matrix.sh
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
[ $# -ge 1 ] || { echo "usage: mk/matrix.sh report|test..." >&2; exit 2; }
for plan in "$@"; do
	case $plan in report|test) ;; *) echo "$prog: unknown plan '$plan' (report or test)" >&2; exit 2 ;; esac
done
plans="$*"
KERNELS=${MATRIX_KERNELS:-6.1 6.12 arm64}
PAGINGS=${MATRIX_PAGING:-4 5}
JOBS=${MATRIX_JOBS:-2}
bdir=build/matrix
mkdir -p "$bdir"
mdir=""
case " $plans " in
*" report "*) mdir=$(reports/runs.sh new reports/matrix --empty) || exit 1 ;;
esac

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# One job per (plan, target), the long report boots first.
jobs_list=()
for plan in "$@"; do
	for k in $KERNELS; do
		kver=$(mk/kver.sh "$k") || exit 1
		[ -f "$bdir/initramfs-$kver.cpio.gz" ] ||
			{ echo "$prog: no $bdir/initramfs-$kver.cpio.gz (make matrix-build)" >&2; exit 1; }
		for p in $PAGINGS; do
			# arm64's levels are its kernel's configuration: 4 only.
			[ "$k" = arm64 ] && [ "$p" != 4 ] && continue
			jobs_list+=("$plan $k $p $kver")
		done
	done
done

# run_one PLAN SERIES PAGING KVER: one boot; its output in DIR.log.
run_one() {
	local plan=$1 k=$2 p=$3 kver=$4 name=$2-$3level dir slub=0 t0 st=0
	if [ "$plan" = report ]; then
		dir=$mdir/$name/data
		rm -rf "$mdir/$name"
	else
		dir=$bdir/test-$name
		rm -rf "$dir"
		slub=1
	fi
	mkdir -p "$dir"
	rm -f "$dir.done" "$dir.log"
	t0=$(now)
	env KERNEL="$k" PAGING="$p" TARGET=vm SLUB_DEBUG=$slub \
		VM_INITRAMFS="$root/$bdir/initramfs-$kver.cpio.gz" \
		PLAN_ENV="$([ "$plan" = report ] && echo "SAMPLES=${SAMPLES:-3}${SIZES:+ SIZES=$(echo $SIZES | tr ' ' ,)}")" \
		VM_TIMEOUT=${MATRIX_TIMEOUT:-1800} vm/run.sh "$plan" "$dir" >"$dir.log" 2>&1 || st=$?
	if [ "$plan" = report ] && [ "$st" = 0 ]; then
		cp "$dir/meta.txt" "$mdir/$name/meta.txt"
		ANALYZE=${ANALYZE:-build/bin/analyze} reports/analyze.sh "$mdir/$name" >>"$dir.log" 2>&1 || st=$?
	fi
	echo "$st $(secs "$t0" "$(now)")" >"$dir.done"
	echo "  $plan $name: exit $st, $(secs "$t0" "$(now)") s ($(grep -E '^boot:' "$dir.log" | head -n 1))" >&2
}

t0=$(now)
echo "matrix: ${#jobs_list[@]} boots ($plans) on $KERNELS x paging $PAGINGS, $JOBS at a time" >&2
running=0
for j in "${jobs_list[@]}"; do
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
	# shellcheck disable=SC2086 # the job's four words
	run_one $j &
	running=$((running + 1))
done
wait
wall=$(secs "$t0" "$(now)")

# Results: one line per check, PASS/FAIL/SKIP as tests/run.sh counts them.
passed=0 failed=0 skipped=0
res=$bdir/results.txt
: >"$res"
for j in "${jobs_list[@]}"; do
	set -- $j
	plan=$1 name=$2-$3level
	if [ "$plan" = report ]; then dir=$mdir/$name/data; else dir=$bdir/test-$name; fi
	read -r st took <"$dir.done" || st=missing
	if [ "$plan" = test ]; then
		if [ -f "$dir/results.txt" ]; then
			sed -E "s/^(PASS|FAIL|SKIP) /\1 $name /" "$dir/results.txt" >>"$res"
		else
			echo "FAIL $name test results: no $dir/results.txt" >>"$res"
		fi
	else
		for f in summary.csv runhist.csv; do
			[ -s "$mdir/$name/$f" ] && echo "PASS $name report $f ($(($(wc -l <"$mdir/$name/$f") - 1)) rows)" >>"$res" ||
				echo "FAIL $name report $f: missing (see $dir.log)" >>"$res"
		done
	fi
	if [ "$st" = 0 ]; then
		echo "PASS $name $plan boot: status 0, dmesg and console clean, la57 as asked (${took} s)" >>"$res"
	else
		echo "FAIL $name $plan boot: exit $st: $(grep -E "^(vm/run.sh|report|  )" "$dir.log" | head -n 3 | tr '\n' ' ')" >>"$res"
	fi
done
cat "$res"
passed=$(grep -c '^PASS ' "$res") failed=$(grep -c '^FAIL ' "$res") skipped=$(grep -c '^SKIP ' "$res")
{
	echo "PLANS=$plans"
	echo "KERNELS=$KERNELS"
	echo "PAGING=$PAGINGS"
	echo "JOBS=$JOBS"
	echo "WALL_S=$wall"
	for j in "${jobs_list[@]}"; do
		set -- $j
		if [ "$1" = report ]; then d=$mdir/$2-$3level/data; else d=$bdir/test-$2-$3level; fi
		read -r st took <"$d.done" || took=NA
		echo "$1_$2-$3level_S=$took"
	done
} >"$bdir/timing.$(echo "$plans" | tr ' ' '+').txt"
if [ -n "$mdir" ]; then
	mk/matrix-table.sh "$mdir" || failed=$((failed + 1))
	if [ "$failed" = 0 ]; then reports/runs.sh done reports/matrix "$mdir"; else reports/runs.sh failed reports/matrix "$mdir"; fi
fi
echo "matrix: wall time $wall s for ${#jobs_list[@]} boots, $JOBS at a time"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
