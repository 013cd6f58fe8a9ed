#!/bin/sh
# vm/mkinitramfs.sh - build the guest's initramfs (gzip'd newc cpio).
#
# The guest has no disk: everything it runs comes from this archive.  It
# holds busybox-static and its applet links, the statically linked programs
# from build/bin and the test-only ones from build/tests/bin (both in
# /usr/bin; -B '' leaves the latter out), the module under test
# (/lib/modules/KVER/extra/ptwalk.ko, also /lib/ptwalk/ptwalk.ko),
# the kernel modules of the virtio-9p data channel with their dependencies
# (resolved from modules.dep, decompressed, listed in load order in
# /etc/channel-modules), the plans (/plans: every *.sh of vm/plans,
# tests/plans and bench/guest, flat; a name in two of them is an error),
# vm/lib.sh and collect/errnames.h (/lib/ptwalk/, read by vm/init and the
# plans), and the in-guest tests
# (/tests/guest, with /tests/lib.sh, readme_lib.sh and README.md, and
# links /tests/t_*.sh).  The archive is
# written by an ordinary user: owners are forced to root in cpio.
#
#   vm/mkinitramfs.sh -k KVER -o OUT.cpio.gz [-b BINDIR] [-B TESTBINDIR] [-m PTWALK_KO]
#                     [-p PLANDIR]... [-t GUESTTESTDIR] [-i INIT] [-r ROOT]
#
# -r ROOT takes the kernel's modules (ROOT/lib/modules/KVER) and busybox
# (ROOT/bin/busybox) from a tree other than /, such as the arm64 cache of
# mk/setup-arm64.sh; the applet list then comes from the host's busybox,
# the same Debian build for another architecture.
set -eu

prog=mkinitramfs
die() { echo "$prog: $*" >&2; exit 1; }
usage() {
	echo "usage: vm/mkinitramfs.sh -k KVER -o OUT [-b BINDIR] [-B TESTBINDIR] [-m KO] [-p PLANDIR]... [-t TESTDIR] [-i INIT] [-r ROOT]" >&2
	exit 2
}

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/vm/lib.sh"
kver="" out="" bindir=$root/build/bin testbindir=$root/build/tests/bin ko=$root/kmod/ptwalk.ko
plandirs="" testdir=$root/tests/guest init=$root/vm/init sysroot=""
while getopts k:o:b:B:m:p:t:i:r:h opt; do
	case $opt in
	k) kver=$OPTARG ;;
	o) out=$OPTARG ;;
	b) bindir=$OPTARG ;;
	B) testbindir=$OPTARG ;;
	m) ko=$OPTARG ;;
	p) plandirs="$plandirs $OPTARG" ;;
	t) testdir=$OPTARG ;;
	i) init=$OPTARG ;;
	r) sysroot=${OPTARG%/} ;;
	*) usage ;;
	esac
done
[ -n "$kver" ] && [ -n "$out" ] || usage

[ -z "$sysroot" ] || [ -d "$sysroot" ] || die "no directory $sysroot (-r)"
moddir=$sysroot/lib/modules/$kver
busybox=${BUSYBOX:-$sysroot/bin/busybox}
lister=$busybox
[ -n "$sysroot" ] && lister=/bin/busybox
[ -x "$lister" ] || die "no $lister to list the applets: install busybox-static"
[ -f "$moddir/modules.dep" ] || die "no $moddir/modules.dep: is the kernel $kver installed?"
[ -x "$busybox" ] || die "no $busybox: install busybox-static"
[ -f "$ko" ] || die "no $ko: build the module first (make -C kmod)"
[ -f "$init" ] || die "no guest init $init"
[ -n "$plandirs" ] || for d in $PLAN_DIRS; do plandirs="$plandirs $root/$d"; done
for d in $plandirs; do
	[ -d "$d" ] || die "no plan directory $d"
done

# A module built for another kernel would fail to load only inside the
# guest; say so here, where the fix is.
if command -v modinfo >/dev/null 2>&1 || [ -x /sbin/modinfo ]; then
	vm=$(PATH=$PATH:/sbin modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)
	[ -z "$vm" ] || [ "$vm" = "$kver" ] ||
		die "$ko is built for $vm, not $kver: rebuild it (make -C kmod KDIR=$moddir/build)"
fi

is_static_elf() {
	[ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ] || return 1
	! readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'
}

stage=$(mktemp -d "${TMPDIR:-/tmp}/ptwalk-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/sbin" "$stage/usr/bin" "$stage/usr/sbin" \
	"$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" "$stage/out" \
	"$stage/etc" "$stage/lib/ptwalk" "$stage/plans" "$stage/tests/guest" \
	"$stage/root" "$stage/run"

cp "$busybox" "$stage/bin/busybox"
"$lister" --list-full | while read -r app; do
	[ "$app" = bin/busybox ] && continue
	ln -sf /bin/busybox "$stage/$app"
done

# Programs: only static ELF files run here (the guest has no libc).
nprog=0
: >"$stage/etc/ptwalk-programs"
for dir in "$bindir" "$testbindir"; do
	[ -n "$dir" ] && [ -d "$dir" ] || continue
	for p in "$dir"/*; do
		[ -f "$p" ] && [ -x "$p" ] || continue
		if is_static_elf "$p"; then
			rm -f "$stage/usr/bin/${p##*/}"
			cp "$p" "$stage/usr/bin/"
			echo "${p##*/}" >>"$stage/etc/ptwalk-programs"
			nprog=$((nprog + 1))
		else
			echo "$prog: skipping ${p##*/}: not a static ELF program" >&2
		fi
	done
done

# The module lives where modprobe and modinfo look for it; the
# modules.dep written below names it and the channel modules.
mkdir -p "$stage/lib/modules/$kver/extra"
cp "$ko" "$stage/lib/modules/$kver/extra/ptwalk.ko"
ln -s "../modules/$kver/extra/ptwalk.ko" "$stage/lib/ptwalk/ptwalk.ko"

# The data channel's modules, each after its dependencies (depth first over
# modules.dep), stored uncompressed because busybox insmod cannot inflate.
CHANNEL=${CHANNEL_MODULES:-"virtio_pci 9pnet_virtio 9p"}
: >"$stage/etc/channel-modules"
seen=" "
modpath() {	# NAME -> path relative to $moddir from modules.dep, or ""
	awk -F: -v n="$1" '{
		b = $1; sub(/.*\//, "", b); sub(/\.ko(\.(xz|zst|gz))?$/, "", b)
		gsub(/-/, "_", b)
		if (b == n) { print $1; exit }
	}' "$moddir/modules.dep"
}
add_module() {
	name=$(echo "$1" | tr - _)
	case "$seen" in *" $name "*) return 0 ;; esac
	seen="$seen$name "
	rel=$(modpath "$name")
	if [ -z "$rel" ]; then
		grep -q "/$name\.ko\$" "$moddir/modules.builtin" 2>/dev/null ||
			grep -q "/$(echo "$name" | tr _ -)\.ko\$" "$moddir/modules.builtin" 2>/dev/null ||
			die "module $name is neither in $moddir/modules.dep nor built in"
		return 0
	fi
	deps=$(awk -F: -v p="$rel" '$1 == p { print $2; exit }' "$moddir/modules.dep")
	for d in $deps; do
		d=${d##*/}
		d=${d%.xz}; d=${d%.zst}; d=${d%.gz}; d=${d%.ko}
		add_module "$d"
	done
	# sh has no local variables: the recursion above reset rel and deps.
	rel=$(modpath "$(echo "$1" | tr - _)")
	deps=$(awk -F: -v p="$rel" '$1 == p { print $2; exit }' "$moddir/modules.dep")
	src=$moddir/$rel
	dst=$stage/lib/modules/$kver/${rel%.xz}
	dst=${dst%.zst}; dst=${dst%.gz}
	mkdir -p "$(dirname "$dst")"
	case "$rel" in
	*.ko.xz) xz -dc "$src" >"$dst" ;;
	*.ko.zst) zstd -qdc "$src" >"$dst" ;;
	*.ko.gz) gzip -dc "$src" >"$dst" ;;
	*) cp "$src" "$dst" ;;
	esac
	echo "${dst#"$stage"}" >>"$stage/etc/channel-modules"
	printf '%s:' "${dst#"$stage/lib/modules/$kver/"}" >>"$stage/modules.dep"
	for d in $deps; do
		d=${d%.xz}; d=${d%.zst}; d=${d%.gz}
		printf ' %s' "$d" >>"$stage/modules.dep"
	done
	echo >>"$stage/modules.dep"
}
for m in $CHANNEL; do
	add_module "$m"
done
echo "extra/ptwalk.ko:" >>"$stage/modules.dep"
mv "$stage/modules.dep" "$stage/lib/modules/$kver/modules.dep"

cp "$init" "$stage/init"
chmod 755 "$stage/init"
for d in $plandirs; do
	for f in "$d"/*.sh; do
		[ -e "$f" ] || continue
		[ -e "$stage/plans/${f##*/}" ] && die "two plans named ${f##*/}: $f and another in$plandirs"
		cp "$f" "$stage/plans/"
	done
done
cp "$root/vm/lib.sh" "$stage/lib/ptwalk/lib.sh"
cp "$root/collect/errnames.h" "$stage/lib/ptwalk/errnames.h"
if [ -d "$testdir" ]; then
	cp -R "$testdir/." "$stage/tests/guest/"
	for f in "$stage"/tests/guest/*; do
		[ -e "$f" ] && ln -s "guest/${f##*/}" "$stage/tests/${f##*/}"
	done
fi
[ -f "$root/tests/lib.sh" ] && cp "$root/tests/lib.sh" "$stage/tests/lib.sh"
# README's guest sessions are a test (tests/guest/t_readme_guest.sh).
for f in tests/readme_lib.sh README.md; do
	[ -f "$root/$f" ] && cp "$root/$f" "$stage/tests/${f##*/}"
done
chmod 755 "$stage"/plans/*.sh 2>/dev/null || true
chmod 755 "$stage"/tests/guest/*.sh 2>/dev/null || true
echo "$kver" >"$stage/etc/ptwalk-kernel"

mkdir -p "$(dirname "$out")"
tmp=$out.tmp.$$
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) | gzip -6 >"$tmp" || { rm -f "$tmp"; die "cpio failed"; }
mv "$tmp" "$out"
echo "$prog: $out: $nprog programs, $(wc -l <"$stage/etc/channel-modules") channel modules, $(du -k "$out" | cut -f1) KiB"
