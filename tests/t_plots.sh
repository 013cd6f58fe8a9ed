#!/bin/bash
# tests/t_plots.sh - the figures pick the analyzer's columns by name.
#
# Draws every report figure (plots/build.mk's FIGS, each from its table)
# from the tables analyze makes of the golden inputs, then again from the
# same tables with their columns in reverse order: the PNGs must be
# byte-identical, which they are only if no script reads a column by its
# position.  (The scripts before issue 13 gave six different figures.)
# gnuplot must print nothing on stderr for the golden tables: no warning.
. "$(dirname "$0")/lib.sh"
G=$ROOT/tests/golden/analyze

if ! command -v gnuplot >/dev/null; then
	skip "plots by column name: no gnuplot (make setup installs gnuplot-nox)"
	exit 0
fi
if [ ! -x "$BIN/analyze" ]; then
	fail "plots by column name: $BIN/analyze missing"
	exit 0
fi
d=$TMP/tables r=$TMP/reversed
mkdir -p "$r"
# teach_in.csv first: its vmalloc rows (a whole walk, pgd to pte) are then
# the first of their kind, the ones walks.csv and fig0_walk show
"$BIN/analyze" -q -o "$d" "$G/teach_in.csv" "$G/mixed.csv" "$G/kmalloc.csv" "$G/buddyinfo.after.txt" \
	"$G/buddyinfo.before.txt" || { fail "plots: analyze of the golden inputs failed"; exit 0; }
for t in "$d"/*.csv; do
	awk -F, '{ for (i = NF; i >= 1; i--) printf "%s%s", $i, (i > 1 ? "," : "\n") }' "$t" >"$r/${t##*/}"
done
check_eq "plots: walks.csv holds a whole vmalloc walk, pgd to pte" \
	"$(awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["case"] == "vmalloc" { printf "%s ", $c["level"] }' "$d/walks.csv")" "pgd p4d pud pmd pte "
check "plots: the reversed summary.csv really starts with its last column" \
	test "$(head -n 1 "$r/summary.csv" | cut -d, -f1)" = leaf_pud
figs=$(sed -n 's/^FIGS := //p' "$ROOT/plots/build.mk")
check "plots: plots/build.mk lists 8 figures" test "$(echo $figs | wc -w)" = 8
for fig in $figs; do
	table=$(sed -n "s/^FIG_DATA_$fig := //p" "$ROOT/plots/build.mk")
	for v in tables reversed; do
		mkdir -p "$TMP/fig-$v"
		gnuplot -c "$ROOT/plots/$fig.gp" "$TMP/$v/$table" "$TMP/fig-$v/$fig" \
			>/dev/null 2>"$TMP/fig-$v/$fig.err"
	done
	a=$TMP/fig-tables/$fig.png b=$TMP/fig-reversed/$fig.png
	if [ ! -s "$a" ] || [ ! -s "$b" ]; then
		fail "plots: $fig from $table drew no PNG: $(head -c 300 "$TMP/fig-tables/$fig.err" "$TMP/fig-reversed/$fig.err")"
	else
		check "plots: $fig draws the same from $table with its columns reversed" cmp -s "$a" "$b"
	fi
	check_eq "plots: $fig from the golden $table: no gnuplot warning" "$(head -c 300 "$TMP/fig-tables/$fig.err")" ""
done

# fig0_walk prints the walk's real values: every raw entry and entry
# address of walks.csv's vmalloc walk, and the leaf's pa, are in the text
# of its PDF.
pdf=$TMP/fig-tables/fig0_walk.pdf
if ! command -v pdftotext >/dev/null; then
	skip "plots: fig0_walk's values: no pdftotext (poppler-utils)"
elif ! pdftotext "$pdf" "$TMP/walk.txt" 2>/dev/null; then
	fail "plots: fig0_walk: pdftotext cannot read $pdf"
else
	want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["case"] == "vmalloc" { print $c["raw"]; print $c["entry_addr"]; if ($c["pa"] != "") print $c["pa"] }' "$d/walks.csv")
	miss=$(for v in $want; do grep -qF -- "$v" "$TMP/walk.txt" || printf '%s ' "$v"; done)
	check_eq "plots: fig0_walk shows the $(echo $want | wc -w) raw entries, entry addresses and pa of the vmalloc walk" "$miss" ""
	# The pgd entry's address is a kernel VA (pgd_slot), the others' are
	# physical: each address is labelled with what it is.
	want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["case"] == "vmalloc" { print ($c["level"] == "pgd" || $c["folded"] == 1 ? "kernel_VA" : "PA") "=" $c["entry_addr"] }' "$d/walks.csv")
	miss=$(for v in $want; do k=${v%=*}; grep -qF -- "entry at ${k/_/ } ${v#*=} " "$TMP/walk.txt" || printf '%s ' "$v"; done)
	check_eq "plots: fig0_walk labels the pgd's (and folded p4d's) entry address a kernel VA and the others' PA ($(echo $want))" "$miss" ""
fi

# fig7_frag draws the zone the analyzer chose (fragzone.csv): DMA, the
# zone with the most free pages in any snapshot (3975 in "before"), not
# the largest zone of the first snapshot ("after": Normal), which the
# script once picked itself.
pdf=$TMP/fig-tables/fig7_frag.pdf
if ! command -v pdftotext >/dev/null; then
	skip "plots: fig7_frag's zone: no pdftotext (poppler-utils)"
elif ! pdftotext "$pdf" "$TMP/frag.txt" 2>/dev/null; then
	fail "plots: fig7_frag: pdftotext cannot read $pdf"
else
	check_eq "plots: fig7_frag names fragzone.csv's zone" \
		"$(grep -o 'buddy allocator, zone [A-Za-z0-9]*' "$TMP/frag.txt")" "buddy allocator, zone DMA"
	check_eq "plots: fig7_frag's legend gives fragzone.csv's free pages of before" \
		"$(grep -o 'before (3975 free pages)' "$TMP/frag.txt")" "before (3975 free pages)"
fi
