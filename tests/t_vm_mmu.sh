#!/bin/bash
# tests/t_vm_mmu.sh - the module's walk against the MMU, QEMU's monitor judging.
#
# For each paging mode in T_VM_PAGING (default "4 5") it boots a 4 GiB
# guest (so the direct map has 1 GiB leaves) with one 1 GiB huge page
# reserved and a QMP socket (VM_QMP), running tests/plans/mmu.sh.  While the
# guest holds each allocation, tests/helpers/mmu_referee.py (Debian's
# python3) asks the monitor (gva2gpa, xp) and checks the module's pa_walk,
# level and pgd..pte columns against it: every page of kmalloc, vmalloc,
# kvmalloc and alloc_pages, and samples from every region of the kernel
# half.  The guest's own check of 1 GiB hugetlb pages against pagemap
# (tests/guest/huge1g.sh) is relayed from results.txt.  DIR is
# build/vm/mmu-pN, kept for reading after a failure.
. "$(dirname "$0")/lib.sh"

need_vm "vm mmu"
PY=/usr/bin/python3
if [ ! -x "$PY" ]; then
	skip "vm mmu: no $PY (Debian's python3 drives QEMU's monitor)"
	exit 0
fi

# arm64 (KERNEL=arm64, make test ARCH=arm64): one boot, its own referee.
referee=$ROOT/tests/helpers/mmu_referee.py modes="4 5"
if [ "${KERNEL:-}" = arm64 ]; then
	referee=$ROOT/tests/helpers/mmu_referee_arm64.py modes=4
fi
for p in ${T_VM_PAGING:-$modes}; do
	dir=$ROOT/build/vm/mmu-p$p
	rm -rf "$dir"
	mkdir -p "$dir"
	sock=$TMP/qmp-p$p.sock
	st=0
	PAGING=$p VM_MEM=4G VM_QMP=$sock VM_APPEND="hugepagesz=1G hugepages=1" \
		VM_TIMEOUT=${VM_TEST_TIMEOUT:-900} TARGET=vm \
		"$ROOT/vm/run.sh" mmu "$dir" >"$TMP/run.out" 2>"$TMP/run.err" &
	vm=$!
	"$PY" "$referee" "$sock" "$dir" "p$p " | tee "$TMP/ref.out"
	wait "$vm" || st=$?
	grep -E '^(accel|boot|total):' "$TMP/run.out" | sed "s/^/p$p mmu /"
	check_eq "p$p mmu one 1 GiB page reserved at boot" \
		"$(cat "$dir/mmu/huge1g_nr.txt" 2>/dev/null || echo none)" 1
	if [ -f "$dir/results.txt" ]; then
		sed -E "s/^(PASS|FAIL|SKIP) /\1 p$p /" "$dir/results.txt"
	else
		fail "p$p mmu huge1g: no results.txt in $dir"
	fi
	if grep -q '^PASS ' "$TMP/ref.out"; then :; else
		fail "p$p mmu referee: no check passed (see $dir/console.log)"
	fi
	if [ "$st" = 0 ]; then
		pass "p$p mmu vm/run.sh"
	else
		fail "p$p mmu vm/run.sh: exit $st: $(grep -v '^  ' "$TMP/run.err" | head -n 3 | tr '\n' ' ')"
	fi
done
