#!/bin/sh
# mk/matrix-section.sh - the kernel matrix as a section of one report.
#
#   mk/matrix-section.sh RDIR      (env MATRIX_DIR, default reports/matrix/latest)
#
# `make report MATRIX=1` runs this through reports/gen.sh: it copies the
# table `make matrix` wrote (MATRIX_DIR/matrix.md and matrix.tex) and its
# figure (fig_matrix.pdf and .png, into RDIR/fig/) into RDIR/matrix.md and
# RDIR/matrix.tex, which reports/gen.awk puts in the report as they are.
# Fails with one line when the matrix has not been run.
set -eu
rdir=${1:?usage: mk/matrix-section.sh RDIR}
m=${MATRIX_DIR:-reports/matrix/latest}
for f in matrix.md matrix.tex fig_matrix.pdf fig_matrix.png; do
	[ -s "$m/$f" ] || { echo "report: MATRIX=1 needs $m/$f: run make matrix first" >&2; exit 1; }
done
mkdir -p "$rdir/fig"
cp "$m/fig_matrix.pdf" "$m/fig_matrix.png" "$rdir/fig/"
cap="The kernel matrix, per target (make matrix): largest buddy orders; mean physically contiguous run of user memory and of vmalloc; and the share of vmalloc-area pages that virt_to_phys() gets wrong, that vmalloc_to_page() disagrees on, and that a pmd leaf maps."
{
	cat "$m/matrix.md"
	printf '\n![%s](fig/fig_matrix.png)\n\n*Figure: %s*\n' "$cap" "$cap"
} >"$rdir/matrix.md.tmp"
{
	cat "$m/matrix.tex"
	printf '\\begin{figure}[htbp]\\centering\n\\includegraphics[width=\\textwidth]{fig/fig_matrix.pdf}\n\\caption{%s}\n\\end{figure}\n' \
		"$(echo "$cap" | sed 's/_/\\_/g')"
} >"$rdir/matrix.tex.tmp"
mv "$rdir/matrix.md.tmp" "$rdir/matrix.md"
mv "$rdir/matrix.tex.tmp" "$rdir/matrix.tex"
