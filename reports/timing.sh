#!/bin/sh
# reports/timing.sh - the closing lines of `make report`.
#
#   reports/timing.sh RDIR N
#
# Prints where the time of this run went, from RDIR/.timing (one
# "LABEL<TAB>SECONDS" line per step that ran, reports/step.sh), with the
# guest's own split when data was collected (boot from data/vm.txt, each
# part of the plan from data/times.txt).  reports/runs.sh then says where
# the report is.
rdir=$1 n=$2
t=$rdir/.timing
echo "timing:" >&2
if [ "$(wc -l <"$t")" -le 1 ]; then
	echo "  everything up to date (nothing rerun)" >&2
fi
awk -F'\t' '{ printf "  %-58.58s %7.1f s\n", $1, $2; s += $2 } END { printf "  %-58s %7.1f s\n", "total", s }' "$t" >&2
if grep -q '^collect:' "$t"; then
	awk -F= '
		$1 == "BOOT_S" { printf "    %-56s %7.1f s\n", "guest boot (qemu start to plan start)", $2 }
		$1 == "FRESH_S" { printf "    %-56s %7.1f s\n", "plan: fresh phase probes (kernel, user block+THP)", $2 }
		$1 == "USER_S" { printf "    %-56s %7.1f s\n", "plan: user memory (memalloc sweeps)", $2 }
		$1 == "KERNEL_S" { printf "    %-56s %7.1f s\n", "plan: kernel memory (/proc/pagetable)", $2 }
		$1 == "TWOCTX_S" { printf "    %-56s %7.1f s\n", "plan: two-context walk", $2 }
		$1 == "PIDWALK_S" { printf "    %-56s %7.1f s\n", "plan: pid walk for the worked walks", $2 }
		$1 == "FRAGMENT_S" { printf "    %-56s %7.1f s\n", "plan: fragment (until it holds)", $2 }
		$1 == "FRAGMENTED_S" { printf "    %-56s %7.1f s\n", "plan: fragmented phase probes, release", $2 }
	' "$rdir/data/vm.txt" "$rdir/data/times.txt" >&2
	rows=$(cat "$rdir"/data/user-*.csv "$rdir"/data/kernel-*.csv 2>/dev/null | wc -l)
	mb=$(du -cm "$rdir"/data/*.csv 2>/dev/null | tail -n 1 | cut -f1)
	echo "    data: $rows CSV lines, $mb MiB" >&2
fi
