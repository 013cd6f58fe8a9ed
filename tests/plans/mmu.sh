#!/bin/sh
# tests/plans/mmu.sh - the guest half of the MMU-referee test (tests/t_vm_mmu.sh).
#
# The host asks QEMU's monitor what the MMU maps while this plan holds the
# memory in question, so the plan answers requests and waits between them.
# It loads ptwalk.ko, runs the in-guest check of 1 GiB hugetlb pages
# (tests/guest/huge1g.sh, whose lines go to $OUT/results.txt), and writes
# $OUT/mmu/syms.txt (the kallsyms lines the host needs to find the kernel's
# regions) and meminfo.txt.  Then, for N = 1, 2, ..., it waits for the host's
# $OUT/mmu/req.N: one /proc/pagetable command a line (`kmalloc 1M`,
# `walk 0x...`), or `explain PID VA` (pfn_ioctl --explain), or `quit`.  Each command's answer goes to ans.N.csv as a
# line "# CMD: ok|ERRNO" and, when ok, the result's rows without the header;
# the file appears (renamed) when complete.  An allocation stays alive until
# the next allocation command, so it is held while the host asks about it.
# A request that does not come within MMU_WAIT seconds (300, counted in
# 0.05 s sleeps, so somewhat more) ends the plan
# with status 1, so a host that died does not leave the guest waiting.
. "${PLAN_LIB:-/plans/lib.sh}"

export BIN=${BIN:-/usr/bin} TBIN=${TBIN:-/usr/bin}
TESTS_DIR=${TESTS_DIR:-/tests/guest}
dir=$OUT/mmu
mkdir -p "$dir"
write_meta "$OUT/meta.txt"
load_ptwalk || exit 1

step "huge1g"
: >"$OUT/results.txt"
if [ -f "$TESTS_DIR/huge1g.sh" ]; then
	sh "$TESTS_DIR/huge1g.sh" </dev/null >/tmp/huge1g.out 2>&1
	cat /tmp/huge1g.out
	grep -E '^(PASS|FAIL|SKIP) ' /tmp/huge1g.out >>"$OUT/results.txt"
else
	echo "FAIL mmu huge1g: no $TESTS_DIR/huge1g.sh" >>"$OUT/results.txt"
fi

grep -E ' (page_offset_base|vmalloc_base|vmemmap_base|_stext|_text|_etext|_end)$' \
	/proc/kallsyms >"$dir/syms.txt"
grep '\[ptwalk\]' /proc/kallsyms | head -n 20 >>"$dir/syms.txt"
cp /proc/meminfo "$dir/meminfo.txt"
cp /proc/iomem "$dir/iomem.txt"
cat /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages >"$dir/huge1g_nr.txt" 2>/dev/null
: >"$dir/guest-ready"

step "serving the host's requests"
n=1
while :; do
	# 9p with cache=none: a file the host made is seen at once.
	i=0
	while [ ! -f "$dir/req.$n" ]; do
		i=$((i + 1))
		if [ "$i" -gt $((${MMU_WAIT:-300} * 20)) ]; then
			echo "mmu plan: no req.$n from the host in ${MMU_WAIT:-300} s" >&2
			exit 1
		fi
		sleep 0.05
	done
	[ "$(head -n 1 "$dir/req.$n")" = quit ] && break
	: >"$dir/ans.$n.tmp"
	while read -r cmd; do
		[ -n "$cmd" ] || continue
		# `explain PID VA`: pfn_ioctl --explain's lines, status ok or failed.
		case $cmd in
		explain\ *)
			# shellcheck disable=SC2086 # PID and VA, two words
			if "$BIN/pfn_ioctl" --explain ${cmd#explain } >/tmp/explain.out 2>&1; then
				echo "# $cmd: ok"
			else
				echo "# $cmd: failed"
			fi >>"$dir/ans.$n.tmp"
			cat /tmp/explain.out >>"$dir/ans.$n.tmp"
			continue ;;
		esac
		got=$("$TBIN/ioctl_stress" cmd "$cmd" 2>&1)
		echo "# $cmd: $got" >>"$dir/ans.$n.tmp"
		[ "$got" = ok ] && tail -n +2 /proc/pagetable >>"$dir/ans.$n.tmp"
	done <"$dir/req.$n"
	mv "$dir/ans.$n.tmp" "$dir/ans.$n.csv"
	n=$((n + 1))
done
step "the host is done after $((n - 1)) requests"
unload_ptwalk
