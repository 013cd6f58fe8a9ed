# vm/plans/lib.sh - helpers for plan scripts (sourced, POSIX sh).
#
# A plan runs in the guest (busybox ash, OUT=/out) or natively with
# TARGET=host (OUT=OUTDIR), so these helpers use only busybox applets and
# /proc.  Plans in vm/plans/ source it as  . "$(dirname "$0")/lib.sh";
# those of tests/plans/ and bench/guest/ as  . "${PLAN_LIB:-/plans/lib.sh}"
# (vm/run.sh and vm/init set PLAN_LIB).
#
#   step MSG              progress line "== [12.3 s] MSG" on stderr
#   write_meta FILE       run metadata, KEY=VALUE, written atomically
#   paging_levels         4 or 5, from the la57 flag the kernel keeps
#                         (arm64: the kernel's CONFIG_PGTABLE_LEVELS)
#   va_bits               bits of a virtual address: 48/57, arm64 VA_BITS
#   load_ptwalk [ARGS]    insmod $PTWALK_KO unless already loaded
#   unload_ptwalk         rmmod ptwalk if loaded
#   reserve_hugepages N   set nr_hugepages to N, fail if fewer were given
#   uptime_s              seconds since boot, two decimals
#   errno_of MESSAGE      the errno name whose strerror text MESSAGE holds,
#                         from the one table collect/errnames.h
#                         ($PTWALK_ERRNAMES); EIO when none matches

: "${OUT:?OUT is not set: plans run under vm/run.sh}"

uptime_s() { cut -d' ' -f1 /proc/uptime; }
PLAN_T0=${PLAN_T0:-$(uptime_s)}

step() {
	echo "== [$(awk -v a="$PLAN_T0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }') s] $*" >&2
}

# The kernel clears the la57 CPU flag at boot unless it really runs with
# five page-table levels, so the flag is the running mode, not the CPU's.
# arm64 has no such flag: its levels and VA width are fixed when the
# kernel is built, and vm/run.sh hands them over from its config
# (KCONFIG_* in plan.env).
paging_levels() {
	if [ "$(uname -m)" = aarch64 ]; then
		echo "${KCONFIG_PGTABLE_LEVELS:-unknown}"
	elif grep -qw la57 /proc/cpuinfo; then echo 5; else echo 4; fi
}
va_bits() {
	if [ "$(uname -m)" = aarch64 ]; then
		echo "${KCONFIG_ARM64_VA_BITS:-unknown}"
	elif grep -qw la57 /proc/cpuinfo; then echo 57; else echo 48; fi
}

_meta_kv() {	# FILE KEY: the value of "KEY: value" lines such as meminfo
	awk -v k="$2" -F: '$1 == k { gsub(/^[ \t]+/, "", $2); print $2; exit }' "$1" 2>/dev/null
}

write_meta() {
	_f=$1
	_thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
	_thpd=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/defrag 2>/dev/null)
	_ps=$(awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps 2>/dev/null)
	_hp=$(_meta_kv /proc/meminfo Hugepagesize | awk '{ print $1 * 1024 }')
	_ko=""
	[ -n "${PTWALK_KO:-}" ] && [ -f "$PTWALK_KO" ] &&
		_ko=$(modinfo -F srcversion "$PTWALK_KO" 2>/dev/null | head -n 1)
	{
		echo "KERNEL_RELEASE=$(uname -r)"
		echo "KERNEL_VERSION=$(uname -v)"
		echo "MACHINE=$(uname -m)"
		echo "PAGING_LEVELS=$(paging_levels)"
		echo "PAGING_REQUESTED=${PAGING:-}"
		echo "VA_BITS=$(va_bits)"
		echo "PAGE_SIZE=${_ps:-4096}"
		echo "THP_ENABLED=$_thp"
		echo "THP_DEFRAG=$_thpd"
		echo "HUGEPAGE_SIZE=$_hp"
		echo "HUGEPAGES_TOTAL=$(_meta_kv /proc/meminfo HugePages_Total)"
		echo "MEMTOTAL_KB=$(_meta_kv /proc/meminfo MemTotal | awk '{ print $1 }')"
		# How the kernel maps its direct map: kB under 4 KiB, 2 MiB and
		# 1 GiB leaves (a guest under 4 GiB has no 1 GiB-aligned RAM
		# above the first GiB, so no 1 GiB leaf).
		echo "DIRECTMAP_4K_KB=$(_meta_kv /proc/meminfo DirectMap4k | awk '{ print $1 }')"
		echo "DIRECTMAP_2M_KB=$(_meta_kv /proc/meminfo DirectMap2M | awk '{ print $1 }')"
		echo "DIRECTMAP_1G_KB=$(_meta_kv /proc/meminfo DirectMap1G | awk '{ print $1 }')"
		echo "ZONES=$(awk '/zone/ { printf "%s%s", s, $4; s = " " } END { print "" }' /proc/buddyinfo)"
		echo "VM_MEM=${VM_MEM:-}"
		echo "CPUS=$(grep -c '^processor' /proc/cpuinfo)"
		echo "CPU_MODEL=$(_meta_kv /proc/cpuinfo 'model name	')"
		echo "KERNEL_CMDLINE=$(cat /proc/cmdline)"
		echo "TARGET=${TARGET:-}"
		echo "ACCELERATOR=${ACCEL:-}"
		echo "PLAN=${PLAN:-}"
		echo "SLUB_DEBUG=${SLUB_DEBUG:-0}"
		echo "DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "PTWALK_REV=${PTWALK_REV:-}"
		echo "PTWALK_KO_SRCVERSION=$_ko"
		echo "CC_VERSION=${CC_VERSION:-}"
		echo "QEMU_VERSION=${QEMU_VERSION:-}"
		echo "BUSYBOX_VERSION=$(busybox 2>&1 | head -n 1 | sed -n 's/^BusyBox \(v[^ ]*\).*/\1/p')"
	} >"$_f.tmp" && mv "$_f.tmp" "$_f"
}

ptwalk_loaded() { grep -q '^ptwalk ' /proc/modules 2>/dev/null; }

load_ptwalk() {
	ptwalk_loaded && return 0
	[ -f "${PTWALK_KO:-}" ] || { echo "plan: no module at '${PTWALK_KO:-}'" >&2; return 1; }
	insmod "$PTWALK_KO" "$@"
}

unload_ptwalk() {
	ptwalk_loaded || return 0
	rmmod ptwalk
}

reserve_hugepages() {
	echo "$1" >/proc/sys/vm/nr_hugepages || return 1
	_got=$(cat /proc/sys/vm/nr_hugepages)
	[ "$_got" -ge "$1" ] || {
		echo "plan: asked for $1 huge pages, the kernel gave $_got" >&2
		return 1
	}
}

# The table is read as data: one 'X(NAME, "text")' a line.
errno_of() {
	awk -v m="$1" '
	match($0, /X\(E[A-Z0-9]+, "[^"]*"\)/) {
		t = substr($0, RSTART + 2, RLENGTH - 3)
		n = t; sub(/,.*/, "", n)
		sub(/^[^"]*"/, "", t); sub(/"$/, "", t)
		if (index(m, t)) { print n; f = 1; exit }
	}
	END { if (!f) print "EIO" }' "${PTWALK_ERRNAMES:-/lib/ptwalk/errnames.h}"
}
