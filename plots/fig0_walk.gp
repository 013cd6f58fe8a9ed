# plots/fig0_walk.gp - the walk of one address, drawn as the chain of tables.
#
#   gnuplot -c plots/fig0_walk.gp walks.csv OUT [CASE]
#
# The picture a teacher draws on the board, from this run's data: one box
# per level of analyze/teach.c's walks.csv (pgd down to the leaf) for one
# walk case (CASE, default vmalloc: a kernel address that needs all four
# tables), each box with the index (va >> shift) & 511, the entry's
# address (the pgd's a kernel VA, the others' physical), its raw value and its decoded bits; the arrow to the next box
# carries the next table's physical address (raw bits 51:12).  A folded p4d
# (4-level paging) is drawn dashed: it is the pgd entry again.  The last box
# is the leaf's frame + the va's offset = pa.  Every value is a field of
# walks.csv, picked by column name; nothing is computed here.
load system("dirname ".ARG0)."/style.gp"
DATA = ARG1
OUT = ARG2
CASE = ARGC >= 3 ? ARG3 : "vmalloc"
PDFTERM = "pdfcairo color noenhanced font 'DejaVu Sans,9' size 6.4in,4.4in linewidth 1.3 rounded"
PNGTERM = "pngcairo color noenhanced font 'DejaVu Sans,11' size 1280,880 linewidth 1.8 rounded"

# The header and the lines of CASE (by column name): gnuplot reads only them.
sel = sprintf("< awk -F, -v k='%s' '%s{ print } $c[\"case\"] == k' '%s'", CASE, "NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 1 ", DATA)
field(name) = system(sprintf("awk -F, -v k='%s' -v f='%s' '%s$c[\"case\"] == k { print $c[f]; exit }' '%s'", CASE, name, AWK_COLS, DATA))
N = system(sprintf("awk -F, -v k='%s' '%s$c[\"case\"] == k { n++ } END { print n + 0 }' '%s'", CASE, AWK_COLS, DATA)) + 0
VA = field("va")
ALLOC = field("allocator")
SIZE = field("size_bytes")
SAMPLE = field("sample")
PAGE = field("page")
PAGING = field("paging")
# The leaf line (the one with a frame), if the walk reached one.
leaf(name) = system(sprintf("awk -F, -v k='%s' -v f='%s' '%s$c[\"case\"] == k && $c[\"frame\"] != \"\" { print $c[f]; exit }' '%s'", CASE, name, AWK_COLS, DATA))
FRAME = leaf("frame")

# Box i (row i of the case, 0 = pgd) spans x [i*STEP, i*STEP + W], centred
# on y = -i; the leaf's result box is number N.
STEP = 0.45
W = 2.3
H = 0.36
lvl(s) = s eq "pgd" ? "PGD" : s eq "p4d" ? "P4D" : s eq "pud" ? "PUD" : s eq "pmd" ? "PMD" : s eq "pte" ? "PTE" : s
# The pgd entry's address (and a folded p4d's, the same entry) is the
# slot's kernel virtual address as the module read it (pgd_slot); every
# table below is reached by the physical address the entry above holds.
addrkind(s) = (s eq "pgd" || column("folded") == 1) ? "kernel VA" : "PA"
box(i) = sprintf("%s  index (va >> %d) & 511 = %d\nentry at %s %s = %s\nbits: %s", \
	lvl(strcol("level")), column("shift"), column("index"), addrkind(strcol("level")), strcol("entry_addr"), strcol("raw"), strcol("bits"))
folded_note = "  (folded: 4-level paging, p4d_offset() returns the pgd entry)"
VABITS4 = "47-39 index the pgd (the p4d folded onto it), 38-30 the pud, 29-21 the pmd, 20-12 the pte; 11-0 are the offset"
VABITS5 = "56-48 index the pgd, 47-39 the p4d, 38-30 the pud, 29-21 the pmd, 20-12 the pte; 11-0 are the offset"
leafbox = "leaf frame %s + offset %s\n= pa %s   (the row's pa: %s)"

set datafile columnheaders
unset border
unset tics
unset grid
unset key
set xrange [-0.1:(N > 5 ? N : 5) * STEP + W + 0.1]
set yrange [-(N > 5 ? N : 5) - 0.6:0.7]
set lmargin 1
set rmargin 1
set bmargin 0.5
set tmargin 3.2
set style fill solid 1.0 border lc rgb "#303030"
do for [fmt in FORMATS] {
	eval open(fmt)
	# the PDF is printed at 6.4 in: smaller text than the PNG's so that
	# an entry's line fits its box
	BOXFONT = fmt eq "pdf" ? ",7" : ",10"
	ARROWFONT = fmt eq "pdf" ? ",6.5" : ",9"
	if (N > 0) {
		unset object 1
		unset label 1
		if (FRAME ne "") {
			set object 1 rect from N * STEP, -N - H to N * STEP + W, -N + H fc rgb "#C8C8C8" fs solid 1.0 border lc rgb "#303030" lw 1.2 back
			set label 1 sprintf(leafbox, FRAME, leaf("offset"), leaf("pa"), leaf("row_pa")) at N * STEP + 0.08, -N offset 0, 0.6 left font BOXFONT front
		}
		set title sprintf("the walk of va %s (%s, %s bytes, sample %s, page %s; %s-level paging)\nva bits %s", \
			VA, ALLOC, SIZE, SAMPLE, PAGE, PAGING, PAGING eq "5" ? VABITS5 : VABITS4)
		plot sel using (column("folded") == 1 ? NaN : $0 * STEP + W / 2):(-$0):($0 * STEP):($0 * STEP + W):(-$0 - H):(-$0 + H) \
				with boxxyerror fs solid 1.0 border lc rgb "#303030" fc rgb "#F0F0F0" lw 1.2, \
			sel using (column("folded") == 1 ? $0 * STEP + W / 2 : NaN):(-$0):($0 * STEP):($0 * STEP + W):(-$0 - H):(-$0 + H) \
				with boxxyerror fs empty border lc rgb "#303030" lc rgb "#303030" dt 2 lw 1.2, \
			sel using ($0 * STEP + 0.08):(-$0):(box(0).(column("folded") == 1 ? folded_note : "")) with labels left offset 0, 0.6 font BOXFONT, \
			sel using (strcol("next_pa").strcol("frame") ne "" ? $0 * STEP + STEP / 2 : NaN):(-$0 - H):(0):(-1 + 2 * H) with vectors head filled size screen 0.008, 20 lc rgb "#303030" lw 1.2, \
			sel using ($0 * STEP + STEP / 2 + 0.05):(-$0 - 0.5):(strcol("next_pa") ne "" ? "next table at PA ".strcol("next_pa") : strcol("frame") ne "" ? "page frame" : "not present: the walk stops") \
				with labels left font ARROWFONT tc rgb "#404040"
	} else {
		set title sprintf("the walk of one address (case %s)", CASE)
		set label 1 sprintf("walks.csv has no %s walk in this run", CASE) at graph 0.5, 0.5 center
		plot NaN
		unset label 1
	}
	eval close
}
