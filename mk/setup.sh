#!/bin/sh
# mk/setup.sh - install what the build, the VM target and the report need.
#
# Run by `make setup`, which every top-level target depends on, so that
# `make report` and `make test` work as the first command on a fresh Debian
# machine.  On Debian as root it installs the missing packages with
# apt-get --no-install-recommends; anywhere else it prints the exact command
# to run and fails.  It is quiet and quick when nothing is missing.
set -eu

# One list, grouped by what needs it.
PKGS_BUILD="gcc gcc-12-multilib make libc6-dev libcsv-dev pkg-config"
PKGS_KERNEL="linux-image-amd64 linux-headers-amd64 kmod"
PKGS_VM="qemu-system-x86 busybox-static cpio"
PKGS_REPORT="gnuplot-nox texlive-latex-base texlive-latex-recommended texlive-fonts-recommended poppler-utils"
# python3: tests/t_vm_mmu.sh talks to QEMU's monitor (QMP) with it.
PKGS_CHECK="valgrind clang libclang-rt-14-dev util-linux procps python3"
PKGS="$PKGS_BUILD $PKGS_KERNEL $PKGS_VM $PKGS_REPORT $PKGS_CHECK"

# The arm64 guest (Debian's arm64 kernel, cross compiler, qemu-system-arm)
# only when it is asked for: ARCH=arm64 (KERNEL=arm64 here), or make
# matrix / test-matrix unless MATRIX_KERNELS leaves it out (mk/matrix.mk's
# default is "6.1 6.12 arm64").
arm64=0
[ "${KERNEL:-}" = arm64 ] && arm64=1
if [ "${PTWALK_MATRIX:-0}" = 1 ]; then
	case " ${MATRIX_KERNELS:-6.1 6.12 arm64} " in *" arm64 "*) arm64=1 ;; esac
fi
if [ $arm64 = 1 ]; then
	"$(dirname "$0")/setup-arm64.sh"
fi

# The second target kernel (Debian's 6.12 from bookworm-backports) only
# when a 6.12 target is asked for: KERNEL=6.12, make matrix, make test-matrix.
case "${KERNEL:-}" in 6.12*) PTWALK_MATRIX=1 ;; esac
if [ "${PTWALK_MATRIX:-0}" = 1 ]; then
	"$(dirname "$0")/setup-backports.sh"
fi

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
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
