#!/bin/bash
# tests/t_vm_report.sh - `make report` end to end on a small plan.
#
# Boots the guest through the real pipeline (`make report SIZES="4K 64K
# 1M" SAMPLES=1`, README.md's own command, into a scratch RDIR so a real
# report is not touched), then checks: the user sweeps measured exactly
# the listed sizes, every step ran, each figure is a valid PDF
# (pdfinfo) and PNG (magic bytes), report.pdf has the expected sections
# (pdftotext), every summary.csv row appears in report.md with the same
# numbers, the worked walks' data and decoding (issue 16), the user
# side's maps and pagemap entries (root and uid 65534), the fresh and fragmented phases left their files and a
# Fragmentation section with the snapshots' numbers, findings of report.md
# re-derived from data/ alone (tests/helpers/findings_ref.py), and a second run with
# nothing changed rebuilds nothing and adds no run, while a newer plot
# script redraws one figure in a new run that becomes latest, the first
# run left as it was.  Last, as an ordinary user (nobody,
# with its own HOME) in a copy of the tree, `make report` redoes the host
# part (analysis, figures, LaTeX) from the same data, without a boot.
. "$(dirname "$0")/lib.sh"

for tool in qemu-system-x86_64 gnuplot pdflatex pdfinfo pdftotext; do
	if ! command -v $tool >/dev/null; then
		skip "report: $tool is not installed (make setup)"
		exit 0
	fi
done
need_vm "report"

# A scratch report name inside reports/ (git-ignored), removed at the end.
# Its runs are reports/$name/<date-time>/, the last one reports/$name/latest.
name=test-$$
top=$ROOT/reports/$name
rdir=$top/latest
trap 'rm -rf "$TMP" "$top"' EXIT
args=(--no-print-directory -C "$ROOT" report TARGET=vm PAGING=4
	"SIZES=4K 64K 1M" SAMPLES=1 REPORT_NAME=$name)
st=0
SLUB_DEBUG=1 make "${args[@]}" >"$TMP/out" 2>&1 || st=$?
if [ "$st" != 0 ]; then
	fail "report make: exit $st: $(grep -v '^ ' "$TMP/out" | tail -n 5 | tr '\n' ' ')"
	exit 0
fi
pass "report make ($(sed -n 's/^  total *\([0-9.]*\) s$/\1/p' "$TMP/out" | head -n 1) s)"
run1=$(readlink "$rdir")
check "report run: latest links to the run, reports/$name/<date-time>" bash -c "[[ '$run1' =~ ^[0-9]{8}T[0-9]{6}Z$ ]] && [ -d '$top/$run1' ]"

# The list form: exactly these sizes for every user mode, in the plan too.
for a in malloc4k block thp; do
	check_eq "report SIZES list: $a measured at 4K 64K 1M only" \
		"$(awk -F, -v a=$a '$2 == a { print $3 }' "$rdir/summary.csv" | sort -un | tr '\n' ' ')" "4096 65536 1048576 "
done
check "report SIZES list: meta.txt says SIZES=4K,64K,1M" grep -qx 'SIZES=4K,64K,1M' "$rdir/meta.txt"
n=$(grep -cE '^\[[0-9]+/13\] ' "$TMP/out")
check_eq "report steps" "$n" 13
check "report last line names the report" bash -c "tail -n 1 '$TMP/out' | grep -qx 'report: reports/$name/latest/report.pdf and report.md (run $run1)'"

figs="fig0_walk fig1_kmap fig2_umap fig3_contig fig4_runhist fig5_mismatch fig6_delta fig7_frag"
for f in $figs; do
	pdf=$rdir/fig/$f.pdf png=$rdir/fig/$f.png
	if pdfinfo "$pdf" >/dev/null 2>&1; then pass "report $f.pdf is a PDF"; else fail "report $f.pdf: pdfinfo rejects it or it is missing"; fi
	magic=$(head -c 8 "$png" 2>/dev/null | od -An -tx1 | tr -d ' \n')
	check_eq "report $f.png is a PNG" "$magic" 89504e470d0a1a0a
done

if pdftotext "$rdir/report.pdf" "$TMP/report.txt" 2>/dev/null; then
	for sec in Environment Method Findings Figures "Two contexts, one kernel address" "Walking the page tables" \
		"Why virt_to_phys() is wrong for vmalloc" "Leaf levels" "Results: size x allocator" "Appendix: per-sample tables" \
		"The user side: /proc/PID/maps and /proc/PID/pagemap"; do
		check "report.pdf section '$sec'" grep -q "$sec" "$TMP/report.txt"
	done
	nfig=$(grep -c '^Figure [0-9]*:' "$TMP/report.txt")
	check_eq "report.pdf figure captions" "$nfig" 8
else
	fail "report.pdf: pdftotext cannot read $rdir/report.pdf"
fi

# report.md against summary.csv: each row's numbers, in the table of its
# allocator (tables go in allocator order, so both sides are sorted).
# A mismatch over 0 compared rows (v2p_checked, walk_checked: columns 15
# and 16) is printed n/a.
awk -F, 'NR > 1 { print $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $7 "|" $8 "|" $9 "|" $10 "|" ($15 > 0 ? $11 : "n/a") "|" ($16 > 0 ? $12 : "n/a") "|" $14 }' \
	"$rdir/summary.csv" | sort >"$TMP/want"
awk '/^### / { a = $2 } /^\| [0-9]/ && a != "" {
	n = split($0, c, "|"); for (i = 2; i < n; i++) gsub(/^ +| +$/, "", c[i])
	if (n == 14) print a "|" c[3] "|" c[4] "|" c[5] "|" c[6] "|" c[7] "|" c[8] "|" c[9] "|" c[10] "|" c[11] "|" c[12] "|" c[13] }' \
	"$rdir/report.md" | sort >"$TMP/got"
rows=$(wc -l <"$TMP/want")
if [ "$rows" -gt 0 ] && cmp -s "$TMP/want" "$TMP/got"; then
	pass "report.md tables equal summary.csv ($rows rows)"
else
	fail "report.md tables differ from summary.csv ($rows rows): $(diff "$TMP/want" "$TMP/got" | head -n 3 | tr '\n' ' ')"
fi
# A finding is computed, not fixed text: kmalloc's sample count is the data's.
kn=$(grep -c '^kernel,kmalloc,' "$rdir/summary.csv")
check "report.md kmalloc finding counts $kn experiments" grep -q "^- \*\*kmalloc\*\* (kernel, .*, $kn experiments" "$rdir/report.md"
check "report two-context rows" test "$(($(wc -l <"$rdir/data/twoctx.csv") - 1))" -ge 4

# The worked walks' data (issue 16): the pid walk of a THP holder has user
# pte and THP pmd leaves; walks.csv walks them and the kernel allocators,
# and an independent decoder re-decodes every line against the source
# rows; page_offset_base is in meta.txt and equals v2p.csv's (va -
# virt_to_phys(va) over every direct-map row); the zones are recorded.
d=$rdir/data
check_eq "report pid walk: user pte and THP pmd rows" \
	"$(awk -F, 'NR > 1 && $11 == "pte" { p = 1 } NR > 1 && $11 == "pmd" && $12 ~ /thp/ { t = 1 } END { print p + 0, t + 0 }' "$d/kernel-pidwalk.csv" 2>/dev/null)" "1 1"
check_eq "report walks.csv cases (SIZES up to 1M: no kvmalloc fallback)" \
	"$(cut -d, -f1 "$rdir/walks.csv" | sed 1d | uniq | grep -v '^direct_map_[14]' | tr '\n' ' ')" \
	"kmalloc vmalloc alloc_pages user_4k user_thp direct_map_2m "
if command -v python3 >/dev/null; then
	python3 "$ROOT/tests/helpers/walks_ref.py" "$rdir/walks.csv" "$d"/kernel-*.csv | sed 's/^\(PASS\|FAIL\) /\1 report /'
else
	skip "report walks against an independent decoder: no python3"
fi
pob=$(sed -n 's/^PAGE_OFFSET_BASE=//p' "$rdir/meta.txt")
check_eq "report page_offset_base: meta.txt's is v2p.csv's, on every direct-map row" \
	"$(awk -F, -v p="$pob" 'NR > 1 { print ($7 == p && $15 == $16 && $15 > 0) ? "same" : "differs: " $7 " " $15 "/" $16 }' "$rdir/v2p.csv" | sort -u)" same
check "report meta.txt ZONES_PRESENT names DMA32" grep -q '^ZONES_PRESENT=.*DMA32:[0-9]' "$rdir/meta.txt"
check "report meta.txt KERNEL_IMAGE_PA from /proc/iomem" grep -q '^KERNEL_IMAGE_PA=code 0x[0-9a-f]*-0x[0-9a-f]*;' "$rdir/meta.txt"
# The user side (issue 16 item 5): the plan's pagemap.user.txt, decoded
# into pagemap.csv: the THP block's first page read from pagemap as root
# gives the frame the module's pid walk found for it; the shell's own stack
# page has its PFN as root and, as uid 65534, present with the PFN hidden;
# every entry lies in a VMA of the maps lines; report.md has the section.
check "report data/pagemap.user.txt: maps and entry lines" \
	test "$(grep -c '^maps ' "$d/pagemap.user.txt" 2>/dev/null)" -ge 3 -a "$(grep -c '^entry ' "$d/pagemap.user.txt" 2>/dev/null)" -ge 6
if command -v python3 >/dev/null; then
	python3 - "$rdir/pagemap.csv" "$d/kernel-pidwalk.csv" <<'PY'
import csv, sys
try:
    P = list(csv.DictReader(open(sys.argv[1])))
    W = list(csv.DictReader(open(sys.argv[2])))
except OSError as e:
    print("FAIL report pagemap.csv: %s" % e); sys.exit(0)
def rep(n, ok, why=""):
    print(("PASS report %s" % n) if ok else "FAIL report %s: %s" % (n, why))
thp = [r for r in W if r["level"] == "pmd" and "thp" in r["flags"]][:1]
root = {int(r["va"], 16): r for r in P if r["reader"] == "root"}
if thp:
    va = int(thp[0]["va"], 16)
    e = root.get(va)
    rep("pagemap of the THP's first page as root: the pid walk's frame", e is not None and e["present"] == "1" and
        int(e["pfn"], 16) * 4096 == int(thp[0]["pa"], 16), "%r vs %s" % (e, thp[0]["pa"]))
else:
    rep("pagemap of the THP's first page", False, "no THP row in the pid walk")
r0 = [r for r in P if r["reader"] == "uid0-self"]
r1 = [r for r in P if r["reader"] == "uid65534-self"]
rep("pagemap as root: own stack page present with its PFN", len(r0) == 1 and r0[0]["present"] == "1" and int(r0[0]["pfn"], 16) > 0, repr(r0))
rep("pagemap as uid 65534: own stack page present, PFN hidden (0)", len(r1) == 1 and r1[0]["present"] == "1" and r1[0]["pfn"] == "0x0" and r1[0]["pfn_hidden"] == "1", repr(r1))
rep("pagemap entries each in a VMA of the maps lines", all(r["vma_start"] for r in P) and len(P) >= 6, repr([r["va"] for r in P if not r["vma_start"]]))
PY
else
	skip "report pagemap.csv against the pid walk: no python3"
fi
check "report.md has the user side section" grep -q '^## The user side: /proc/PID/maps and /proc/PID/pagemap$' "$rdir/report.md"
check "report.md: virt_to_phys off by TiB for vmalloc" grep -q '^| vmalloc | [0-9]* | [0-9]* | [0-9]*\.[0-9]* |$' "$rdir/report.md"

# The plan's phases: fresh and fragmented snapshots, per-phase data, and
# a Fragmentation section whose numbers are the snapshots'.
d=$rdir/data
if [ -f "$d/buddyinfo.fresh.txt" ] && [ -f "$d/buddyinfo.fragmented.txt" ]; then
	for f in allocs.fresh.csv allocs.fragmented.csv user.fresh.csv user.fragmented.csv \
		extfrag_unusable.fresh.txt pagetypeinfo.fragmented.txt; do
		check "report phase file $f" test -s "$d/$f"
	done
	check "report.md Fragmentation section" grep -q '^## Fragmentation' "$rdir/report.md"
	check "report.pdf Fragmentation section" grep -q '^[0-9.]* *Fragmentation$' "$TMP/report.txt"
	high() { awk '/zone/ { for (i = 14; i <= NF; i++) s += $i } END { print s + 0 }' "$1"; }
	# fragment's pattern alone (before --huge) has its own snapshot and column
	check "report phase file buddyinfo.patterned.txt" test -s "$d/buddyinfo.patterned.txt"
	check "report frag.txt has the pattern's own status line" grep -q '^FRAG_PATTERN_STATUS=pattern: holding [0-9]* pages' "$d/frag.txt"
	want="| free blocks of order >= 9 (all zones) | $(high "$d/buddyinfo.fresh.txt") | $(high "$d/buddyinfo.patterned.txt") | $(high "$d/buddyinfo.fragmented.txt") |"
	check "report.md order>=9 free blocks from the snapshots" grep -qF "$want" "$rdir/report.md"
	ap() { awk -F, '$2 == "alloc_pages" && $5 == 1 && $4 + 0 >= m { m = $4 + 0; ok = 1 } END { print ok ? m : "none" }' "$1"; }
	check "report.md alloc_pages orders from allocs.*.csv" grep -q \
		"largest alloc_pages order that succeeded was $(ap "$d/allocs.fresh.csv") fresh and $(ap "$d/allocs.fragmented.csv") fragmented" "$rdir/report.md"
	check "report phases analysed apart" test -s "$rdir/phases/fragmented/summary.csv"
else
	fail "report phases: no buddyinfo.fresh.txt and buddyinfo.fragmented.txt in $d (plan log: $(grep 'plan report' "$d/console.log" | head -n 2 | tr '\n' ' '))"
fi

# Findings re-derived from the raw data alone (issue 15): contiguous runs
# and sizes, virt_to_phys() against the walk, frames shared with the
# previous sample, the fragmentation's free blocks and compactions
# (tests/helpers/findings_ref.py, plain Python over data/).
if command -v python3 >/dev/null; then
	python3 "$ROOT/tests/helpers/findings_ref.py" "$rdir" >"$TMP/fref" 2>&1
	fst=$?
	sed 's/^\(PASS\|FAIL\) /\1 report /' "$TMP/fref" | grep -E '^(PASS|FAIL) '
	nref=$(grep -cE '^(PASS|FAIL) ' "$TMP/fref")
	if [ "$fst" != 0 ] || [ "$nref" -lt 3 ]; then
		fail "report findings ref: status $fst, $nref checks: $(grep -vE '^(PASS|FAIL) ' "$TMP/fref" | head -c 300)"
	fi
	check "report compact.csv: a row per vmstat snapshot, fresh first" \
		bash -c "[ \"\$(sed -n 2p '$rdir/compact.csv' | cut -d, -f1)\" = fresh ] && [ \$((\$(wc -l <'$rdir/compact.csv') - 1)) = \$(ls '$rdir'/data/vmstat.*.txt | wc -l) ]"
else
	skip "report findings from the raw data: no python3"
fi

# Nothing changed: nothing reruns.
make "${args[@]}" >"$TMP/out2" 2>&1 || true
n=$(grep -cE '^\[([2-9]|[1-9][0-9])/[0-9]+\] ' "$TMP/out2")
check_eq "report rerun rebuilds nothing" "$n" 0
check_eq "report rerun adds no run, latest stays" "$(ls "$top" | tr '\n' ' ')" "$run1 latest "
fig5=$(stat -c %Y "$top/$run1/fig/fig5_mismatch.pdf")
# One plot script newer: that figure and the report only.
touch "$ROOT/plots/fig5_mismatch.gp"
make "${args[@]}" >"$TMP/out3" 2>&1 || true
got=$(grep -oE '^\[[0-9]+/[0-9]+\] [a-z0-9_.]+' "$TMP/out3" | grep -v '^\[1/' | cut -d' ' -f2 | tr '\n' ' ')
check_eq "report one script redraws one figure" "$got" "fig5_mismatch.gp report.md pdflatex "
run2=$(readlink "$rdir")
check "report one script: a new run, now latest" test "$run2" != "$run1" -a -d "$top/$run2"
check_eq "report one script: the first run keeps its figure" "$(stat -c %Y "$top/$run1/fig/fig5_mismatch.pdf")" "$fig5"
check "report one script: the new run's figure is newer" test "$top/$run2/fig/fig5_mismatch.pdf" -nt "$top/$run1/fig/fig5_mismatch.pdf"

# An ordinary user: the host part of `make report` in a copy of the tree.
if ! is_root || ! command -v setpriv >/dev/null; then
	skip "report as an ordinary user: needs root (to become nobody) and setpriv"
	exit 0
fi
copy=$TMP/nobody-tree
mkdir -p "$copy" "$TMP/nobody-home"
chmod 755 "$TMP"
tar -C "$ROOT" --exclude=./.git --exclude='./build/vm/test-*' --exclude='./build/vm/selftest-*' \
	--exclude=./build/asan --exclude=./build/ubsan --exclude=./build/leakcheck \
	--exclude='./reports/vm-*' --exclude=./reports/host --exclude=./reports/matrix -cf - . | tar -C "$copy" -xpf -
touch "$copy/reports/analyze.sh"        # newer: analysis, figures and report redo
rm -f "$copy/reports/$name/latest/report.pdf" "$copy/reports/$name/latest/report.md"
chown -R 65534:65534 "$copy" "$TMP/nobody-home"
st=0
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	env HOME="$TMP/nobody-home" make "${args[@]/#$ROOT/$copy}" >"$TMP/out4" 2>&1 || st=$?
got=$(grep -oE '^\[[0-9]+/[0-9]+\] [a-z0-9_.:]+' "$TMP/out4" | cut -d' ' -f2 | tr '\n' ' ')
if [ "$st" = 0 ]; then
	pass "report as nobody: make report exits 0"
else
	fail "report as nobody: exit $st: $(grep -v '^ ' "$TMP/out4" | tail -n 5 | tr '\n' ' ')"
fi
check_eq "report as nobody: every host step ran, no boot" "$got" \
	"build: analyze: $(printf '%s.gp ' $figs)report.md pdflatex "
check_eq "report as nobody: report.pdf written again, by nobody" \
	"$(stat -c %u "$copy/reports/$name/latest/report.pdf" 2>/dev/null)" 65534
check "report as nobody: report.md the same as root's" cmp -s "$rdir/report.md" "$copy/reports/$name/latest/report.md"
