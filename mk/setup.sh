#!/bin/sh
# mk/setup.sh - install, or only check, what the build, the guest and the report need.
#
#   mk/setup.sh                  install what is missing (make setup, and the
#                                targets that boot a guest: report, test,
#                                matrix, test-matrix)
#   mk/setup.sh --check GROUP... say what is missing, one line per missing
#                                thing, and fail; never installs (make all,
#                                build-all, bench, asan, ubsan, leakcheck,
#                                fuzz, install)
#
# GROUPs: build kernel vm report check install (the lists below).  The
# install mode makes `make report` and `make test` work as the first
# command on a fresh Debian machine: on Debian as root it installs the
# missing packages with apt-get --no-install-recommends; anywhere else it
# prints the exact command to run and fails.  Both are quiet and quick when
# nothing is missing.  KERNEL (6.12, arm64) and PTWALK_MATRIX=1 add the
# second x86-64 kernel and the arm64 guest (mk/setup-backports.sh,
# mk/setup-arm64.sh).
set -eu
here=$(dirname "$0")

# One list per group, named by what needs it.
PKGS_build="gcc gcc-12-multilib make libc6-dev libcsv-dev pkg-config"
PKGS_kernel="linux-image-amd64 linux-headers-amd64 kmod"
PKGS_vm="qemu-system-x86 busybox-static cpio"
PKGS_report="gnuplot-nox texlive-latex-base texlive-latex-recommended texlive-fonts-recommended poppler-utils"
# python3: tests/t_vm_mmu.sh talks to QEMU's monitor (QMP) with it.
PKGS_check="valgrind clang libclang-rt-14-dev util-linux procps python3"
# help2man: make install writes the man pages from each program's --help.
PKGS_install="help2man man-db"
GROUPS_ALL="build kernel vm report check install"

pkgs_of() {
	case $1 in
	build) echo "$PKGS_build" ;; kernel) echo "$PKGS_kernel" ;; vm) echo "$PKGS_vm" ;;
	report) echo "$PKGS_report" ;; check) echo "$PKGS_check" ;; install) echo "$PKGS_install" ;;
	*) return 1 ;;
	esac
}

installed() {
	case $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) in
	*" installed") return 0 ;;
	esac
	return 1
}

# The arm64 guest (Debian's arm64 kernel, cross compiler, qemu-system-arm)
# only when it is asked for: ARCH=arm64 (KERNEL=arm64 here), or make
# matrix / test-matrix unless MATRIX_KERNELS leaves it out (mk/matrix.mk's
# default is "6.1 6.12 arm64").  The second x86-64 kernel (Debian's 6.12
# from bookworm-backports) when KERNEL=6.12 or the matrix asks for it.
arm64=0 k612=0
[ "${KERNEL:-}" = arm64 ] && arm64=1
case "${KERNEL:-}" in 6.12*) k612=1 ;; esac
if [ "${PTWALK_MATRIX:-0}" = 1 ]; then
	case " ${MATRIX_KERNELS:-6.1 6.12 arm64} " in *" arm64 "*) arm64=1 ;; esac
	k612=1
fi

if [ "${1:-}" = --check ]; then
	shift
	[ $# -ge 1 ] || { echo "usage: mk/setup.sh --check GROUP... ($GROUPS_ALL)" >&2; exit 2; }
	bad=0
	for g in "$@"; do
		pkgs=$(pkgs_of "$g") || { echo "mk/setup.sh: unknown group '$g' ($GROUPS_ALL)" >&2; exit 2; }
		for p in $pkgs; do
			installed "$p" && continue
			echo "missing: Debian package $p ($g)" >&2
			bad=1
		done
		[ "$g" = kernel ] || continue
		if [ $arm64 = 1 ] && ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1; then
			echo "missing: the aarch64 cross compiler (ARCH=arm64: make setup ARCH=arm64)" >&2
			bad=1
		fi
		if [ $arm64 = 1 ] && [ ! -f "$("$here/arm64-root.sh")/usr/lib/aarch64-linux-gnu/libcsv.a" ]; then
			echo "missing: libcsv for arm64, the guest analyzer's (ARCH=arm64: make setup ARCH=arm64)" >&2
			bad=1
		fi
		# The kernel the module is built for, with its headers (KVER: the
		# Makefile found it already).
		[ -n "${KVER:-}" ] && continue
		if ! msg=$("$here/kver.sh" ${KERNEL:-} 2>&1 >/dev/null); then
			echo "missing: ${msg#kver: }" >&2
			bad=1
		fi
	done
	exit $bad
fi

[ $# -eq 0 ] || { echo "usage: mk/setup.sh [--check GROUP...]" >&2; exit 2; }
[ $arm64 = 1 ] && "$here/setup-arm64.sh"
[ $k612 = 1 ] && "$here/setup-backports.sh"

PKGS=$(for g in $GROUPS_ALL; do pkgs_of $g; done)
missing=""
for p in $PKGS; do
	installed "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "setup: missing packages:$missing; this is not a Debian system, install their equivalents by hand" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "setup: missing packages:$missing; run as root: apt-get update && $cmd" >&2
	exit 1
fi
echo "setup: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
log=${SETUP_LOG:-/tmp/ptwalk-setup.log}
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends $missing; } >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	echo "setup: apt-get failed (full log in $log); run: apt-get update && $cmd" >&2
	exit 1
fi
echo "setup: done" >&2
