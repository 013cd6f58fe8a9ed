#!/bin/bash
# tests/t_layout.sh - the tree's layout rules and "no code run from data".
#
# build/bin holds exactly the programs a user runs (test drivers are in
# build/tests/bin); `make bench` finds its benchmarks by glob; plans are
# found by name or path in vm/plans, tests/plans and bench/guest; no shell
# script uses eval or sources anything but our own checked-in libraries;
# KEY=VALUE files (plan.env, bench.txt) are parsed by vm/lib.sh, and a
# hostile one is refused, or taken literally, without running anything
# (under bash and under busybox sh, the guest's shell), through vm/run.sh
# too.
. "$(dirname "$0")/lib.sh"

W=${WRAP:-}

# ---- build/bin: the user's programs, nothing else -----------------------
want="analyze fragment memalloc pagemap_reader pfn_ioctl prober"
got=$(cd "$BIN" 2>/dev/null && ls | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
check_eq "layout: $BIN holds exactly the user programs" "$got" "$want"
# The drivers the host tests run (the sanitizer builds make these two).
for p in ioctl_stress soak_xlate; do
	if [ -x "$TBIN/$p" ] && [ ! -e "$BIN/$p" ]; then
		pass "layout: test driver $p is in $TBIN, not $BIN"
	else
		fail "layout: test driver $p: in TBIN $([ -x "$TBIN/$p" ] && echo yes || echo no), in BIN $([ -e "$BIN/$p" ] && echo yes || echo no)"
	fi
done

# ---- the shell sources: no eval, no sourcing of written files -----------
cd "$ROOT" || exit 1
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	scripts=$(git ls-files '*.sh' vm/init)
else
	scripts=$(find . -name '*.sh' -not -path './build/*' | sed 's|^\./||'; echo vm/init)
fi
n=$(echo "$scripts" | wc -w)
w=ev; w=${w}al	# spelled so that this line does not match itself
evals=$(grep -nE "^[^#]*\\b$w\\b" $scripts 2>/dev/null)
check_eq "layout: no $w in the $n shell scripts" "$evals" ""
# Every '. FILE' or 'source FILE' must name one of our libraries by path:
# a lib.sh, kmod_lib.sh, readme_lib.sh, analyze_lib.sh, frag.sh, pmcheck.sh or zero_hold.sh.
srcs=$(grep -nE '^[[:space:]]*(\.|source)[[:space:]]' $scripts 2>/dev/null |
	grep -vE '[/{](lib|kmod_lib|readme_lib|analyze_lib|frag|pmcheck|zero_hold)\.sh\}?"?[[:space:]]*$')
check_eq "layout: only checked-in libraries are sourced" "$srcs" ""
check_eq "layout: nothing sources plan.env, bench.txt or chan.txt" \
	"$(grep -nE '^[[:space:]]*(\.|source)[[:space:]].*(plan\.env|bench\.txt|chan\.txt)' $scripts)" ""

# ---- KEY=VALUE files: parsed, never run --------------------------------
mkdir -p "$TMP/kv"
cat >"$TMP/kv/good" <<EOF
# a comment
FOO=\$(touch $TMP/kv/ran1)
BAR=1; touch $TMP/kv/ran2
EMPTY=
EOF
printf 'EARLY=1\n$(touch %s/kv/ran3)=x\n' "$TMP" >"$TMP/kv/badkey"
printf 'touch %s/kv/ran4\n' "$TMP" >"$TMP/kv/cmd"
printf 'PATH=%s/kv\n' "$TMP" >"$TMP/kv/path"
printf 'LD_PRELOAD=%s/kv/x.so\n' "$TMP" >"$TMP/kv/ld"
for sh in bash "busybox sh"; do
	if ! command -v ${sh%% *} >/dev/null; then
		skip "layout: kv under $sh: not installed"
		continue
	fi
	out=$(cd "$TMP/kv" && $sh -c '. "$1"; kv_export good && printf "%s|%s|%s|%s" "$FOO" "$BAR" "${EMPTY-unset}" "$(kv good BAR)"' sh "$ROOT/vm/lib.sh" 2>&1)
	check_eq "layout: kv_export ($sh) takes values literally" "$out" \
		"\$(touch $TMP/kv/ran1)|1; touch $TMP/kv/ran2||1; touch $TMP/kv/ran2"
	for f in badkey cmd path ld; do
		err=$(cd "$TMP/kv" && $sh -c '. "$1"; kv_export "$2"; echo "status=$? EARLY=${EARLY-unset} PATH=$PATH"' sh "$ROOT/vm/lib.sh" "$f" 2>&1)
		case $f in
		badkey) line=2 why='not KEY=VALUE' ;;
		cmd) line=1 why='not KEY=VALUE' ;;
		path) line=1 why='sets PATH' ;;
		ld) line=1 why='sets LD_PRELOAD' ;;
		esac
		if [ "$(echo "$err" | wc -l)" = 2 ] &&
		   echo "$err" | head -n 1 | grep -q "^$f:$line: refused: $why" &&
		   echo "$err" | tail -n 1 | grep -q "^status=1 EARLY=unset PATH=$PATH\$"; then
			pass "layout: kv_export ($sh) refuses $f with one line, exports nothing"
		else
			fail "layout: kv_export ($sh) on $f: $(echo "$err" | tr '\n' ' ' | head -c 300)"
		fi
	done
	check_eq "layout: kv ($sh): a missing key fails" \
		"$(cd "$TMP/kv" && $sh -c '. "$1"; kv good NONE; echo $?' sh "$ROOT/vm/lib.sh")" 1
done
check_eq "layout: no planted command ran" "$(ls "$TMP/kv" | grep '^ran' | tr '\n' ' ')" ""

# vm/init parses the guest's plan.env with the same kv_export.
check "layout: vm/init exports plan.env with kv_export" grep -q '^[[:space:]]*kv_export /out/plan.env' vm/init

# vm/run.sh on this host (HOST_SKIP_MODCHECK: the selftest plan needs no
# module): a hostile PLAN_ENV value reaches the plan as text, runs nothing.
# TARGET=host reads the kernel log before and after the plan.
if ! dmesg >/dev/null 2>&1; then
	skip "layout: run.sh TARGET=host: dmesg cannot be read here (not root?)"
	host_ok=0
else
	host_ok=1
fi
d=$TMP/run
[ $host_ok = 1 ] && {
st=0
HOST_SKIP_MODCHECK=1 TARGET=host PLAN_ENV="SELFTEST=\$(touch\${IFS}$TMP/ran5) X=\`touch\${IFS}$TMP/ran6\`" \
	"$ROOT/vm/run.sh" selftest "$d" >/dev/null 2>"$TMP/run.err" || st=$?
check_eq "layout: run.sh hostile PLAN_ENV: the plan saw it as text" \
	"$(head -n 1 "$d/plan.log" 2>/dev/null)" "selftest: \$(touch\${IFS}$TMP/ran5)"
check_eq "layout: run.sh hostile PLAN_ENV: exit 1 (the plan's status 2), nothing ran" \
	"$st $(cat "$d/status" 2>/dev/null) $(ls "$TMP" | grep -c '^ran')" "1 2 0"
}

# ---- plans: by name or by path in the three plan directories -----------
st=0
[ $host_ok = 1 ] && {
HOST_SKIP_MODCHECK=1 TARGET=host PLAN_ENV=SELFTEST=fail \
	"$ROOT/vm/run.sh" tests/plans/selftest.sh "$TMP/run2" >/dev/null 2>"$TMP/run2.err" || st=$?
check_eq "layout: run.sh takes a plan by path (tests/plans/selftest.sh, status 3)" \
	"$st $(cat "$TMP/run2/status" 2>/dev/null)" "1 3"
}
echo 'exit 0' >"$TMP/x.sh"
check_err "layout: run.sh refuses a plan outside the plan directories" 1 \
	"^vm/run.sh: plan '$TMP/x.sh' is not in vm/plans, tests/plans, bench/guest" "$ROOT/vm/run.sh" "$TMP/x.sh" "$TMP/run3"
check_err "layout: run.sh refuses a plan library as a plan" 1 "^vm/run.sh: 'lib' is a library for plans, not a plan$" \
	"$ROOT/vm/run.sh" lib "$TMP/run4"
check_err "layout: run.sh refuses a lower-case PLAN_ENV name" 1 "^vm/run.sh: PLAN_ENV name 'x' must be upper case" \
	env PLAN_ENV=x=1 "$ROOT/vm/run.sh" test "$TMP/run5"
dups=$(for d in vm/plans tests/plans bench/guest; do ls "$d"; done | sort | uniq -d)
check_eq "layout: plan names are unique across the plan directories" "$dups" ""

# ---- make bench: bench/*.sh by glob --------------------------------------
mkdir -p "$TMP/tree/bench" "$TMP/b"
cp "$ROOT/bench/run.sh" "$TMP/tree/bench/"
printf '#!/bin/sh\necho "| planted | 1x | found by glob |"\n' >"$TMP/tree/bench/planted.sh"
printf '#!/bin/sh\necho "| other | 2x | skipped |"\n' >"$TMP/tree/bench/other.sh"
chmod +x "$TMP/tree/bench/"*.sh
BENCH=planted BUILD=$TMP/b "$TMP/tree/bench/run.sh" >/dev/null 2>&1
check_eq "layout: bench/run.sh finds a new bench/*.sh (BENCH=planted picks it alone)" \
	"$(grep '^| [po]' "$TMP/b/bench.md" 2>/dev/null)" "| planted | 1x | found by glob |"
check_err "layout: bench/run.sh with no matching benchmark" 1 '^bench: no benchmark in bench/\*\.sh matching BENCH=nosuch$' \
	env BENCH=nosuch BUILD=$TMP/b "$TMP/tree/bench/run.sh"
check_eq "layout: no hard-coded benchmark list in bench/run.sh or bench/build.mk" \
	"$(grep -nE '(translate|analyze|walk|report)\.sh' "$ROOT/bench/run.sh" "$ROOT/bench/build.mk")" ""
