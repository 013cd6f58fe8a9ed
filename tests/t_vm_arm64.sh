#!/bin/bash
# tests/t_vm_arm64.sh - the guest suite on Debian's arm64 kernel.
#
# What `make test ARCH=arm64` runs (plain `make test` leaves it out, see
# tests/build.mk): tests/t_vm.sh with KERNEL=arm64, one boot (arm64 has no
# paging-mode choice), without t_vm.sh's run.sh self-checks, which boot the
# x86-64 PVH way.  Then the arm64 facts of that boot: vm/run.sh and the
# guest's meta.txt say aarch64, the page size, levels and VA bits are what
# the kernel's configuration in the cache says, and the module reported the
# same number of levels when it loaded; the descriptors it recorded,
# decoded (below).
. "$(dirname "$0")/lib.sh"

export KERNEL=arm64
need_vm "arm64 vm"
if ! command -v qemu-system-aarch64 >/dev/null; then
	skip "arm64 vm: qemu-system-aarch64 is not installed (make setup ARCH=arm64)"
	exit 0
fi

# TCG emulating arm64 is slower than x86-64 on x86-64: the suite took 263 s
# in a quiet guest and 1313 s with the host's two cores shared (load 10),
# where t_vm.sh's 900 s (VM_TEST_TIMEOUT) killed it, and t_soak alone took
# 367 s, over the plan's 300 s a test (TEST_TIMEOUT).
VM_TEST_TIMEOUT=${VM_TEST_TIMEOUT:-2400} PLAN_ENV="TEST_TIMEOUT=900${PLAN_ENV:+ $PLAN_ENV}" \
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

# The descriptors the guest recorded (tests/guest/t_arm64.sh), decoded by
# collect/ptentry_arm64.c twice: by pfn_ioctl --explain in the guest, and by
# the analyzer's worked walk (analyze --machine aarch64, walks.csv) of the
# kmalloc rows.  Their leaf must say what Linux's arm64 mappings mean, and
# tests/helpers/walks_ref.py, a decoder written apart from the C one,
# decodes every level of both again.
decode() {	# NAME FILE WANT_ERE...: the leaf line of FILE matches each
	local name=$1 f=$2 leaf w
	shift 2
	if [ ! -s "$f" ]; then
		fail "arm64 decode $name: no $f"
		return
	fi
	sed "s/^/arm64 $name: /" "$f"
	leaf=$(grep -E '(^|,)(pgd|pud|pmd|pte)[:,].*(page|block) AttrIndx' "$f" | tail -n 1)
	for w in "$@"; do
		if ! echo "$leaf" | grep -Eq -- "$w"; then
			fail "arm64 decode $name: leaf '$leaf' does not match /$w/"
			return
		fi
	done
	pass "arm64 decode $name: $(echo "$leaf" | grep -Eo '(page|block) AttrIndx.*UXN=[01]')"
}
walks=$TMP/walks
if "$BIN/analyze" -q --machine aarch64 -o "$walks" "$dir/arm64-kmalloc.csv" 2>"$TMP/an.err"; then
	grep -E '^kmalloc,' "$walks/walks.csv" >"$TMP/walk.kmalloc"
else
	fail "arm64 analyze --machine aarch64 of the kmalloc rows: $(head -c 300 "$TMP/an.err")"
fi
# Linear map: a kernel page, global, EL0 no access, never executable;
# normal memory, tagged (MT_NORMAL_TAGGED) when the CPU has MTE, as -cpu max has.
lm='AttrIndx=[01]\(NORMAL(_TAGGED)?\)'
decode "linear map (kmalloc, walks.csv)" "$TMP/walk.kmalloc" ',pte,.*,page ' "$lm" 'SH=3' 'AP=00' 'AF=1 nG=0 ' 'Cont=0 PXN=1 UXN=1'
decode "linear map (kmalloc, explain)" "$dir/arm64-explain-kmalloc.txt" '^pte: .* page ' "$lm" 'SH=3' 'AP=00' 'AF=1 nG=0 ' \
	'Cont=0 PXN=1 UXN=1.* -> 4 KiB frame'
# User data: not global (ASID-tagged), EL0 read-write, not executable.
decode "hugetlb 64K" "$dir/arm64-explain-64K.txt" '^pte: .* page ' 'AP=01' 'AF=1 nG=1 ' 'Cont=1 PXN=1 UXN=1.* -> 4 KiB frame'
decode "hugetlb 2M" "$dir/arm64-explain-2M.txt" '^pmd: .* block ' 'AP=01' 'AF=1 nG=1 ' 'Cont=0 PXN=1 UXN=1.* -> 2 MiB frame'
decode "hugetlb 32M" "$dir/arm64-explain-32M.txt" '^pmd: .* block ' 'AP=01' 'AF=1 nG=1 ' 'Cont=1 PXN=1 UXN=1.* -> 2 MiB frame'
# The table base registers: the kernel's address through TTBR1, user through TTBR0.
check "arm64 explain kmalloc: TTBR1_EL1's table" grep -q '^kernel VA 0xffff[0-9a-f]*, 4-level paging, TTBR1_EL1 ' "$dir/arm64-explain-kmalloc.txt"
check "arm64 explain hugetlb 2M: TTBR0_EL1's table" grep -q '^PID [0-9]* VA 0x0000[0-9a-f]*, 4-level paging, TTBR0_EL1 ' "$dir/arm64-explain-2M.txt"
check "arm64 walks.csv kmalloc: its pgd line says TTBR1" grep -q '^kmalloc,.*,pgd,.*,TTBR1 table ' "$TMP/walk.kmalloc"
# The decoded output address of the linear map's first page is its PA.
got=$(grep -E ',pte,' "$TMP/walk.kmalloc" 2>/dev/null | cut -d, -f17)
want=$(sed -n 2p "$dir/arm64-kmalloc.csv" | cut -d, -f7)
check_eq "arm64 decode linear map: output address = the row's PA" "$((got))" "$((want))"
if command -v python3 >/dev/null; then
	python3 "$ROOT/tests/helpers/walks_ref.py" --machine aarch64 "$walks/walks.csv" "$dir/arm64-kmalloc.csv" | sed 's/^\(PASS\|FAIL\) /\1 arm64 /'
	python3 "$ROOT/tests/helpers/walks_ref.py" --explain-arm64 "$dir"/arm64-explain-*.txt | sed 's/^\(PASS\|FAIL\) /\1 arm64 /'
else
	skip "arm64 decode references: no python3"
fi

# The arm64 target's bad input: one line each, before anything boots.
check_err "arm64 run.sh rejects PAGING=5" 1 '^vm/run.sh: PAGING=5 is an x86-64 choice; arm64 walks the levels its kernel is built with \(PAGING=4\)$' \
	env KERNEL=arm64 PAGING=5 "$ROOT/vm/run.sh" test "$TMP/p5"
check_err "arm64 run.sh rejects ARCH=mips" 1 "^vm/run.sh: ARCH must be x86_64 or arm64, not 'mips'\$" \
	env -u KERNEL ARCH=mips "$ROOT/vm/run.sh" test "$TMP/mips"
check_err "arm64 make rejects ARCH=sparc" 2 "ARCH must be x86_64 or arm64, not 'sparc'" \
	make -s -C "$ROOT" --no-print-directory test-run ARCH=sparc
