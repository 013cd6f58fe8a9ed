#!/bin/bash
# tests/t_report_arm64.sh - the arm64 report's own sections on fixed data,
# host only: analyze --machine aarch64's worked walks, "A worked walk
# (arm64)" (reports/walk_section.sh) and "x86-64 and arm64"
# (reports/arch_section.sh).
#
# tests/golden/arm64/ holds rows cut from a real arm64 guest run (Debian's
# arm64 6.1, `make report ARCH=arm64`: kmalloc, vmalloc, kvmalloc's
# vmalloc fallback, alloc_pages, the pid walk's first pages and a THP
# page of it), that run's
# meta.txt, data/vm.txt and data/times.txt, and want/walk.md, want/arch.md
# rendered from them and the x86-64 fixture tests/golden/report/, checked
# by hand.  Both must come out byte for byte.  Independent of the golden
# text: tests/helpers/walks_ref.py decodes every walks.csv line again as
# arm64 descriptors, and Python re-reads the two runs' leaves.csv,
# v2p.csv, overview.csv and key=value files and finds each cell of
# arch.md's tables where the files say.  Then what is missing: no x86-64
# run, no walks.csv; and bad input.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/analyze_lib.sh"
G=$ROOT/tests/golden/arm64
X86=$ROOT/tests/golden/report

if [ ! -x "$BIN/analyze" ]; then
	fail "arm64 report: $BIN/analyze missing"
	exit 0
fi
d=$TMP/rdir
mkdir -p "$d/data"
cp "$G/meta.txt" "$d/meta.txt"
cp "$G/meta.txt" "$G/vm.txt" "$G/times.txt" "$d/data/"
for mode in $MODES; do
	if an $mode -q --machine aarch64 -o "$TMP/an-$mode" "$G/in.csv" 2>"$TMP/err"; then
		check "arm64 report: walks.csv ($mode) equals the golden one" cmp -s "$G/want/walks.csv" "$TMP/an-$mode/walks.csv"
	else
		fail "arm64 report: analyze --machine aarch64 ($mode): $(head -c 300 "$TMP/err")"
	fi
done
cp "$TMP/an-file"/*.csv "$d/"
for s in walk arch; do
	if "$ROOT/reports/${s}_section.sh" "$d" $([ $s = arch ] && echo "$X86") >"$TMP/$s.out" 2>&1; then
		check_eq "arm64 report: ${s}_section.sh quiet" "$(cat "$TMP/$s.out")" ""
		for f in md tex; do
			if diff -u "$G/want/$s.$f" "$d/$s.$f" >"$TMP/diff" 2>&1; then
				pass "arm64 report: $s.$f equals the golden one"
			else
				fail "arm64 report: $s.$f differs from the golden one: $(head -c 600 "$TMP/diff")"
			fi
		done
	else
		fail "arm64 report: reports/${s}_section.sh exit non-zero: $(head -c 300 "$TMP/$s.out")"
	fi
done
check_eq "arm64 report: every walk case of the fixture" \
	"$(cut -d, -f1 "$d/walks.csv" | sed 1d | uniq | tr '\n' ' ')" \
	"kmalloc vmalloc kvmalloc_vmalloc alloc_pages user_4k user_thp direct_map_4k "

if command -v python3 >/dev/null; then
	python3 "$ROOT/tests/helpers/walks_ref.py" --machine aarch64 "$d/walks.csv" "$G/in.csv" | sed 's/^\(PASS\|FAIL\) /\1 arm64 report /'
	python3 - "$d" "$X86" <<'EOF'
import csv, sys
a, x = sys.argv[1], sys.argv[2]
md = open(a + "/arch.md").read().split("\n")
def table(title):
    i = md.index("**%s**" % title)
    rows = []
    for ln in md[i + 4:]:
        if not ln.startswith("|"):
            break
        rows.append([c.strip() for c in ln.strip("|").split("|")])
    return rows
def rows(d, f):
    return list(csv.DictReader(open(d + "/" + f)))
def kv(path, key):
    try:
        lines = open(path).read().split("\n")
    except FileNotFoundError:
        return "-"
    for ln in lines:
        if ln.startswith(key + "="):
            return ln.split("=", 1)[1] or "-"
    return "-"
def report(name, got, want):
    print(("PASS %s" % name) if got == want else "FAIL %s: arch.md %r, the files %r" % (name, got, want))

# The machines: each value from its file.
got = table("The machines and their costs under TCG (seconds)")
want = []
for key, f in [(r[0].split(" (")[0], r[0].split(" (")[1].rstrip(")")) for r in got]:
    want.append(["%s (%s)" % (key, f), kv(x + "/" + f, key), kv(a + "/" + f, key)])
report("arm64 report ref: the machines table, each value from meta/vm/times", got, want)
report("arm64 report ref: the machines table has its 15 rows", len(got), 15)
# Leaves, v2p and contiguity: the two runs' rows by key, x86-64 first.
def joined(f, keys, vals, sep):
    X, A = rows(x, f), rows(a, f)
    order = []
    for r in X + A:
        k = [r[c] for c in keys]
        if k not in order:
            order.append(k)
    def val(R, k):
        for r in R:
            if [r[c] for c in keys] == k:
                return sep.join(r[c] for c in vals)
        return "-"
    return [k + [val(X, k), val(A, k)] for k in order]
report("arm64 report ref: the leaves table is both runs' leaves.csv",
       table("Leaf levels: pages under each kind of leaf (leaves.csv rows)"),
       joined("leaves.csv", ["source", "allocator", "region", "level"], ["rows"], ""))
report("arm64 report ref: the virt_to_phys table is both runs' v2p.csv differ of checked",
       table("virt_to_phys() against the walk: pages it got wrong (v2p.csv differ of checked)"),
       joined("v2p.csv", ["source", "allocator"], ["differ", "checked"], " of "))
report("arm64 report ref: the contiguity table is both runs' overview.csv at 64K, 2M, 64M",
       table("Contiguity: median contiguity, largest run (pages) and leaves, per allocator and size (overview.csv)"),
       [r for r in joined("overview.csv", ["source", "allocator", "size_bytes"], ["median_contiguity", "largest_run", "leaf"], " ")
        if r[2] in ("65536", "2097152", "67108864")])
EOF
else
	skip "arm64 report references: no python3"
fi

# What is missing is said, not invented.
e=$TMP/empty
mkdir -p "$e"
cp "$G/meta.txt" "$e/"
"$ROOT/reports/walk_section.sh" "$e" && "$ROOT/reports/arch_section.sh" "$e" "$TMP/nox86"
check "arm64 report: no walks.csv: the walk section says not measured" grep -q '^Not measured: this run has no walks.csv rows' "$e/walk.md"
check "arm64 report: no x86-64 run: the comparison says how to get one" grep -q "^Not compared: no analyzed x86-64 run at $TMP/nox86 (run \`make report\` first, or name one with ARCH_CMP=RDIR)." "$e/arch.md"
check_err "arm64 report: walk_section.sh without RDIR" 2 'usage: reports/walk_section.sh RDIR' "$ROOT/reports/walk_section.sh"
check_err "arm64 report: arch_section.sh without RDIR" 2 'usage: reports/arch_section.sh RDIR' "$ROOT/reports/arch_section.sh"
check_err "arm64 report: analyze --machine sparc" 2 "^analyze: --machine takes x86_64 or aarch64, not 'sparc'\$" "$BIN/analyze" --machine sparc -o "$TMP/x" "$G/in.csv"
