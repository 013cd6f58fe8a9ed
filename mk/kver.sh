#!/bin/sh
# mk/kver.sh - name the Debian kernel the VM target boots and builds against.
#
# Prints the release (e.g. 6.1.0-56-amd64) of the newest kernel image in
# /boot whose headers are installed, so no version is ever hard-coded.
# An optional argument (KERNEL=6.1 or 6.12) keeps only releases that start
# with it.  Without one, the default is Debian 12's own kernel: the series
# of the release the installed linux-image-amd64 metapackage depends on
# (a backports 6.12 installed beside it does not become the default), or
# any kernel when that metapackage is not installed.  Fails with one line
# when there is none.  KERNEL=arm64 names the arm64 release extracted in
# the cache of mk/setup-arm64.sh (mk/arm64-root.sh) instead.
set -eu
want=${1:-}
if [ "$want" = arm64 ]; then
	root=$("$(dirname "$0")/arm64-root.sh")
	best=$(for img in "$root"/boot/vmlinuz-*-arm64; do
		[ -e "$img" ] || continue
		rel=${img#"$root"/boot/vmlinuz-}
		[ -d "$root/usr/src/linux-headers-$rel" ] && [ -f "$root/lib/modules/$rel/modules.dep" ] && echo "$rel"
	done | sort -V | tail -n 1)
	[ -n "$best" ] || { echo "kver: no arm64 kernel with headers in $root; run make setup ARCH=arm64" >&2; exit 1; }
	echo "$best"
	exit 0
fi
if [ -z "$want" ]; then
	dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
		sed -n 's/^linux-image-\([0-9]*\.[0-9]*\)[.-].*/\1/p') || dep=""
	want=$dep
fi
best=""
for img in /boot/vmlinuz-*; do
	[ -e "$img" ] || continue
	rel=${img#/boot/vmlinuz-}
	case "$rel" in "$want".*|"$want"-*) ;; *) [ -z "$want" ] || continue ;; esac
	[ -d "/usr/src/linux-headers-$rel" ] || [ -d "/lib/modules/$rel/build" ] || continue
	best=$(printf '%s\n%s\n' "$best" "$rel" | sed '/^$/d' | sort -V | tail -n 1)
done
if [ -z "$best" ]; then
	echo "kver: no kernel image with headers in /boot${want:+ for KERNEL=$want}; run make setup${1:+ KERNEL=$1}" >&2
	exit 1
fi
echo "$best"
