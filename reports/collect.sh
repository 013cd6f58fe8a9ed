#!/bin/sh
# reports/collect.sh - the collect step of `make report`: run the plan.
#
#   reports/collect.sh RDIR      (env TARGET, PAGING, KERNEL, PLAN_ENV)
#
# Starts from an empty RDIR/data, runs `vm/run.sh report RDIR/data`, keeps
# its output in RDIR/collect.log, shows the boot and total times, and
# copies the run's meta.txt to RDIR.  On failure the log's tail goes to
# stderr and RDIR/data stays for reading.
set -u
rdir=$1
data=$rdir/data
rm -rf "$data" "$rdir/meta.txt"
mkdir -p "$data" || exit 1
if ! vm/run.sh report "$data" >"$rdir/collect.log" 2>&1; then
	tail -n 25 "$rdir/collect.log" >&2
	echo "report: collecting data failed (log: $rdir/collect.log, guest files: $data)" >&2
	exit 1
fi
grep -E '^(accel|boot|total):' "$rdir/collect.log" | sed 's/^/      /' >&2
for f in meta.txt user-malloc4k.csv kernel-kmalloc.csv; do
	[ -s "$data/$f" ] || { echo "report: the plan left no $data/$f" >&2; exit 1; }
done
cp "$data/meta.txt" "$rdir/meta.txt"
