#!/bin/bash
# bench/report.sh - `make report` broken into its phases, for make bench.
#
# Runs the default report plan from scratch into reports/bench/ (the same
# pipeline as `make report`, another directory, so the real report is left
# alone), then prints one markdown row per phase with its share of the
# whole: build, guest boot, collection in the guest, analysis, plotting,
# LaTeX, from its run, reports/bench/latest/.  The run's data is removed
# afterwards.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
rdir=$ROOT/reports/bench
rm -rf "$rdir"
start=$(date +%s.%N)
make -C "$ROOT" --no-print-directory report-run REPORT_NAME=bench >"$ROOT/build/bench-report.log" 2>&1 ||
	{ tail -n 5 "$ROOT/build/bench-report.log" >&2; exit 1; }
total=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
boot=$(sed -n 's/^BOOT_S=//p' "$rdir/latest/data/vm.txt")
awk -F'\t' -v total="$total" -v boot="$boot" '
	{ t = $2 + 0 }
	$1 ~ /^build/ { ph["build (programs, module, initramfs)"] += t; next }
	$1 ~ /^collect/ { ph["guest boot"] += boot; ph["collection in the guest (after boot)"] += t - boot; next }
	$1 ~ /^analyze/ { ph["analysis"] += t; next }
	$1 ~ /^pdflatex/ { ph["LaTeX (report.pdf)"] += t; next }
	$1 ~ /^report\.md/ { ph["report.md and report.tex"] += t; next }
	{ ph["plotting (8 figures)"] += t }
	END {
		n = split("build (programs, module, initramfs)|guest boot|collection in the guest (after boot)|analysis|plotting (8 figures)|report.md and report.tex|LaTeX (report.pdf)", order, "|")
		for (i = 1; i <= n; i++)
			printf "| make report: %s | %.1f%% of the run | %.1f s of %.1f s |\n", order[i], 100 * ph[order[i]] / total, ph[order[i]], total
	}' "$rdir/latest/.timing"
rm -rf "$rdir"
