#!/bin/sh
# reports/analyze.sh - the analyze step of `make report`.
#
#   reports/analyze.sh RDIR      (env ANALYZE, default build/bin/analyze)
#
# The main sweep and every snapshot go through one analyzer run into RDIR
# (summary.csv, runhist.csv, deltas.csv, pfnmap.csv, frag.csv, compact.csv,
# pageblocks.csv, pagemap.csv from data/pagemap.user.txt, vmas.csv from
# data/maps.*.csv, fragzone.csv, allocphase.csv from data/allocs.PHASE.csv,
# refusals.csv from data/failures.csv; its standard output
# in RDIR/analyze.log).  Each phase's user experiments,
# data/user.PHASE.csv, go through a run of their own into
# RDIR/phases/PHASE/: the analyzer groups rows by (source, allocator,
# size, sample), and the phases repeat the same groups, so one run would
# take the second phase's block for a group seen twice and stop.  An arm64
# run (data/meta.txt: MACHINE=aarch64) is analyzed with --machine aarch64,
# so that walks.csv decodes arm64 descriptors.
set -u
rdir=$1
an=${ANALYZE:-build/bin/analyze}
data=$rdir/data
mopt=
grep -qx 'MACHINE=aarch64' "$data/meta.txt" 2>/dev/null && mopt="--machine aarch64"
# vmstat and pagetypeinfo snapshots in the order they were taken
# (data/snapshots.txt, vm/plans/frag.sh): compact.csv gives each counter's
# change since the snapshot before it in the input; any not listed after.
snaps=$(for k in vmstat pagetypeinfo; do
	{ [ -f "$data/snapshots.txt" ] && sed "s|^|$data/$k.|; s|\$|.txt|" "$data/snapshots.txt"
	  ls "$data/$k".*.txt 2>/dev/null; } | awk '!seen[$0]++' | while read -r f; do
		[ -f "$f" ] && echo "$f"
	done
done)
# shellcheck disable=SC2046,SC2086 # one word per file, names without spaces; mopt: 0 or 2 words
"$an" $mopt -q -o "$rdir" $(ls "$data"/user-*.csv "$data"/kernel-*.csv "$data"/buddyinfo.*.txt "$data"/pagemap.*.txt \
	"$data"/maps.*.csv "$data"/allocs.*.csv "$data"/failures.csv 2>/dev/null) $snaps \
	>"$rdir/analyze.log" || exit 1
rm -rf "$rdir/phases"
for f in "$data"/user.*.csv; do
	[ -f "$f" ] || continue
	p=${f##*/user.}; p=${p%.csv}
	mkdir -p "$rdir/phases/$p" && "$an" $mopt -q -o "$rdir/phases/$p" "$f" || exit 1
done
