#!/bin/bash
# tests/t_install.sh - make install / uninstall into a scratch DESTDIR.
#
# Installs with prefix=/usr into DESTDIR, then checks the tree file by
# file: the six user programs and their man pages, and the module only
# when the running kernel has headers (otherwise install says so in one
# line and still succeeds).  Runs the installed programs (--help, and a
# real pagemap_reader translation checked against /proc/PID/pagemap read
# by tests/pmcheck.sh), renders each man page with man -l (NAME, every
# option, the usage and example lines whole), installs the
# module built for the guest's kernel through KDIR= (its vermagic must
# name that release), checks that install-kmod without headers fails with
# one line, and that make uninstall leaves only empty directories.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pmcheck.sh"

# The makefiles and scripts are what is tested: the sanitizer and
# valgrind repeats of the host tests (SAN or WRAP set) skip this.
if [ -n "${SAN:-}${WRAP:-}" ]; then
	skip "install: tests the build, not the programs; run by the plain make test"
	exit 0
fi

for tool in help2man man; do
	if ! command -v $tool >/dev/null; then
		skip "install: $tool is not installed (make setup)"
		exit 0
	fi
done
PROGS_USER="analyze fragment memalloc pagemap_reader pfn_ioctl prober"
mk() { env -u MAKEFLAGS -u MAKELEVEL make --no-print-directory -C "$ROOT" "$@"; }
D=$TMP/dest
rel=$(uname -r)
st=0
mk install DESTDIR="$D" prefix=/usr >"$TMP/out" 2>"$TMP/err" || st=$?
check_eq "make install DESTDIR prefix=/usr: exit" "$st" 0
want=$(for p in $PROGS_USER; do echo "usr/bin/$p"; echo "usr/share/man/man1/$p.1"; done)
if [ -d "/lib/modules/$rel/build" ]; then
	want=$(printf '%s\nlib/modules/%s/extra/ptwalk.ko\n' "$want" "$rel")
else
	check_eq "make install without headers for $rel: one line says the module is left out" \
		"$(grep -c "^install: ptwalk.ko not installed: no kernel headers for $rel at /lib/modules/$rel/build" "$TMP/err")" 1
fi
got=$(cd "$D" && find . -type f | sed 's|^\./||' | sort)
check_eq "make install: exactly the programs, man pages (and module)" "$got" "$(echo "$want" | sort)"
check_eq "make install: programs mode 755, man pages 644" \
	"$(cd "$D" && stat -c %a usr/bin/* | sort -u) $(cd "$D" && stat -c %a usr/share/man/man1/* | sort -u)" "755 644"

for p in $PROGS_USER; do
	st=0
	"$D/usr/bin/$p" --help >"$TMP/h" 2>&1 </dev/null || st=$?
	check "installed $p --help: exit 0, Usage" test "$st" = 0 -a "$(head -c 6 "$TMP/h")" = "Usage:"
	MANWIDTH=250 man -l "$D/usr/share/man/man1/$p.1" >"$TMP/man" 2>"$TMP/manerr" </dev/null || true
	check "man -l $p.1: NAME names $p, no warnings" bash -c \
		"grep -A1 '^NAME' '$TMP/man' | grep -Eq '^ *$p +- ' && ! grep -q . '$TMP/manerr'"
	check_eq "man -l $p.1: a SYNOPSIS naming $p" "$(grep -A1 '^SYNOPSIS' "$TMP/man" | awk 'NR == 2 { print $1 }')" "$p"
	lost=$(grep -o -- '--[a-z][a-z-]*' "$TMP/h" | sort -u | while read -r o; do grep -qF -- "$o" "$TMP/man" || echo "$o"; done)
	check_eq "man -l $p.1: every long option of --help" "$lost" ""
	# The synopsis and the examples line for line as --help has them.
	sed 's/^ *//; s/ *$//; s/  */ /g' "$TMP/man" >"$TMP/man.lines"
	lost=$( { sed -n '1s/^Usage: //p; 2,/^$/s/^  *//p' "$TMP/h"; sed '1,/^\(Examples\|EXAMPLES\):*$/d; s/^ *//' "$TMP/h"; } |
		grep . | tr -s ' ' | while read -r l; do grep -qxF -- "$l" "$TMP/man.lines" || echo "$l"; done)
	check_eq "man -l $p.1: usage and example lines kept whole" "$lost" ""
done

# A real translation by the installed pagemap_reader: the top page of a
# sleeping process's stack, against pagemap read independently.
if is_root; then
	sleep 60 & sp=$!
	sleep 0.2
	top=$(awk '/\[stack\]/ { split($1, a, "-"); print a[2] }' "/proc/$sp/maps")
	va=$(printf '0x%x' $((0x$top - 4096)))
	out=$("$D/usr/bin/pagemap_reader" "$sp" "$va" 2>&1)
	e=$(pm_dump "$sp" $((va / 4096)) 1)
	kill $sp; wait $sp 2>/dev/null
	check_eq "installed pagemap_reader: PFN of a stack page equals pagemap's" \
		"$(( $(echo "$out" | awk '/^Page Frame Number/ { print $NF }') ))" "$(( 0x$e & ((1 << 55) - 1) ))"
else
	skip "installed pagemap_reader: PFNs need root"
fi

# The module for another kernel: KDIR names it (here the guest's).
if kv=$("$ROOT/mk/kver.sh" 2>/dev/null) && [ -d "/lib/modules/$kv/build" ]; then
	st=0
	mk install DESTDIR="$TMP/k" KDIR="/lib/modules/$kv/build" >"$TMP/out" 2>&1 || st=$?
	ko=$TMP/k/lib/modules/$kv/extra/ptwalk.ko
	check_eq "make install KDIR=$kv: exit" "$st" 0
	check_eq "make install KDIR=$kv: ptwalk.ko's vermagic names $kv" \
		"$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)" "$kv"
	check_eq "make install KDIR=$kv: only the module under lib/" \
		"$(cd "$TMP/k" && find lib -type f)" "lib/modules/$kv/extra/ptwalk.ko"
else
	skip "make install KDIR=: no Debian kernel with headers (make setup)"
fi
st=0
mk -s install-kmod DESTDIR="$TMP/n" KDIR="$TMP/nowhere" >/dev/null 2>"$TMP/err" || st=$?
check_eq "make install-kmod with KDIR no kernel tree: fails, one line of its own, nothing installed" \
	"$st $(grep -c "^install: no kernel release at KDIR=$TMP/nowhere (" "$TMP/err") $(grep -vc '^make: \*\*\*' "$TMP/err") $(test -e "$TMP/n"; echo $?)" "2 1 1 1"

mk uninstall DESTDIR="$D" prefix=/usr >/dev/null 2>&1
check_eq "make uninstall: no file left" "$(find "$D" -type f | wc -l)" 0
