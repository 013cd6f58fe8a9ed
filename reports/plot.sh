#!/bin/sh
# reports/plot.sh - draw one figure: gnuplot -c SCRIPT DATA OUT.
#
#   reports/plot.sh plots/figN.gp TABLE OUTBASE
#
# Makes OUTBASE.pdf and OUTBASE.png.  A table with no data rows (say,
# frag.csv without buddyinfo snapshots) means no figure: the old ones are
# removed and the report leaves the figure out.  gnuplot errors fail.
gp=$1 data=$2 out=$3
rm -f "$out.pdf" "$out.png"
if [ ! -f "$data" ] || [ "$(head -n 2 "$data" | wc -l)" -lt 2 ]; then
	echo "      no rows in ${data##*/}: ${out##*/} left out" >&2
	exit 0
fi
${GNUPLOT:-gnuplot} -c "$gp" "$data" "$out" || exit 1
for f in "$out.pdf" "$out.png"; do
	[ -s "$f" ] || { echo "report: $gp made no $f" >&2; exit 1; }
done
