#!/bin/sh
# reports/gen.sh - write report.md and report.tex for one report directory.
#
#   reports/gen.sh RDIR
#
# Reads what the run left in RDIR (meta.txt, the analyzer's summary.csv,
# findings.csv, walks.csv, v2p.csv, leaves.csv, overview.csv, pagemap.csv,
# frag.csv and refusals.csv (else data/failures.csv), data/twoctx.csv, data/times.txt,
# data/vm.txt, fig/*.png|pdf, and the phases' files through
# reports/frag_section.sh) and writes RDIR/report.md and RDIR/report.tex
# (for reports/latex.sh) with reports/gen.awk and reports/teach.awk (the
# teaching sections).  Every number in either file
# comes from those files: the tables copy summary.csv's fields as they are,
# and the findings word findings.csv's numbers (the analyzer computes
# them), so a run whose data disagree with the textbook gets a report that
# says so.
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
# The Fragmentation section, when the plan ran its phases (fresh and
# fragmented snapshots): reports/frag_section.sh writes RDIR/frag.md and
# RDIR/frag.tex from the data, and gen.awk copies them in.
rm -f "$rdir/frag.md" "$rdir/frag.tex"
if [ -f "$rdir/data/buddyinfo.fresh.txt" ] && [ -f "$rdir/data/buddyinfo.fragmented.txt" ]; then
	FRAG_PHASES="fresh patterned fragmented released" ANALYZE=${ANALYZE:-build/bin/analyze} \
		"$here/frag_section.sh" "$rdir/data" "$rdir" "$rdir/frag" || exit 1
fi
# arm64: a worked walk with its descriptors decoded (reports/walk_section.sh
# writes RDIR/walk.md and RDIR/walk.tex) and the comparison with an x86-64
# run (reports/arch_section.sh: RDIR/arch.md, arch.tex); gen.awk copies them in.
rm -f "$rdir/walk.md" "$rdir/walk.tex" "$rdir/arch.md" "$rdir/arch.tex"
if grep -qx 'MACHINE=aarch64' "$rdir/meta.txt"; then
	"$here/walk_section.sh" "$rdir" || exit 1
	"$here/arch_section.sh" "$rdir" || exit 1
fi
# The kernel matrix (make report MATRIX=1): mk/matrix-section.sh writes
# RDIR/matrix.md and RDIR/matrix.tex from reports/matrix/, gen.awk copies them in.
rm -f "$rdir/matrix.md" "$rdir/matrix.tex"
[ "${MATRIX:-0}" != 1 ] || "$here/../mk/matrix-section.sh" "$rdir" || exit 1
awk -v rdir="$rdir" -v figs="$figs" -v md="$rdir/report.md.tmp" -v tex="$rdir/report.tex.tmp" \
	-f "$here/gen.awk" -f "$here/teach.awk" </dev/null
mv "$rdir/report.tex.tmp" "$rdir/report.tex"
mv "$rdir/report.md.tmp" "$rdir/report.md"
