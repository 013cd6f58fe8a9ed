#!/bin/bash
# vm/run.sh - run one plan in the guest or on this host.
#
#   vm/run.sh PLAN OUTDIR
#
# PLAN is a plan's name, found in vm/plans/ (experiments), tests/plans/
# (the test harness) or bench/guest/ (guest benchmarks), or the path of a
# plan in one of them (the initramfs packs those three, flat, in /plans).
# With TARGET=vm (the default) it boots Debian's kernel in QEMU with the
# project's initramfs, shares OUTDIR with the guest over virtio-9p (the guest
# sees it as /out), and waits for the guest to power off.  OUTDIR/plan.env
# carries PLAN_ENV ("K=V ...") and the run's standard values to the plan
# as KEY=VALUE lines, which vm/init (and here, TARGET=host) parse with
# vm/lib.sh's kv_export, never source: the guest can write OUTDIR.
# Afterwards OUTDIR holds the plan's files, console.log, dmesg.txt, status
# and vm.txt (how the run went); the run fails when status is missing or
# non-zero or either log shows a kernel BUG, WARNING, Oops, general
# protection fault or Call Trace.  TARGET=host runs the same plan natively
# where modules can be loaded.  No root is needed for TARGET=vm.
#
# KERNEL=arm64 (or ARCH=arm64) boots Debian's arm64 kernel from the cache of
# mk/setup-arm64.sh in qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on
# under TCG, with the same initramfs design and 9p channel; its levels and
# VA bits are the kernel's configuration, so PAGING is 4 there.
#
# Environment: PAGING=4|5, KERNEL=6.1|6.12|arm64 (release prefix), TARGET=vm|host,
# PLAN_ENV, SLUB_DEBUG=1, VM_MEM (2G), VM_SMP (2), VM_TIMEOUT (seconds, 1200),
# PLAN_TIMEOUT (guest watchdog, VM_TIMEOUT-60), VM_ACCEL=auto|tcg|kvm,
# VM_BOOT=bzimage|pvh (pvh: faster boot, PAGING=4 only, no KASLR),
# VM_INITRAMFS (use this archive instead of making it), QEMU_EXTRA,
# VM_APPEND (more kernel arguments, e.g. "hugepagesz=1G hugepages=1"),
# VM_QMP=PATH (a QMP socket there, for a test that asks QEMU's monitor
# about the guest while it runs: tests/t_vm_mmu.sh; off by default),
# HOST_SKIP_MODCHECK=1 (TARGET=host where modules cannot load: plans that
# need the module will fail, the rest run).
set -euo pipefail

prog=vm/run.sh
die() { echo "$prog: $*" >&2; exit 1; }
[ $# = 2 ] || { echo "usage: vm/run.sh PLAN OUTDIR (env PAGING=4|5 TARGET=vm|host PLAN_ENV=\"K=V ...\")" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/vm/lib.sh"
# The plan: a name looked up in PLAN_DIRS, or a path into one of them.
plan=${1##*/}
plan=${plan%.sh}
planfile=
case $1 in
*/*|*.sh)
	[ -f "$1" ] || die "no plan file '$1'"
	for d in $PLAN_DIRS; do
		[ "$(cd "$(dirname "$1")" && pwd)" = "$root/$d" ] && planfile=$root/$d/$plan.sh
	done
	[ -n "$planfile" ] || die "plan '$1' is not in $(echo "$PLAN_DIRS" | sed 's/ /, /g') (the guest has only those)" ;;
*)
	for d in $PLAN_DIRS; do
		[ -f "$root/$d/$plan.sh" ] && planfile=$root/$d/$plan.sh
	done
	[ -n "$planfile" ] || die "no plan '$plan' (looked for $plan.sh in $(echo "$PLAN_DIRS" | sed 's/ /, /g'))" ;;
esac
case $plan in lib|frag) die "'$plan' is a library for plans, not a plan" ;; esac

PAGING=${PAGING:-4}
TARGET=${TARGET:-vm}
KERNEL=${KERNEL:-}
case ${ARCH:-} in
''|x86_64|x86|amd64) ;;
arm64|aarch64) [ -z "$KERNEL" ] || [ "$KERNEL" = arm64 ] ||
	die "ARCH=arm64 boots Debian's arm64 kernel; KERNEL=$KERNEL is an x86-64 kernel"
	KERNEL=arm64 ;;
*) die "ARCH must be x86_64 or arm64, not '$ARCH'" ;;
esac
arm64=0
[ "$KERNEL" = arm64 ] && arm64=1
SLUB_DEBUG=${SLUB_DEBUG:-0}
VM_MEM=${VM_MEM:-2G}
VM_SMP=${VM_SMP:-2}
VM_TIMEOUT=${VM_TIMEOUT:-1200}
VM_ACCEL=${VM_ACCEL:-auto}
PLAN_TIMEOUT=${PLAN_TIMEOUT:-$((VM_TIMEOUT > 120 ? VM_TIMEOUT - 60 : VM_TIMEOUT / 2))}
case $PAGING in 4|5) ;; *) die "PAGING must be 4 or 5, not '$PAGING'" ;; esac
case $TARGET in vm|host) ;; *) die "TARGET must be vm or host, not '$TARGET'" ;; esac
if [ $arm64 = 1 ]; then
	[ "$PAGING" = 4 ] || die "PAGING=$PAGING is an x86-64 choice; arm64 walks the levels its kernel is built with (PAGING=4)"
	[ "$TARGET" = vm ] || die "TARGET=host cannot run here: this host is $(uname -m) and the guest arm64; use TARGET=vm"
	[ "${VM_BOOT:-bzimage}" = bzimage ] || die "VM_BOOT=${VM_BOOT} is x86-64 only"
fi
case ${VM_BOOT:-bzimage} in
bzimage) ;;
pvh) [ "$PAGING" = 4 ] || die "VM_BOOT=pvh boots 4-level paging only; use VM_BOOT=bzimage for PAGING=5" ;;
*) die "VM_BOOT must be bzimage or pvh, not '$VM_BOOT'" ;;
esac

# PLAN_ENV: NAME=VALUE entries split at spaces, checked here, before any
# build or boot; a value cannot hold a space (lists take commas).
for kv in ${PLAN_ENV:-}; do
	case $kv in
	[A-Z_]*=*) ;;
	[a-z]*=*) die "PLAN_ENV name '${kv%%=*}' must be upper case (A-Z, 0-9, _)" ;;
	*) die "PLAN_ENV entry '$kv' is not NAME=VALUE (entries are split at spaces: write a list with commas, SIZES=4K,64K,1M)" ;;
	esac
	k=${kv%%=*}
	case $k in *[!A-Za-z0-9_]*) die "PLAN_ENV name '$k' is not a shell variable name" ;; esac
	case $k in *[a-z]*) die "PLAN_ENV name '$k' must be upper case (A-Z, 0-9, _)" ;; esac
	# plan.env's reader would refuse it only after the boot; and a name
	# written here already would have its last line win over the run's.
	printf '%s\n' "$k" | grep -Eqx "$KV_REFUSED" &&
		die "PLAN_ENV name '$k' is refused: the shell or the loader acts on it"
	case $k in
	PLAN|PAGING|KERNEL|TARGET|SLUB_DEBUG|VM_MEM|VM_SMP|PLAN_TIMEOUT|VM_BOOT)
		die "PLAN_ENV name '$k' is one vm/run.sh writes to plan.env itself: set $k in its environment" ;;
	ACCEL|QEMU_VERSION|CC_VERSION|PTWALK_REV|KCONFIG_*|OUT|PTWALK_KO)
		die "PLAN_ENV name '$k' is one vm/run.sh sets itself, from the run" ;;
	esac
done
case $2 in *,*) die "OUTDIR '$2' contains a comma, which QEMU's -virtfs cannot take" ;; esac
mkdir -p "$2" || die "cannot create $2"
out=$(cd "$2" && pwd)
rm -f "$out"/{status,dmesg.txt,console.log,started,finished,plan.log,vm.txt,plan.env,cpuinfo.txt}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# plan.env: what the plan may read besides OUT and PTWALK_KO, one KEY=VALUE
# a line, the value verbatim (read by kv_export, so no quoting).
write_env() {	# KVER ACCEL
	{
		echo "# written by vm/run.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		printf "PLAN=%s\nPAGING=%s\nKERNEL=%s\nTARGET=%s\nACCEL=%s\n" \
			"$plan" "$PAGING" "$1" "$TARGET" "$2"
		printf "SLUB_DEBUG=%s\nVM_MEM=%s\nVM_SMP=%s\nPLAN_TIMEOUT=%s\nVM_BOOT=%s\n" \
			"$SLUB_DEBUG" "$VM_MEM" "$VM_SMP" "$PLAN_TIMEOUT" "${VM_BOOT:-bzimage}"
		printf "QEMU_VERSION=%s\n" "$(${qemu:-qemu-system-x86_64} --version 2>/dev/null | head -n 1 | sed 's/.*version //')"
		printf "CC_VERSION=%s\n" "$(${CC:-gcc} --version 2>/dev/null | head -n 1)"
		printf "PTWALK_REV=%s\n" "$(git -C "$root" describe --always --dirty 2>/dev/null)"
		# What the guest's kernel was built with, where the guest cannot
		# see it (no /proc/config.gz): arm64 fixes its levels there.
		[ -n "${kconfig:-}" ] && [ -f "$kconfig" ] &&
			sed -n "s/^CONFIG_\(PGTABLE_LEVELS\|ARM64_VA_BITS\|ARM64_PA_BITS\)=\([0-9]*\)\$/KCONFIG_\1=\2/p" "$kconfig"
		for kv in ${PLAN_ENV:-}; do
			printf '%s\n' "$kv"
		done
	} >"$out/plan.env.tmp"
	mv "$out/plan.env.tmp" "$out/plan.env"
}

# Kernel log lines that mean the run cannot be trusted.
BADPAT='BUG|WARNING|Oops|general protection|Call Trace'
scan_logs() {
	local bad=0 f
	for f in "$@"; do
		[ -f "$f" ] || continue
		if grep -nEw "$BADPAT" "$f" >"$out/.bad" 2>/dev/null; then
			echo "$prog: ${f##*/} shows kernel trouble:" >&2
			head -n 20 "$out/.bad" | sed "s|^|  ${f##*/}:|" >&2
			bad=1
		fi
	done
	rm -f "$out/.bad"
	return $bad
}

check_status() {
	[ -f "$out/status" ] || { echo "$prog: the plan wrote no status (see $out/console.log)" >&2; return 1; }
	local st; st=$(cat "$out/status")
	[ "$st" = 0 ] || { echo "$prog: plan $plan exited with status $st${1:+ (see $1)}" >&2; return 1; }
}

# --- TARGET=host --------------------------------------------------------
if [ "$TARGET" = host ]; then
	rel=$(uname -r)
	why=""
	if [ "$(id -u)" != 0 ]; then
		why="not root"
	elif [ ! -e /proc/modules ]; then
		why="the running kernel $rel has no module support (no /proc/modules)"
	elif [ "$(cat /proc/sys/kernel/modules_disabled 2>/dev/null || echo 0)" != 0 ]; then
		why="module loading is disabled (kernel.modules_disabled=1)"
	elif [ ! -d "/lib/modules/$rel/build" ]; then
		why="no headers for the running kernel $rel (/lib/modules/$rel/build)"
	elif [ $(( 0x$(awk '/^CapEff/ { print $2 }' /proc/self/status) >> 16 & 1 )) = 0 ]; then
		why="no CAP_SYS_MODULE (a container?)"
	fi
	if [ -n "$why" ] && [ "${HOST_SKIP_MODCHECK:-0}" = 1 ]; then
		echo "$prog: warning: $why; running anyway (HOST_SKIP_MODCHECK=1)" >&2
	elif [ -n "$why" ]; then
		echo "$prog: TARGET=host cannot run here: $why; use TARGET=vm" >&2
		exit 1
	fi
	[ -f "$root/kmod/ptwalk.ko" ] || [ "${HOST_SKIP_MODCHECK:-0}" = 1 ] ||
		die "no kmod/ptwalk.ko: build it (make -C kmod)"
	write_env "$rel" none
	t0=$(now)
	n0=$(dmesg | wc -l)
	set +e
	(
		cd "$out"
		kv_export "$out/plan.env" || exit 2
		export OUT=$out PTWALK_KO=$root/kmod/ptwalk.ko PATH=$root/build/bin:$root/build/tests/bin:$PATH
		export TESTS_DIR=$root/tests/guest BIN=$root/build/bin TBIN=$root/build/tests/bin
		export PLAN_LIB=$root/vm/plans/lib.sh PTWALK_ERRNAMES=$root/collect/errnames.h
		date +%s.%N >"$out/started"
		exec timeout -k 5 "$PLAN_TIMEOUT" sh "$planfile"
	) 2>&1 | tee "$out/plan.log"
	st=${PIPESTATUS[0]}
	set -e
	dmesg | tail -n +$((n0 + 1)) >"$out/dmesg.txt"
	echo "$st" >"$out/status"
	t1=$(now)
	printf 'TARGET=host\nKERNEL=%s\nACCEL=none\nTOTAL_S=%s\n' "$rel" "$(secs "$t0" "$t1")" >"$out/vm.txt"
	echo "total: $(secs "$t0" "$t1") s"
	fail=0
	check_status "$out/plan.log" || fail=1
	scan_logs "$out/dmesg.txt" || fail=1
	exit $fail
fi

# --- TARGET=vm ----------------------------------------------------------
qemu=qemu-system-x86_64 sysroot="" kconfig=""
if [ $arm64 = 1 ]; then
	qemu=qemu-system-aarch64
	sysroot=$("$root/mk/arm64-root.sh")
fi
command -v $qemu >/dev/null || die "no $qemu: run make setup${KERNEL:+ KERNEL=$KERNEL}"
kver=$("$root/mk/kver.sh" $KERNEL) || exit 1
kernel=$sysroot/boot/vmlinuz-$kver
kconfig=$sysroot/boot/config-$kver
[ -r "$kernel" ] || die "cannot read $kernel"

if [ -n "${VM_INITRAMFS:-}" ]; then
	initrd=$VM_INITRAMFS
else
	initrd=$root/build/vm/initramfs-$kver.cpio.gz
	make -C "$root" --no-print-directory -s vm-initramfs KERNEL="$KERNEL" >&2 ||
		die "cannot make the initramfs"
fi
[ -f "$initrd" ] || die "no initramfs $initrd"

# VM_BOOT=pvh boots the decompressed vmlinux through its PVH entry, which
# skips the bzImage decompressor (about 3 s under TCG).  That decompressor is
# what turns on 5-level paging and KASLR, so pvh is a quick-iteration mode
# for PAGING=4 only, and its runs differ from Debian's boot in layout.
extract_vmlinux() {	# BZIMAGE OUT
	local ss po pl off tmp=$2.tmp.$$ unz
	ss=$(od -An -tu1 -j $((0x1f1)) -N1 "$1" | tr -d ' ')
	po=$(od -An -tu4 -j $((0x248)) -N4 "$1" | tr -d ' ')
	pl=$(od -An -tu4 -j $((0x24c)) -N4 "$1" | tr -d ' ')
	[ "${ss:-0}" = 0 ] && ss=4
	off=$(( (ss + 1) * 512 + po ))
	case $(tail -c +$((off + 1)) "$1" | od -An -tx1 -N4 | tr -d ' ') in
	fd377a58) unz="xz -dc" ;;
	28b52ffd) unz="zstd -qdc" ;;
	1f8b08*) unz="gzip -dc" ;;
	*) die "$1: unknown kernel compression; use VM_BOOT=bzimage" ;;
	esac
	# The payload ends in the decompressed size, which xz calls garbage:
	# judge by the result, not the exit status.
	tail -c +$((off + 1)) "$1" | head -c "$pl" | $unz >"$tmp" 2>/dev/null || true
	[ "$(head -c 4 "$tmp" | od -An -c | tr -d ' ')" = '177ELF' ] ||
		{ rm -f "$tmp"; die "cannot extract vmlinux from $1; use VM_BOOT=bzimage"; }
	mv "$tmp" "$2"
}

# KVM only when a tiny boot proves it works: on some hosts /dev/kvm exists
# but a guest never runs.  The answer is kept per host boot.
probe_kvm() {
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	local cache=$root/build/vm/kvm-probe boot log ok=1
	boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)
	if [ -f "$cache" ] && [ "$(head -n 1 "$cache")" = "$boot" ]; then
		[ "$(sed -n 2p "$cache")" = kvm ]
		return
	fi
	log=$(mktemp)
	timeout -k 1 "${KVM_PROBE_TIMEOUT:-6}" qemu-system-x86_64 -accel kvm -M q35 -m 128M \
		-nodefaults -display none -no-reboot -serial "file:$log" -kernel "$kernel" \
		-append "console=ttyS0 panic=-1 rdinit=/none" >/dev/null 2>&1 || true
	grep -q 'Kernel panic' "$log" && ok=0
	rm -f "$log"
	mkdir -p "$(dirname "$cache")"
	printf '%s\n%s\n' "$boot" "$([ $ok = 0 ] && echo kvm || echo tcg)" >"$cache"
	return $ok
}
case $VM_ACCEL in
auto) if [ $arm64 = 0 ] && probe_kvm; then accel=kvm; else accel=tcg; fi ;;
kvm) [ $arm64 = 0 ] || die "VM_ACCEL=kvm cannot run an arm64 guest on $(uname -m)"; accel=kvm ;;
kvm|tcg) accel=$VM_ACCEL ;;
*) die "VM_ACCEL must be auto, tcg or kvm" ;;
esac
# la57 is on in -cpu max; PAGING=4 takes it away so the kernel keeps 4 levels.
cpu=max
[ "$PAGING" = 4 ] && cpu=max,-la57
[ "$accel" = kvm ] && cpu=host && { [ "$PAGING" = 4 ] && cpu=host,-la57; }
# arm64: every feature TCG has; pointer authentication with QEMU's own
# cipher rather than QARMA, which is much slower to emulate.
machine=q35 console=ttyS0
[ $arm64 = 1 ] && cpu=max,pauth-impdef=on machine=virt console=ttyAMA0

if [ "${VM_BOOT:-bzimage}" = pvh ]; then
	vmlinux=$root/build/vm/vmlinux-$kver
	if [ ! -f "$vmlinux" ] || [ "$kernel" -nt "$vmlinux" ]; then
		mkdir -p "$root/build/vm"
		extract_vmlinux "$kernel" "$vmlinux"
	fi
	kernel=$vmlinux
fi

# no_timer_check: under TCG on a busy host the IO-APIC timer check can
# time out and panic the boot ("IO-APIC + timer doesn't work"), seen here.
append="console=$console plan=$plan panic=-1 log_buf_len=64M printk.devkmsg=on"
[ $arm64 = 1 ] || append="$append no_timer_check"
[ "$SLUB_DEBUG" = 1 ] && append="$append slub_debug=FZPU"
[ -n "${VM_APPEND:-}" ] && append="$append $VM_APPEND"
qmp=()
if [ -n "${VM_QMP:-}" ]; then
	case $VM_QMP in *,*) die "VM_QMP '$VM_QMP' contains a comma, which QEMU's -qmp cannot take" ;; esac
	rm -f "$VM_QMP"
	qmp=(-qmp "unix:$VM_QMP,server=on,wait=off")
fi
write_env "$kver" "$accel"

t0=$(now)
st=0
timeout -k 5 "$VM_TIMEOUT" $qemu \
	-accel "$accel" -M $machine -cpu "$cpu" -smp "$VM_SMP" -m "$VM_MEM" \
	-nodefaults -display none -monitor none -no-reboot \
	-serial "file:$out/console.log" \
	-kernel "$kernel" -initrd "$initrd" -append "$append" \
	-virtfs "local,path=$out,mount_tag=out,security_model=none" \
	"${qmp[@]}" ${QEMU_EXTRA:-} </dev/null || st=$?
t1=$(now)

boot=NA
if [ -f "$out/started" ]; then
	boot=$(secs "$t0" "$(stat -c %.9Y "$out/started")")
fi
total=$(secs "$t0" "$t1")
la57=no
grep -qw la57 "$out/cpuinfo.txt" 2>/dev/null && la57=yes
[ $arm64 = 1 ] && la57=NA
{
	printf 'TARGET=vm\nKERNEL=%s\nMACHINE=%s\nACCEL=%s\nCPU=%s\nPAGING=%s\nLA57=%s\nVM_MEM=%s\nVM_SMP=%s\nVM_BOOT=%s\n' \
		"$kver" "$([ $arm64 = 1 ] && echo aarch64 || echo x86_64)" "$accel" "$cpu" "$PAGING" "$la57" "$VM_MEM" "$VM_SMP" "${VM_BOOT:-bzimage}"
	printf 'BOOT_S=%s\nTOTAL_S=%s\nGUEST_UPTIME_AT_PLAN_S=%s\nAPPEND=%s\n' \
		"$boot" "$total" "$(cat "$out/started" 2>/dev/null || echo NA)" "$append"
} >"$out/vm.txt"
echo "accel: $accel  cpu: $cpu  kernel: $kver (${VM_BOOT:-bzimage})"
echo "boot: $boot s"
echo "total: $total s"

fail=0
if [ "$st" = 124 ] || [ "$st" = 137 ]; then
	echo "$prog: the guest did not power off within VM_TIMEOUT=$VM_TIMEOUT s" >&2
	fail=1
elif [ "$st" != 0 ]; then
	echo "$prog: $qemu exited with status $st" >&2
	fail=1
fi
check_status "$out/console.log" || fail=1
if [ -f "$out/status" ] && [ ! -f "$out/cpuinfo.txt" ]; then
	echo "$prog: the guest left no cpuinfo.txt" >&2
	fail=1
elif [ $arm64 = 1 ] && [ -f "$out/cpuinfo.txt" ] && ! grep -q '^CPU architecture: *8' "$out/cpuinfo.txt"; then
	echo "$prog: KERNEL=arm64 asked for, but the guest's cpuinfo shows no ARMv8 CPU" >&2
	fail=1
elif [ $arm64 = 0 ] && [ -f "$out/cpuinfo.txt" ] && [ "$la57" != "$([ "$PAGING" = 5 ] && echo yes || echo no)" ]; then
	echo "$prog: PAGING=$PAGING asked for, but la57 in the guest is '$la57'" >&2
	fail=1
fi
scan_logs "$out/dmesg.txt" "$out/console.log" || fail=1
exit $fail
