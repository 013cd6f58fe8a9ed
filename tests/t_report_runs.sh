#!/bin/bash
# tests/t_report_runs.sh - make report keeps each run, latest moves only on success.
#
# Without a guest: reports/runs.sh on a scratch target (a run starts as a
# copy of latest, data/ hard-linked; a run that changed a file becomes
# latest, atomically, and leaves the run before it as it was; one that
# changed nothing is dropped; a failed one is renamed .failed and latest
# stays), then through `make report-run` itself on a seeded run (the
# golden report tables of tests/golden/report, every step's stamp newer
# than what it is made from): with nothing changed no run is added; with
# report.md out of date a new run rewrites it and report.pdf and becomes
# latest, the seed untouched; when pdflatex then fails, the run is kept as
# .failed and latest does not move.
. "$(dirname "$0")/lib.sh"
R=$ROOT/reports/runs.sh

# The makefiles and scripts are what is tested: the sanitizer and
# valgrind repeats of the host tests (SAN or WRAP set) skip this.
if [ -n "${SAN:-}${WRAP:-}" ]; then
	skip "report runs: tests the build, not the programs; run by the plain make test"
	exit 0
fi

top=$TMP/runs/vm-4level
r1=$("$R" new "$top")
mkdir -p "$r1/data" && echo 1 >"$r1/data/user.csv" && echo one >"$r1/report.md"
"$R" done "$top" "$r1" 2>"$TMP/err"
check_eq "runs: the first run becomes latest" "$(readlink "$top/latest")" "${r1##*/}"
check "runs: names YYYYMMDDTHHMMSSZ" bash -c "[[ '${r1##*/}' =~ ^[0-9]{8}T[0-9]{6}Z$ ]]"
check "runs: done says where the report is" grep -qx "report: $top/latest/report.pdf and report.md (run ${r1##*/})" "$TMP/err"
touch -d '2001-01-01' "$r1/report.md"
r2=$("$R" new "$top")
check "runs: a second run in the same second gets its own directory" test "$r2" != "$r1" -a -d "$r2"
check_eq "runs: a new run's data is the latest's, hard-linked" \
	"$(stat -c %i "$r2/data/user.csv")" "$(stat -c %i "$r1/data/user.csv")"
check_eq "runs: a new run keeps the copied files' times" \
	"$(stat -c %Y "$r2/report.md")" "$(stat -c %Y "$r1/report.md")"
: >"$r2/.timing"
"$R" done "$top" "$r2" 2>"$TMP/err"
check "runs: a run that changed nothing is dropped" test ! -e "$r2"
check_eq "runs: ... and latest stays" "$(readlink "$top/latest")" "${r1##*/}"
check "runs: ... and says so" grep -q "^report: nothing changed: $top/latest is still run ${r1##*/}$" "$TMP/err"
# A data/ that once held many files (the guest's temporary ones) is a
# larger directory than its fresh copy in the new run: not a change.
(cd "$r1/data" && for i in $(seq 400); do : >"temporary-file-with-a-long-name-$i"; done && rm -f temporary-file-*) &&
	touch -d '2001-01-01' "$r1/data"
r2=$("$R" new "$top")
"$R" done "$top" "$r2" 2>"$TMP/err"
check "runs: a data/ grown and emptied again (directory size $(stat -c %s "$r1/data")) is no change: dropped" test ! -e "$r2"
r3=$("$R" new "$top")
echo two >"$r3/report.md"
"$R" done "$top" "$r3" 2>/dev/null
check_eq "runs: a run that changed a file becomes latest" "$(readlink "$top/latest")" "${r3##*/}"
check_eq "runs: the run before it is as it was" "$(cat "$r1/report.md") $(stat -c %Y "$r1/report.md")" "one $(date -d 2001-01-01 +%s)"
check "runs: latest is a symbolic link, no temporary link left" \
	bash -c "[ -L '$top/latest' ] && [ -z \"\$(ls -A '$top' | grep '^\\.latest')\" ]"
r4=$("$R" new "$top")
echo three >"$r4/report.md"
"$R" failed "$top" "$r4" 2>"$TMP/err"
check_eq "runs: a failed run does not move latest" "$(readlink "$top/latest")" "${r3##*/}"
check "runs: a failed run is kept as RUN.failed" test -f "$r4.failed/report.md" -a ! -e "$r4"
check_err "runs: done on what is not a run in progress" 2 "is not a run in progress under" "$R" done "$top" "$r1"
check_err "runs: unknown command" 2 "^usage: reports/runs.sh" "$R" move "$top"
m=$("$R" new "$TMP/runs/matrix" --empty)
"$R" done "$TMP/runs/matrix" "$m" 2>/dev/null
m2=$("$R" new "$TMP/runs/matrix" --empty)
check_eq "runs: --empty starts a run with nothing in it (the matrix's)" "$(ls -A "$m2")" ".run.start"
echo x >"$m2/matrix.md"
"$R" done "$TMP/runs/matrix" "$m2" 2>"$TMP/err"
check_eq "runs: the matrix's run names its table" "$(cat "$TMP/err")" "matrix: $TMP/runs/matrix/latest/matrix.md and matrix.csv (run ${m2##*/}, the one before: ${m##*/})"

# Through make.  The programs, module and initramfs must be up to date
# first, or make -t below would mark them made.
if ! command -v pdflatex >/dev/null || ! "$ROOT/mk/kver.sh" >/dev/null 2>&1; then
	skip "make report-run runs: needs pdflatex and a Debian kernel with headers (make setup)"
	exit 0
fi
mk() { env -u MAKEFLAGS -u MAKELEVEL make --no-print-directory -C "$ROOT" "$@"; }
if ! mk -s build-all vm-initramfs >"$TMP/build.out" 2>&1; then
	fail "make report-run runs: make build-all vm-initramfs: $(tail -n 3 "$TMP/build.out" | tr '\n' ' ')"
	exit 0
fi
name=test-runs-$$
top=$ROOT/reports/$name
trap 'rm -rf "$TMP" "$top"' EXIT
seed=$top/20000101T000000Z
mkdir -p "$seed"
cp -r "$ROOT/tests/golden/report/." "$seed/"
rm -rf "$seed/want"
ln -s "${seed##*/}" "$top/latest"
args=(REPORT_NAME=$name "SIZES=4K 64K 1M" SAMPLES=1)
# The seed's steps done: its variables written by make, then every stamp
# and output at one time, newer than all it is made from.
if ! mk -s "${args[@]}" REPORT_RUN=${seed##*/} "reports/$name/${seed##*/}/.plan.vars" \
	"reports/$name/${seed##*/}/.matrix.vars" >"$TMP/out" 2>&1; then
	fail "make report-run runs: seeding the run: $(head -c 300 "$TMP/out")"
	exit 0
fi
figs=$(mk -s -pn "${args[@]}" no-such-goal 2>/dev/null | sed -n 's/^FIGS := //p')
mkdir -p "$seed/fig"
touch "$seed/.data.stamp" "$seed/.analysis.stamp" $(printf "$seed/fig/.%s.stamp " $figs) "$seed/report.md" "$seed/report.pdf"
st=0
mk "${args[@]}" report-run >"$TMP/out" 2>&1 || st=$?
check_eq "make report-run, nothing changed: exit 0, no run added" "$st $(ls "$top" | tr '\n' ' ')" "0 ${seed##*/} latest "
check "make report-run, nothing changed: says so last" \
	bash -c "tail -n 1 '$TMP/out' | grep -q '^report: nothing changed: reports/$name/latest is still run ${seed##*/}$'"
# report.md out of date: a new run rewrites it and report.pdf, and
# becomes latest; the seed keeps its own.
touch -d '2001-01-01' "$seed/report.md"
want=$(sha256sum <"$seed/report.md")
st=0
mk "${args[@]}" report-run >"$TMP/out" 2>&1 || st=$?
run=$(readlink "$top/latest")
check "make report-run, report.md out of date: exit 0, a new run is latest" test "$st" = 0 -a "$run" != "${seed##*/}" -a -d "$top/$run"
check "make report-run, report.md out of date: the run's report.md and report.pdf rewritten" \
	bash -c "[ '$top/$run/report.md' -nt '$seed/report.md' ] && [ '$top/$run/report.pdf' -nt '$seed/report.pdf' ] && pdfinfo '$top/$run/report.pdf' >/dev/null"
check_eq "make report-run, report.md out of date: the seed's report.md untouched" \
	"$(sha256sum <"$seed/report.md") $(stat -c %Y "$seed/report.md")" "$want $(date -d 2001-01-01 +%s)"
check "make report-run: says where the report is, last" \
	bash -c "tail -n 1 '$TMP/out' | grep -qx 'report: reports/$name/latest/report.pdf and report.md (run $run, the one before: ${seed##*/})'"

# A run that fails after it changed something (pdflatex fails): latest stays.
mkdir -p "$TMP/bin"
printf '#!/bin/sh\nexit 1\n' >"$TMP/bin/pdflatex"
chmod +x "$TMP/bin/pdflatex"
touch -d '2001-01-01' "$top/$run/report.md"
st=0
PATH=$TMP/bin:$PATH mk "${args[@]}" report-run >"$TMP/out" 2>&1 || st=$?
failed=$(ls -d "$top"/*.failed 2>/dev/null)
check "make report-run, pdflatex fails: make fails" test "$st" != 0
check_eq "make report-run, pdflatex fails: latest does not move" "$(readlink "$top/latest")" "$run"
check "make report-run, pdflatex fails: the run is kept as .failed, with its new report.md" \
	bash -c "[ -n '$failed' ] && [ '$failed/report.md' -nt '$top/$run/report.md' ]"
check "make report-run, pdflatex fails: says latest stays" grep -q "^report: the run failed; .* is still $run" "$TMP/out"
