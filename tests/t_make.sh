#!/bin/bash
# tests/t_make.sh - the top Makefile's setup rules and its one KVER.
#
# With a dpkg-query that says libcsv-dev and help2man are not installed and
# an apt-get that only records its calls, the targets that do not boot a
# guest (all, build-all, install, asan) stop before any rule with one line
# per missing package and never call apt-get, while the ones that do (make
# -n report, test) run mk/setup.sh, the installer, and make -n report
# makes no run directory.  mk/kver.sh runs once per make, not once per use
# of KVER.
. "$(dirname "$0")/lib.sh"

# The makefiles and scripts are what is tested: the sanitizer and
# valgrind repeats of the host tests (SAN or WRAP set) skip this.
if [ -n "${SAN:-}${WRAP:-}" ]; then
	skip "make setup checks: tests the build, not the programs; run by the plain make test"
	exit 0
fi

mkdir -p "$TMP/fake"
cat >"$TMP/fake/dpkg-query" <<EOS
#!/bin/sh
for a; do last=\$a; done
case \$last in libcsv-dev|help2man) echo "unknown ok not-installed"; exit 0 ;; esac
exec /usr/bin/dpkg-query "\$@"
EOS
printf '#!/bin/sh\necho "apt-get $*" >>%s/apt.calls\nexit 1\n' "$TMP" >"$TMP/fake/apt-get"
chmod +x "$TMP/fake/dpkg-query" "$TMP/fake/apt-get"
mk() { env -u MAKEFLAGS -u MAKELEVEL PATH="$TMP/fake:$PATH" make --no-print-directory -C "$ROOT" "$@"; }

if ! /usr/bin/dpkg-query -W -f='${Status}' make 2>/dev/null | grep -q ' installed'; then
	skip "make setup checks: not a Debian system (dpkg-query)"
	exit 0
fi
for goal in all build-all install asan; do
	st=0
	mk -n $goal >"$TMP/out" 2>"$TMP/err" || st=$?
	want="missing: Debian package libcsv-dev (build)"
	[ $goal = install ] && want="$want|missing: Debian package help2man (install)"
	got=$(grep '^missing:' "$TMP/err" | paste -sd'|')
	if [ "$st" = 0 ]; then
		fail "make $goal with libcsv-dev missing: exit 0"
	elif [ "$got" != "$want" ]; then
		fail "make $goal with libcsv-dev missing: said '$got', want '$want'"
	elif [ -s "$TMP/out" ]; then
		fail "make $goal with libcsv-dev missing: ran rules: $(head -c 200 "$TMP/out")"
	else
		pass "make $goal: one line per missing package, exit $st, no rule run"
	fi
done
check "make all/install never call apt-get" test ! -e "$TMP/apt.calls"
for goal in report test; do
	mk -n $goal REPORT_NAME=test-dry-$$ >"$TMP/out" 2>&1
	check "make -n $goal runs the installer mk/setup.sh" grep -q "^KERNEL='' PTWALK_MATRIX=0 mk/setup.sh$" "$TMP/out"
done
check "make -n report makes no run directory" test ! -e "$ROOT/reports/test-dry-$$"
rm -rf "${ROOT:?}/reports/test-dry-$$"

# Everything present: make all checks quietly and goes on, without the installer.
st=0
env -u MAKEFLAGS -u MAKELEVEL make --no-print-directory -C "$ROOT" -n all >"$TMP/out" 2>"$TMP/err" || st=$?
check_eq "make -n all with nothing missing: exit 0, quiet" "$st $(wc -c <"$TMP/err")" "0 0"
check "make -n all runs no installer" bash -c "! grep -q 'mk/setup.sh' '$TMP/out'"

# KVER once: a kver.sh that counts its runs, in a copy of the makefiles.
copy=$TMP/tree
mkdir -p "$copy"
git -C "$ROOT" ls-files -z --cached --others --exclude-standard | (cd "$ROOT" && tar --null -T - -cf -) | tar -C "$copy" -xf -
mv "$copy/mk/kver.sh" "$copy/mk/kver.real.sh"
printf '#!/bin/sh\necho run >>%s/kver.calls\nexec "$(dirname "$0")/kver.real.sh" "$@"\n' "$TMP" >"$copy/mk/kver.sh"
chmod +x "$copy/mk/kver.sh"
# shellcheck disable=SC2046 # a make above us exports the kernel release it found
env -u MAKEFLAGS -u MAKELEVEL $(env | sed -n 's/^\(PTWALK_KVER_[A-Za-z0-9_]*\)=.*/-u \1/p') \
	make --no-print-directory -C "$copy" -n build-all vm-initramfs >/dev/null 2>&1
check_eq "mk/kver.sh runs once per make" "$(wc -l <"$TMP/kver.calls" 2>/dev/null)" 1
