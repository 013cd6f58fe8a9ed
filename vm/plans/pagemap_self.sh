#!/bin/sh
# vm/plans/pagemap_self.sh - a helper of vm/plans/report.sh, not a plan:
# the shell that runs it reads its own /proc/self/pagemap entry for the
# top page of its stack (present: it holds the environment) and prints
# its maps line and the raw entry as pagemap.<name>.txt lines (analyze's
# userpm.c): "maps PID <line>" and "entry PID uid<N>-self VA RAW".  Run
# as root and as an unprivileged uid, it shows the PFN the kernel hides
# from a reader without CAP_SYS_ADMIN (fs/proc/task_mmu.c, show_pfn).
set -u
line=$(grep ' \[stack\]$' /proc/$$/maps) || { echo "pagemap_self: no [stack] in /proc/$$/maps" >&2; exit 1; }
end=${line%% *}; end=${end#*-}
va=$((0x$end - 4096))
raw=$(dd if=/proc/$$/pagemap bs=8 skip=$((va / 4096)) count=1 2>/dev/null | od -An -tx8 | tr -d ' \n')
[ ${#raw} = 16 ] || { echo "pagemap_self: no pagemap entry for 0x$va as uid $(id -u)" >&2; exit 1; }
echo "maps $$ $line"
printf 'entry %s uid%s-self 0x%x 0x%s\n' $$ "$(id -u)" "$va" "$raw"
