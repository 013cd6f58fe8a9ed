#!/bin/sh
# reports/gen.sh - write report.md and report.tex for one report directory.
#
#   reports/gen.sh RDIR
#
# Reads what the run left in RDIR (meta.txt, the analyzer's summary.csv
# and frag.csv, data/failures.csv, data/twoctx.csv, data/times.txt,
# data/vm.txt, fig/*.png|pdf) and writes RDIR/report.md and RDIR/report.tex
# (for reports/latex.sh) with reports/gen.awk.  Every number in either file
# comes from those files: the tables copy summary.csv's fields as they are,
# and the findings are computed from them here, so a run whose data
# disagree with the textbook gets a report that says so.
set -eu
rdir=${1:?usage: reports/gen.sh RDIR}
here=$(dirname "$0")
for f in meta.txt summary.csv; do
	[ -f "$rdir/$f" ] || { echo "reports/gen.sh: no $rdir/$f (run the analysis first)" >&2; exit 1; }
done
figs=""
for f in "$rdir"/fig/*.png; do
	[ -f "$f" ] && [ -f "${f%.png}.pdf" ] && figs="$figs ${f##*/}"
done
awk -v rdir="$rdir" -v figs="$figs" -v md="$rdir/report.md.tmp" -v tex="$rdir/report.tex.tmp" \
	-f "$here/gen.awk" </dev/null
mv "$rdir/report.tex.tmp" "$rdir/report.tex"
mv "$rdir/report.md.tmp" "$rdir/report.md"
