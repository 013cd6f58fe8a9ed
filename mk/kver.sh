#!/bin/sh
# mk/kver.sh - name the Debian kernel the VM target boots and builds against.
#
# Prints the release (e.g. 6.1.0-56-amd64) of the newest kernel image in
# /boot whose headers are installed, so no version is ever hard-coded.
# An optional argument (KERNEL=6.1 or 6.12) keeps only releases that start
# with it.  Fails with one line when there is none.
set -eu
want=${1:-}
best=""
for img in /boot/vmlinuz-*; do
	[ -e "$img" ] || continue
	rel=${img#/boot/vmlinuz-}
	case "$rel" in "$want".*|"$want"-*) ;; *) [ -z "$want" ] || continue ;; esac
	[ -d "/usr/src/linux-headers-$rel" ] || [ -d "/lib/modules/$rel/build" ] || continue
	best=$(printf '%s\n%s\n' "$best" "$rel" | sed '/^$/d' | sort -V | tail -n 1)
done
if [ -z "$best" ]; then
	echo "kver: no kernel image with headers in /boot${want:+ for KERNEL=$want}; run make setup" >&2
	exit 1
fi
echo "$best"
