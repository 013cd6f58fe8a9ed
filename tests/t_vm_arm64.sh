#!/bin/bash
# tests/t_vm_arm64.sh - the guest suite on Debian's arm64 kernel.
#
# What `make test ARCH=arm64` runs (plain `make test` leaves it out, see
# tests/build.mk): tests/t_vm.sh with KERNEL=arm64, one boot (arm64 has no
# paging-mode choice), without t_vm.sh's run.sh self-checks, which boot the
# x86-64 PVH way.  Then the arm64 facts of that boot: vm/run.sh and the
# guest's meta.txt say aarch64, the page size, levels and VA bits are what
# the kernel's configuration in the cache says, and the module reported the
# same number of levels when it loaded.
. "$(dirname "$0")/lib.sh"

export KERNEL=arm64
need_vm "arm64 vm"
if ! command -v qemu-system-aarch64 >/dev/null; then
	skip "arm64 vm: qemu-system-aarch64 is not installed (make setup ARCH=arm64)"
	exit 0
fi

T_VM_PAGING=4 T_VM_SELFTEST=0 "$ROOT/tests/t_vm.sh" | sed -E 's/^(PASS|FAIL|SKIP) p4 /\1 arm64 /'
dir=$ROOT/build/vm/test-p4

cfg=$("$ROOT/mk/arm64-root.sh")/boot/config-$("$ROOT/mk/kver.sh" arm64)
kcfg() { sed -n "s/^CONFIG_$1=//p" "$cfg"; }
meta() { sed -n "s/^$1=//p" "$dir/meta.txt" 2>/dev/null; }
check_eq "arm64 vm.txt machine" "$(sed -n 's/^MACHINE=//p' "$dir/vm.txt" 2>/dev/null)" aarch64
check_eq "arm64 meta machine" "$(meta MACHINE)" aarch64
check_eq "arm64 meta page size" "$(meta PAGE_SIZE)" \
	"$([ "$(kcfg ARM64_4K_PAGES)" = y ] && echo 4096 || echo "not 4K in $cfg")"
check_eq "arm64 meta levels" "$(meta PAGING_LEVELS)" "$(kcfg PGTABLE_LEVELS)"
check_eq "arm64 meta VA bits" "$(meta VA_BITS)" "$(kcfg ARM64_VA_BITS)"
got=$(sed -n 's/.*ptwalk: loaded: .*, \([0-9]\)-level paging$/\1/p' "$dir/dmesg.txt" 2>/dev/null | sort -u)
check_eq "arm64 module levels at load" "$got" "$(kcfg PGTABLE_LEVELS)"

# The descriptors the guest's walks recorded (tests/guest/t_arm64.sh),
# decoded by reports/desc_arm64.awk: what Linux's arm64 mappings must say.
decode() {	# NAME CSV WANT_ERE...: the leaf line of the first row matches each
	local name=$1 csv=$dir/$2 out
	shift 2
	if [ ! -s "$csv" ]; then
		fail "arm64 decode $name: no $csv from the guest"
		return
	fi
	out=$(awk -f "$ROOT/reports/desc_arm64.awk" "$csv")
	echo "$out" | sed "s/^/arm64 $name: /"
	local leaf pa w
	leaf=$(echo "$out" | grep -E '^L[0-3] .* (page|block) ')
	for w in "$@"; do
		if ! echo "$leaf" | grep -Eq -- "$w"; then
			fail "arm64 decode $name: leaf '$leaf' does not match /$w/"
			return
		fi
	done
	pass "arm64 decode $name: $(echo "$leaf" | cut -d' ' -f1,4-)"
}
# Linear map: a kernel page, global, EL0 no access, never executable;
# normal memory, tagged (MT_NORMAL_TAGGED) when the CPU has MTE, as -cpu max has.
decode "linear map (kmalloc)" arm64-kmalloc.csv '^L3 pte .* page ' 'AttrIndx=[01]\(NORMAL(_TAGGED)?\)' \
	'SH=3' 'AP=00' 'AF=1 nG=0 ' 'Cont=0 PXN=1 UXN=1$'
# User data: not global (ASID-tagged), EL0 read-write, not executable.
decode "hugetlb 64K" arm64-hugetlb-64K.csv '^L3 pte .* page ' 'AP=01' 'AF=1 nG=1 ' 'Cont=1 PXN=1 UXN=1$'
decode "hugetlb 2M" arm64-hugetlb-2M.csv '^L2 pmd .* block ' 'AP=01' 'AF=1 nG=1 ' 'Cont=0 PXN=1 UXN=1$'
decode "hugetlb 32M" arm64-hugetlb-32M.csv '^L2 pmd .* block ' 'AP=01' 'AF=1 nG=1 ' 'Cont=1 PXN=1 UXN=1$'
# The decoded output address of the linear map's first page is its PA.
if [ -s "$dir/arm64-kmalloc.csv" ]; then
	got=$(awk -f "$ROOT/reports/desc_arm64.awk" "$dir/arm64-kmalloc.csv" | sed -n 's/^L3 .* pa=\(0x[0-9a-f]*\) .*/\1/p')
	want=$(sed -n 2p "$dir/arm64-kmalloc.csv" | cut -d, -f7)
	check_eq "arm64 decode linear map: output address = the row's PA" "$((got))" "$((want))"
fi

# The arm64 target's bad input: one line each, before anything boots.
check_err "arm64 run.sh rejects PAGING=5" 1 '^vm/run.sh: PAGING=5 is an x86-64 choice; arm64 walks the levels its kernel is built with \(PAGING=4\)$' \
	env KERNEL=arm64 PAGING=5 "$ROOT/vm/run.sh" test "$TMP/p5"
check_err "arm64 run.sh rejects ARCH=mips" 1 "^vm/run.sh: ARCH must be x86_64 or arm64, not 'mips'\$" \
	env -u KERNEL ARCH=mips "$ROOT/vm/run.sh" test "$TMP/mips"
check_err "arm64 make rejects ARCH=sparc" 2 "ARCH must be x86_64 or arm64, not 'sparc'" \
	make -s -C "$ROOT" --no-print-directory test-run ARCH=sparc
