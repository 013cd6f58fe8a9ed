#!/bin/sh
# mk/setup-arm64.sh - install what the arm64 VM target (ARCH=arm64) needs.
#
# Called by mk/setup.sh only when ARCH=arm64 is asked for.  Enables the
# arm64 architecture in dpkg, installs the host tools (qemu-system-arm, the
# aarch64 cross compiler and libc) with apt-get, and fetches Debian's arm64
# kernel image, its headers, busybox-static:arm64 and libcsv-dev:arm64 (the
# guest's static analyzer links its libcsv.a) with apt-get download,
# extracted with dpkg-deb -x into the cache directory ARM64_ROOT (default
# /var/cache/ptwalk/arm64; mk/arm64-root.sh names it), never installed: the
# arm64 headers package would pull in gcc-12:arm64, which conflicts with
# the host's gcc-12.  The headers' scripts link is pointed at the host's
# linux-kbuild of the same series (Multi-Arch: foreign).  Quick and offline
# when everything is there.  apt/dpkg locks held by another apt-get are
# waited for (up to 20 minutes), never broken.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$("$here/arm64-root.sh")
HOST_PKGS="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu"

have_host() {
	for p in $HOST_PKGS; do
		case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) in
		*" installed") ;;
		*) return 1 ;;
		esac
	done
}
have_cache() {
	ARM64_ROOT=$root "$here/kver.sh" arm64 >/dev/null 2>&1 &&
		[ -x "$root/bin/busybox" ]
}
have_csv() {
	[ -f "$root/usr/lib/aarch64-linux-gnu/libcsv.a" ] && [ -f "$root/usr/include/csv.h" ]
}
have_host && have_cache && have_csv && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "setup: ARCH=arm64 needs Debian's arm64 packages; this is not a Debian system" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "setup: ARCH=arm64 needs Debian's arm64 kernel and cross tools; run as root: mk/setup-arm64.sh" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=${SETUP_LOG:-/tmp/ptwalk-setup-arm64.log}
: >"$log"
t0=$(date +%s)
# apt with the lock of another apt-get waited for, not broken.
apt() {
	apt-get -q -o DPkg::Lock::Timeout=1200 "$@" >>"$log" 2>&1 && return 0
	tail -n 20 "$log" >&2
	echo "setup: apt-get $* failed (full log in $log)" >&2
	exit 1
}

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	echo "setup: enabling the arm64 architecture in dpkg" >&2
	dpkg --add-architecture arm64
	apt update
elif ! apt-cache show busybox-static:arm64 >/dev/null 2>&1; then
	apt update
fi
if ! have_host; then
	echo "setup: installing $HOST_PKGS" >&2
	apt install -y --no-install-recommends $HOST_PKGS
fi

if ! have_cache; then
	# The metapackage names the release of the day, e.g.
	# "Depends: linux-image-6.1.0-42-arm64".
	img=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -n 1)
	[ -n "$img" ] || { echo "setup: apt offers no linux-image-arm64:arm64 (is arm64 enabled?)" >&2; exit 1; }
	rel=${img#linux-image-}
	# Its arch-independent half, e.g. linux-headers-6.1.0-42-common.
	common=linux-headers-${rel%-arm64}-common
	apt-cache show "$common" >/dev/null 2>&1 ||
		{ echo "setup: apt offers no $common for linux-headers-$rel:arm64" >&2; exit 1; }
	series=$(echo "$rel" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')
	kbuild=/usr/lib/linux-kbuild-$series
	if [ ! -d "$kbuild/scripts" ]; then
		echo "setup: installing linux-kbuild-$series for the arm64 headers" >&2
		apt install -y --no-install-recommends "linux-kbuild-$series"
	fi
	echo "setup: fetching Debian's arm64 $rel (image, headers, busybox) into $root" >&2
	dl=$(mktemp -d "${TMPDIR:-/tmp}/ptwalk-arm64.XXXXXX")
	trap 'rm -rf "$dl"' EXIT
	chmod 755 "$dl"	# apt-get download runs as _apt
	(cd "$dl" && apt-get -q download "linux-image-$rel:arm64" "linux-headers-$rel:arm64" \
		"$common" busybox-static:arm64 libcsv-dev:arm64) >>"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; echo "setup: apt-get download failed (full log in $log)" >&2; exit 1; }
	new=$root.new.$$
	rm -rf "$new"
	mkdir -p "$new"
	for d in "$dl"/*.deb; do
		dpkg-deb -x "$d" "$new"
	done
	# The headers' scripts (and tools) links are relative links into
	# linux-kbuild, which lives on the host, not in the cache.
	for l in "$new"/usr/src/linux-headers-*/scripts "$new"/usr/src/linux-headers-*/tools; do
		[ -L "$l" ] && ln -sfn "$kbuild/${l##*/}" "$l"
	done
	# Its Makefile includes the common half by absolute path: the cache's.
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$new/usr/src/linux-headers-$rel/Makefile"
	ln -sfn "$root/usr/src/linux-headers-$rel" "$new/lib/modules/$rel/build"
	# dpkg would have run depmod; the initramfs resolves modules.dep.
	PATH=$PATH:/sbin:/usr/sbin depmod -b "$new" -F "$new/boot/System.map-$rel" "$rel" >>"$log" 2>&1 ||
		{ tail -n 5 "$log" >&2; echo "setup: depmod for the arm64 $rel failed" >&2; exit 1; }
	[ -x "$new/bin/busybox" ] ||
		{ echo "setup: busybox-static:arm64 has no /bin/busybox" >&2; exit 1; }
	rm -rf "$root"
	mkdir -p "$(dirname "$root")"
	mv "$new" "$root"
	have_cache || { echo "setup: $root is incomplete after extraction" >&2; exit 1; }
fi
if ! have_csv; then	# a cache made before the guest had the analyzer
	echo "setup: fetching libcsv-dev:arm64 into $root" >&2
	dl=$(mktemp -d "${TMPDIR:-/tmp}/ptwalk-arm64.XXXXXX")
	trap 'rm -rf "$dl"' EXIT
	chmod 755 "$dl"
	(cd "$dl" && apt-get -q download libcsv-dev:arm64) >>"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; echo "setup: apt-get download libcsv-dev:arm64 failed (full log in $log)" >&2; exit 1; }
	dpkg-deb -x "$dl"/libcsv-dev_*.deb "$root"
	have_csv || { echo "setup: libcsv-dev:arm64 has no libcsv.a or csv.h" >&2; exit 1; }
fi
echo "setup: arm64 ready in $(( $(date +%s) - t0 )) s ($(du -sh "$root" | cut -f1) in $root)" >&2
