#!/bin/sh
# reports/latex.sh - report.tex to report.pdf with pdflatex.
#
#   reports/latex.sh RDIR
#
# Runs pdflatex twice in RDIR (longtable needs the second pass to settle
# column widths), non-interactively, and keeps the log in
# RDIR/report.log; on an error its first lines go to stderr.  The PDF is
# built under a temporary job name and renamed, so a failed run leaves no
# half-written report.pdf.
rdir=$1
cd "$rdir" || exit 1
command -v pdflatex >/dev/null || { echo "report: pdflatex not found; run make setup (texlive-latex-base)" >&2; exit 1; }
rm -f report-tmp.pdf
for pass in 1 2; do
	if ! pdflatex -interaction=nonstopmode -halt-on-error -jobname=report-tmp report.tex >/dev/null 2>&1; then
		grep -A 3 '^!' report-tmp.log | head -n 12 >&2
		echo "report: pdflatex failed on $rdir/report.tex (log: $rdir/report.log)" >&2
		mv report-tmp.log report.log 2>/dev/null
		exit 1
	fi
done
mv report-tmp.log report.log
rm -f report-tmp.aux report-tmp.out
mv report-tmp.pdf report.pdf
