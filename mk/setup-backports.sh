#!/bin/sh
# mk/setup-backports.sh - install the second VM target kernel, Debian's 6.12.
#
# Called by mk/setup.sh only when a 6.12 target is asked for (KERNEL=6.12,
# make matrix, make test-matrix).  Adds the bookworm-backports suite as
# /etc/apt/sources.list.d/ptwalk-backports.sources (same mirror and
# Signed-By keyring as debian.sources), asks apt which release the
# backports linux-image-amd64 depends on today, and installs that release's
# versioned image and headers packages, never the metapackages, so Debian
# 12's own 6.1 stays the installed default.  Quick and offline when a 6.12
# image with headers is already installed.  Nothing is hard-coded but the
# series (SERIES, default 6.12).
set -eu
SERIES=${SERIES:-6.12}
here=$(cd "$(dirname "$0")" && pwd)
list=/etc/apt/sources.list.d/ptwalk-backports.sources
src=/etc/apt/sources.list.d/debian.sources

if rel=$("$here/kver.sh" "$SERIES" 2>/dev/null); then
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "setup: KERNEL=$SERIES needs Debian's bookworm-backports kernel; this is not a Debian system" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "setup: KERNEL=$SERIES needs Debian's $SERIES kernel from bookworm-backports; run as root: mk/setup-backports.sh" >&2
	exit 1
fi

# The mirror and keyring the system already trusts for Debian itself.
uri=http://deb.debian.org/debian
key=/usr/share/keyrings/debian-archive-keyring.gpg
if [ -f "$src" ]; then
	u=$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ { print $2; exit }' "$src")
	k=$(awk '/^Signed-By:/ { print $2; exit }' "$src")
	[ -n "$u" ] && uri=$u
	[ -n "$k" ] && key=$k
fi
if [ ! -f "$list" ]; then
	echo "setup: adding bookworm-backports ($uri) as $list" >&2
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' \
		"$uri" "$key" >"$list.tmp"
	mv "$list.tmp" "$list"
fi

export DEBIAN_FRONTEND=noninteractive
log=${SETUP_LOG:-/tmp/ptwalk-setup-backports.log}
if ! apt-get update -q >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	echo "setup: apt-get update failed (full log in $log)" >&2
	exit 1
fi
# The backports metapackage names the release of the day, e.g.
# "Depends: linux-image-6.12.95+deb12-amd64".
pkg=$(apt-cache -t bookworm-backports depends linux-image-amd64 2>/dev/null |
	sed -n "s/^ *Depends: \(linux-image-$(echo "$SERIES" | sed 's/\./\\./g')[.-][^ ]*\)\$/\1/p" | head -n 1)
if [ -z "$pkg" ]; then
	echo "setup: bookworm-backports offers no linux-image-amd64 depending on a $SERIES kernel" >&2
	exit 1
fi
rel=${pkg#linux-image-}
echo "setup: installing Debian's $rel (linux-image-$rel linux-headers-$rel) from bookworm-backports" >&2
if ! apt-get install -y -q --no-install-recommends "linux-image-$rel" "linux-headers-$rel" >>"$log" 2>&1; then
	tail -n 20 "$log" >&2
	echo "setup: installing $rel failed (full log in $log)" >&2
	exit 1
fi
"$here/kver.sh" "$SERIES" >/dev/null
echo "setup: done ($rel; the default target stays $("$here/kver.sh"))" >&2
