#!/bin/sh
# vm/plans/report.sh - the experiment behind `make report`.
#
# Two phases, "fresh" (after boot) then "fragmented" (while `fragment`
# holds most of the free memory in a pattern that leaves no free 2 MiB
# block).  Each phase starts and ends with a snapshot of /proc/buddyinfo,
# /proc/pagetypeinfo and debugfs extfrag/ (frag_snapshot, vm/plans/frag.sh)
# and runs the same probes: frag_kernel_probe (kmalloc at growing sizes up
# to the largest order or the first refusal, vmalloc 4K..FRAG_VMAX,
# alloc_pages at every order; a refusal is a row, never a stop) and one
# block and one THP experiment of FRAG_USER_SIZE.  The fresh phase also
# holds the main sweep.  Files in $OUT (reports/<target>/data on the host):
#   user-<mode>.csv       main sweep: memalloc --sweep FROM:TO -n SAMPLES
#                         --shuffle for each MODE (4K 1G thp hugetlb), one
#                         CSV each.  The modes run in an order, and each
#                         mode's sizes in an order, drawn from SEED (in
#                         meta.txt with the orders: MODE_ORDER,
#                         SIZE_ORDER_<name>); the samples of a size are
#                         held together, so each measures other frames;
#                         khugepaged is paused (its scan settings) and
#                         thp_collapse_alloc recorded before and after
#   maps.<mode>.csv       the sweep's memalloc --maps: the /proc/self/maps
#                         line of the VMA that held each experiment
#   kernel-<alloc>.csv    main sweep: /proc/pagetable rows: kmalloc from
#                         4 KiB doubling until the kernel refuses, vmalloc
#                         and kvmalloc from 4 KiB to KMAX, alloc_pages for
#                         every order until the kernel refuses; sample =
#                         repeat number
#   twoctx.csv            the lab report's two-context experiment: one
#                         kmalloc and one vmalloc address walked (`walk VA`)
#                         from two processes; sample = the walker's pid
#   kernel-pidwalk.csv    the module's `pid` walk of memalloc -b thp -m 4M
#                         --hold (sample = its pid): the report's worked
#                         walks of a user 4 KiB page and a THP page
#   pagemap.user.txt      that process's /proc/PID/maps and raw pagemap
#                         entries of some of its pages, and a shell's own
#                         stack page read as root and as uid 65534 (PFN
#                         hidden): user_pagemap below, analyze's userpm.c
#   failures.csv          allocator,size_bytes,sample,errno,message,
#                         refused_by,limit_name,limit_value: every request
#                         of the main sweep that was refused, and by whom:
#                         refused_by "ptwalk" (the module's own check
#                         before asking the kernel: limit_name
#                         KMALLOC_MAX_SIZE in bytes, MAX_ORDER-1 (the
#                         largest order), PTW_MAX_ROWS in pages, available
#                         pages less the module's reserve),
#                         "kernel" (the allocator returned NULL: ENOMEM,
#                         no limit), "memalloc" (its own size check) or
#                         "unknown"; from the module's one log line
#   user.<phase>.csv      per phase: memalloc -b 1G and -b thp of
#                         FRAG_USER_SIZE, sample 1 (a file of its own, so
#                         the analyzer never mixes the phases' groups)
#   allocs.<phase>.csv    per phase: phase,allocator,size_bytes,order,ok,errno
#   buddyinfo.<snap>.txt  (and pagetypeinfo, extfrag_unusable,
#                         extfrag_index, vmstat .<snap>.txt) for snap =
#                         fresh, sweep-<name>-before/-after around each
#                         mode's sweep, fresh-user (after the sweeps),
#                         fresh-kernel (after the kernel part), fresh-end,
#                         patterned (fragment's pattern alone, before its
#                         --huge step), fragmented (after --huge),
#                         fragmented-end, released (fragmenter gone)
#   frag.txt              the fragmenter's settings and status line
#                         (FRAG_PATTERN_STATUS: its line before --huge)
#   meta.txt, times.txt   run metadata; seconds per part (KEY=VALUE);
#                         meta.txt also has PAGE_OFFSET_BASE (va - pa_v2p
#                         of the first kmalloc row), ZONES_PRESENT
#                         (zone:present pages, /proc/zoneinfo) and
#                         KERNEL_IMAGE_PA (/proc/iomem's Kernel ranges)
# Knobs (PLAN_ENV): SIZES=FROM:TO (4K:256M) or a list 4K,64K,1M, SAMPLES (3),
# SEED (drawn from /dev/urandom when empty), MODES, KMAX (64M,
# never above TO), KMODES (kmalloc vmalloc kvmalloc alloc_pages), FRAG (1;
# 0 runs the main sweep only), FRAG_PCT (90), FRAG_PATTERN (alternate),
# FRAG_OPTS ("--lock --huge"), FRAG_USER_SIZE (64M), FRAG_VMAX (16M).
# A refused allocation is a finding, not an error; the plan fails only when
# it cannot produce its files.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/frag.sh"

SIZES=${SIZES:-4K:256M}
SAMPLES=${SAMPLES:-3}
MODES=${MODES:-4K 1G thp hugetlb}
KMODES=${KMODES:-kmalloc vmalloc kvmalloc alloc_pages}

die() { echo "plan report: $*" >&2; exit 1; }

# bytes NAME SPEC [one]: SPEC's sizes in bytes, one a line, by memalloc's
# parser (collect/size.c, the one size grammar), or the plan dies with its
# reason; with "one", SPEC must be one size.
bytes() {
	_b=$(memalloc --print-sizes "$2" 2>&1) || die "$1: ${_b#memalloc: }"
	[ "${3:-}" != one ] || [ "$(echo "$_b" | wc -l)" = 1 ] || die "$1: one size, not '$2'"
	echo "$_b"
}
# SIZES is FROM:TO (memalloc --sweep: every power of two between) or a
# list of sizes, "4K,64K,1M" (make report turns README's "4K 64K 1M" into
# that, since PLAN_ENV splits at spaces; spaces also work when set
# directly): then the user sweeps measure exactly those, and TO, the bound
# of the kernel part and of the hugetlb reservation, is the largest.
to=$(bytes SIZES "$SIZES") || exit 1
to=$(echo "$to" | sort -n | tail -n 1)
case $SIZES in
*:*) LIST="" ;;
*) LIST=$(echo "$SIZES" | tr ',' ' ') ;;
esac
kmax=$(bytes KMAX "${KMAX:-64M}" one) || exit 1
[ "$kmax" -gt "$to" ] && kmax=$to
case $SAMPLES in ''|*[!0-9]*|0) die "SAMPLES must be a positive number, not '$SAMPLES'" ;; esac

times=$OUT/times.txt.tmp
: >"$times"
fails=$OUT/failures.csv.tmp
echo "allocator,size_bytes,sample,errno,message,refused_by,limit_name,limit_value" >"$fails"
# who_refused TEXT: "refused_by,limit_name,limit_value" from the module's
# log line for a refused command (kmod/alloc.c) or memalloc's message.
# csvq TEXT: TEXT as one RFC 4180 field, quoted ("" for '"') when it
# holds a comma or a quote (the analyzer reads failures.csv that way).
csvq() {
	case $1 in
	*[,\"]*) printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')" ;;
	*) printf '%s' "$1" ;;
	esac
}
who_refused() {
	case $1 in
	*"above KMALLOC_MAX_SIZE, "*" bytes"*)
		echo "ptwalk,KMALLOC_MAX_SIZE,$(echo "$1" | sed -n 's/.*above KMALLOC_MAX_SIZE, \([0-9]*\) bytes.*/\1/p')" ;;
	*"order above the largest, "*)
		echo "ptwalk,MAX_ORDER-1,$(echo "$1" | sed -n 's/.*order above the largest, \([0-9]*\).*/\1/p')" ;;
	*"pages, the most one command returns"*)
		echo "ptwalk,PTW_MAX_ROWS,$(echo "$1" | sed -n 's/.*more than \([0-9]*\) pages.*/\1/p')" ;;
	*" available less "*" kept in reserve"*)
		echo "ptwalk,available pages less reserve,$(echo "$1" | awk '{ for (i = 1; i <= NF; i++) if ($i == "available") a = $(i - 1); else if ($i == "kept") r = $(i - 1); print a - r }')" ;;
	*": out of memory"*|*"cannot allocate "*"Cannot allocate memory"*|*"no memory for "*" rows"*) echo "kernel,," ;;
	*"more than this machine's memory"*|*"samples of "*" are held at once"*) echo "memalloc,MemTotal+SwapTotal," ;;
	*"could not reserve"*) echo "kernel,nr_hugepages," ;;
	*) echo "unknown,," ;;
	esac
}
part_t0=0
part_begin() { step "$1"; part_t0=$(uptime_s); }
part_end() {	# KEY
	awk -v k="$1" -v a="$part_t0" -v b="$(uptime_s)" 'BEGIN { printf "%s_S=%.2f\n", k, b - a }' >>"$times"
}
# snapshot NAME: buddyinfo, pagetypeinfo, extfrag (frag_snapshot); a
# missing debugfs is noted by frag_snapshot and leaves buddyinfo only.
snapshot() { frag_snapshot "$1" "$OUT" || echo "plan report: snapshot $1 is partial" >&2; }

usersize=${FRAG_USER_SIZE:-64M}
FRAG_VMAX=$(bytes FRAG_VMAX "${FRAG_VMAX:-16M}" one) || exit 1
# frag_probe PHASE: the experiments every phase runs, kernel then user.
frag_probe() {
	if load_ptwalk && [ -w /proc/pagetable ]; then
		frag_kernel_probe "$1" "$OUT" || echo "plan report: $1 kernel probe incomplete" >&2
	else
		echo "plan report: no /proc/pagetable, no $1 kernel probe" >&2
	fi
	memalloc -q -b 1G -m "$usersize" -o "$OUT/.u1.csv" 2>"$OUT/.err" &&
		memalloc -q -b thp -m "$usersize" -o "$OUT/.u2.csv" 2>>"$OUT/.err" &&
		{ cat "$OUT/.u1.csv"; tail -n +2 "$OUT/.u2.csv"; } >"$OUT/user.$1.csv.tmp" &&
		mv "$OUT/user.$1.csv.tmp" "$OUT/user.$1.csv" ||
		echo "plan report: $1 user memory: $(head -n 1 "$OUT/.err")" >&2
	rm -f "$OUT/.u1.csv" "$OUT/.u2.csv" "$OUT/.err" "$OUT/user.$1.csv.tmp"
}

# The run's seed: the order of the modes and of each mode's sizes.
SEED=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
case $SEED in ''|*[!0-9]*) die "SEED must be a number, not '$SEED'" ;; esac
# shuffle SEED WORD...: the words in an order drawn from SEED (awk's rand).
shuffle() {
	_seed=$1
	shift
	awk -v seed="$_seed" 'BEGIN { srand(seed); n = ARGC - 1
		for (i = 1; i <= n; i++) w[i] = ARGV[i]
		for (i = n; i > 1; i--) { j = int(rand() * i) + 1; t = w[i]; w[i] = w[j]; w[j] = t }
		for (i = 1; i <= n; i++) printf "%s%s", w[i], (i < n ? " " : "\n") }' "$@"
}
mode_order=$(shuffle "$SEED" $MODES)

# khugepaged: paused during the sweeps through its scan settings (one
# page per scan, a scan every 2^31 ms), not through THP "enabled", which
# would switch the thp mode off too.  Writing scan_sleep_millisecs wakes
# it for one scan of one page, then it sleeps.
KHP=/sys/kernel/mm/transparent_hugepage/khugepaged
khp_pages= khp_sleep= khp_alloc=
khugepaged_pause() {
	[ -w "$KHP/pages_to_scan" ] || { echo "plan report: no $KHP: khugepaged not paused" >&2; return 1; }
	khp_pages=$(cat "$KHP/pages_to_scan") khp_sleep=$(cat "$KHP/scan_sleep_millisecs")
	khp_alloc=$(cat "$KHP/alloc_sleep_millisecs")
	echo 1 >"$KHP/pages_to_scan" && echo 2147483647 >"$KHP/scan_sleep_millisecs" &&
		echo 2147483647 >"$KHP/alloc_sleep_millisecs"
}
khugepaged_resume() {
	[ -n "$khp_pages" ] || return 0
	echo "$khp_pages" >"$KHP/pages_to_scan"
	echo "$khp_sleep" >"$KHP/scan_sleep_millisecs"
	echo "$khp_alloc" >"$KHP/alloc_sleep_millisecs"
}
vmstat_of() { awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print "" }' /proc/vmstat; }

write_meta "$OUT/meta.txt"
{
	echo "SIZES=$SIZES"
	echo "SAMPLES=$SAMPLES"
	echo "MODES=$MODES"
	echo "KMODES=$KMODES"
	echo "KMAX_BYTES=$kmax"
	echo "FRAG=${FRAG:-1}"
	echo "FRAG_USER_SIZE=$usersize"
	echo "FRAG_VMAX_BYTES=$FRAG_VMAX"
	echo "SEED=$SEED"
	echo "MODE_ORDER=$mode_order"
} >>"$OUT/meta.txt"

# === phase fresh ============================================================
snapshot fresh
if [ "${FRAG:-1}" = 1 ]; then
	part_begin "fresh: kernel probe, user block and THP of $usersize"
	frag_probe fresh
	part_end FRESH
fi

# --- user memory: memalloc sweeps ------------------------------------------
# user_sweep MODE FILE SEED MAPS: the sweep of SIZES in an order drawn
# from SEED, one CSV (one header), and memalloc's --maps file MAPS (the
# VMA of each experiment); the order, in bytes, goes to stderr as
# memalloc's own "size order" line.  A list is run one size at a time,
# each size's samples held together as --sweep holds them.
user_sweep() {
	if [ -z "$LIST" ]; then
		memalloc -q -b "$1" --sweep "$SIZES" -n "$SAMPLES" --shuffle "$3" -o "$2" --maps "$4"
		return
	fi
	rm -f "$2.tmp" "$4.tmp"
	_order=""
	for s in $(shuffle "$3" $LIST); do
		_order="$_order $(bytes "$s")"
		memalloc -q -b "$1" -m "$s" -n "$SAMPLES" -o "$2.one" --maps "$4.one" || { rm -f "$2.one" "$2.tmp" "$4.one" "$4.tmp"; return 1; }
		if [ -f "$2.tmp" ]; then tail -n +2 "$2.one" >>"$2.tmp"; else cat "$2.one" >"$2.tmp"; fi
		if [ -f "$4.tmp" ]; then tail -n +2 "$4.one" >>"$4.tmp"; else cat "$4.one" >"$4.tmp"; fi
	done
	rm -f "$2.one" "$4.one"
	mv "$4.tmp" "$4"
	mv "$2.tmp" "$2"
	echo "memalloc: size order (list, shuffled with $3), bytes:$_order" >&2
}
part_begin "user: memalloc, sizes $SIZES, -n $SAMPLES, modes $mode_order (seed $SEED)"
paused=0
khugepaged_pause && paused=1
collapse0=$(vmstat_of thp_collapse_alloc)
{
	echo "KHUGEPAGED_PAUSED=$paused"
	echo "THP_COLLAPSE_ALLOC_BEFORE=$collapse0"
} >>"$OUT/meta.txt"
k=0
for mode in $mode_order; do
	k=$((k + 1))
	case $mode in
	4K) name=malloc4k ;;
	1G) name=block ;;
	*) name=$mode ;;
	esac
	if [ "$mode" = hugetlb ]; then
		# The samples of a size are held together: the largest size's
		# SAMPLES experiments need SAMPLES x TO / 2 MiB pages.  The pool
		# is reserved here, just before the sweep, and given back after.
		hp=$(( SAMPLES * ((to + 2097151) / 2097152) ))
		if reserve_hugepages "$hp"; then
			hpsz=$(_meta_kv /proc/meminfo Hugepagesize | awk '{ print $1 * 1024 }')
			{
				echo "HUGETLB_POOL_PAGES=$hp"
				echo "HUGETLB_POOL_BYTES=$((hp * hpsz))"
				echo "HUGETLB_POOL_WHEN=reserved just before the hugetlb sweep (nr_hugepages), released after it"
			} >>"$OUT/meta.txt"
		else
			echo "hugetlb,$to,0,ENOMEM,could not reserve $hp huge pages,kernel,nr_hugepages,$hp" >>"$fails"
			echo "HUGETLB_POOL_PAGES=0" >>"$OUT/meta.txt"
			continue
		fi
	fi
	snapshot "sweep-$name-before"
	if ! user_sweep "$mode" "$OUT/user-$name.csv" $((SEED + k)) "$OUT/maps.$name.csv" 2>"$OUT/.err"; then
		msg=$(grep -v '^memalloc: size order' "$OUT/.err" | head -n 1)
		echo "memalloc -b $mode failed: $msg" >&2
		echo "$name,$to,0,$(errno_of "$msg"),$(csvq "$msg"),$(who_refused "$msg")" >>"$fails"
		rm -f "$OUT/user-$name.csv" "$OUT/maps.$name.csv"
	fi
	snapshot "sweep-$name-after"
	echo "SIZE_ORDER_$name=$(sed -n 's/^memalloc: size order[^:]*: //p' "$OUT/.err")" >>"$OUT/meta.txt"
	[ "$mode" = hugetlb ] && echo 0 >/proc/sys/vm/nr_hugepages
done
rm -f "$OUT/.err"
collapse1=$(vmstat_of thp_collapse_alloc)
khugepaged_resume
echo "THP_COLLAPSE_ALLOC_AFTER=$collapse1" >>"$OUT/meta.txt"
part_end USER
snapshot fresh-user

# --- kernel memory: /proc/pagetable --------------------------------------
part_begin "kernel: $KMODES, $SAMPLES samples, sizes up to $kmax bytes"
load_ptwalk || die "cannot load $PTWALK_KO"
[ -w /proc/pagetable ] || die "ptwalk.ko is loaded but /proc/pagetable is missing"

# try ALLOC ARG SIZE SAMPLE FILE: one command; its rows (header dropped,
# sample column set to SAMPLE) go to FILE.  A refusal goes to failures.csv
# and returns 1.  Each sample is written and read through an open file of
# its own, fd 3 for even samples and 4 for odd ones, kept open until the
# sample after next: the module keeps an open file's allocation alive, so
# sample N is taken while sample N-1 still holds its frames and cannot
# reuse them (reuse.csv shows what is shared).
try() {
	if [ $(($4 % 2)) = 0 ]; then
		exec 3<>/proc/pagetable
		_fd=3
	else
		exec 4<>/proc/pagetable
		_fd=4
	fi
	_err=$( { echo "$1 $2" >&$_fd; } 2>&1 ) || {
		_msg=$(echo "$_err" | head -n 1 | sed 's/^[^:]*: //')
		# the module says why in one log line: its own limit or ENOMEM
		_why=$(dmesg | grep -F "ptwalk: $1 $2: " | tail -n 1 | sed 's/^.*ptwalk: //')
		echo "$1,$3,$4,$(errno_of "$_msg"),$(csvq "$_msg: ${_why:-no log line}"),$(who_refused "$_why")" >>"$fails"
		echo "$1 $2 (sample $4): refused: $_msg ($_why)" >&2
		return 1
	}
	sed "1d; s/^\([^,]*,[^,]*,[^,]*,\)[^,]*/\1$4/" <&$_fd >>"$5"
}

for alloc in $KMODES; do
	f=$OUT/kernel-$alloc.csv.tmp
	analyze --schema >"$f" || die "analyze --schema: no samples header"
	if [ "$alloc" = alloc_pages ]; then
		order=0
		while [ "$order" -le 20 ]; do
			s=1 refused=0
			while [ "$s" -le "$SAMPLES" ]; do
				try alloc_pages "$order" $((4096 << order)) "$s" "$f" || { refused=1; break; }
				s=$((s + 1))
			done
			[ "$refused" = 1 ] && break
			order=$((order + 1))
		done
	else
		size=4096
		# kmalloc: up to the first refusal (or 2 x KMAX, to find the limit).
		limit=$kmax
		[ "$alloc" = kmalloc ] && limit=$((kmax * 2))
		while [ "$size" -le "$limit" ]; do
			s=1 refused=0
			while [ "$s" -le "$SAMPLES" ]; do
				try "$alloc" "$size" "$size" "$s" "$f" || { refused=1; break; }
				s=$((s + 1))
			done
			[ "$refused" = 1 ] && [ "$alloc" = kmalloc ] && break
			size=$((size * 2))
		done
	fi
	exec 3<&- 4<&-   # the last two samples' allocations go
	mv "$f" "$OUT/kernel-$alloc.csv"
done
part_end KERNEL
snapshot fresh-kernel

# --- the two-context experiment -------------------------------------------
# The live allocation stays mapped until the next command, so two
# processes (two mms, two pgd pages) can walk the same kernel VA.
part_begin "two contexts: walk one kmalloc and one vmalloc VA from two processes"
f=$OUT/twoctx.csv.tmp
analyze --schema >"$f" || die "analyze --schema: no samples header"
for alloc in kmalloc vmalloc; do
	echo "$alloc 16K" >/proc/pagetable || { echo "$alloc,16384,0,ENOMEM,two-context allocation refused,unknown,," >>"$fails"; continue; }
	va=$(sed -n '2s/^[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,\([^,]*\),.*/\1/p' /proc/pagetable)
	[ -n "$va" ] || die "no VA in the $alloc rows of /proc/pagetable"
	for ctx in 1 2; do
		# A new shell each time: its own process, mm and pgd.
		sh -c 'echo "walk $1" >/proc/pagetable && sed 1d /proc/pagetable' sh "$va" >>"$f" ||
			echo "walk,0,$ctx,EIO,walk of $alloc VA $va failed,unknown,," >>"$fails"
	done
done
mv "$f" "$OUT/twoctx.csv"
part_end TWOCTX

# --- the worked walks' user pages ------------------------------------------
# The module's `pid` walk of a process that holds a 4 MiB THP block:
# kernel-pidwalk.csv (sample = the pid) has pte leaves (its text, stack) and
# pmd leaves (the THP), which analyze's walks.csv walks level by level.
# user_pagemap PID PIDWALK_CSV: pagemap.user.txt for analyze (userpm.c):
# the held process's /proc/PID/maps, the raw /proc/PID/pagemap entries
# (8 bytes at VA / 4096 * 8, read as root) of its first text page, its
# THP block's first page and an address in its second (from the pid
# walk's rows) and the lowest and
# highest page of its stack; then pagemap_self.sh's read of its own stack
# page as root and as uid 65534 (an /etc/passwd line for busybox su),
# which has the PFN hidden.
user_pagemap() {
	sed "s/^/maps $1 /" "/proc/$1/maps" || return 1
	stack=$(sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) .* \[stack\]$/0x\1 0x\2/p' "/proc/$1/maps")
	# shellcheck disable=SC2046 # words: the VAs
	set -- "$1" $(awk -F, '$6 !~ /^0xf/ && $11 == "pte" && !t++ { print $6 } $6 !~ /^0xf/ && $11 == "pmd" && !h++ { print $6 }' "$2")
	# The THP's first page, and an address 0x234 into its second page
	# (the report's PA = PFN * 4096 + offset).
	[ $# = 3 ] && set -- "$@" "$(($3 + 0x1234))"
	[ -n "$stack" ] && set -- "$@" "${stack% *}" "$((${stack#* } - 4096))"
	pid=$1; shift
	for va in "$@"; do
		raw=$(dd if="/proc/$pid/pagemap" bs=8 skip=$((va / 4096)) count=1 2>/dev/null | od -An -tx8 | tr -d ' \n')
		[ ${#raw} = 16 ] || { echo "no pagemap entry for $va"; return 1; }
		printf 'entry %s root 0x%x 0x%s\n' "$pid" "$va" "$raw"
	done
	grep -q '^nobody:' /etc/passwd 2>/dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
	sh "$(dirname "$0")/pagemap_self.sh" && su -s /bin/sh nobody -c "sh $(dirname "$0")/pagemap_self.sh"
}
part_begin "user walk: pid walk of memalloc -b thp -m 4M --hold"
pw=/tmp/pidwalk
mkdir -p "$pw" && mkfifo "$pw/in"
memalloc -q -b thp -m 4M -o "$pw/thp.csv" --hold <"$pw/in" >"$pw/out" 2>"$pw/err" &
pwpid=$!
exec 3>"$pw/in"
n=0
until grep -q '^ready' "$pw/out" 2>/dev/null; do
	n=$((n + 1))
	{ [ $n -lt 600 ] && kill -0 $pwpid 2>/dev/null; } || break
	sleep 0.1
done
if grep -q '^ready' "$pw/out" && echo "pid $pwpid" >/proc/pagetable; then
	cat /proc/pagetable >"$OUT/kernel-pidwalk.csv.tmp" && mv "$OUT/kernel-pidwalk.csv.tmp" "$OUT/kernel-pidwalk.csv"
	user_pagemap "$pwpid" "$OUT/kernel-pidwalk.csv" >"$OUT/pagemap.user.txt" ||
		{ echo "plan report: no pagemap.user.txt: $(tail -n 1 "$OUT/pagemap.user.txt" | head -c 200)" >&2; rm -f "$OUT/pagemap.user.txt"; }
else
	echo "plan report: no pid walk for the worked walks: $(head -c 200 "$pw/err")" >&2
fi
exec 3>&-
wait $pwpid
unload_ptwalk
part_end PIDWALK
# page_offset_base in this boot (KASLR moves it): for a direct-map address
# virt_to_phys() is va - page_offset_base, so the first kmalloc row gives
# it (64-bit shell arithmetic).  The zones with their present pages.
pob_of() { [ $# -eq 2 ] && printf 'PAGE_OFFSET_BASE=0x%016x\n' $(($1 - $2)); }
# shellcheck disable=SC2046 # two words: va and pa_v2p
pob_of $(awk -F, 'NR == 2 && $1 == "kernel" && $10 != "" { print $6, $10 }' "$OUT/kernel-kmalloc.csv" 2>/dev/null) >>"$OUT/meta.txt"
echo "ZONES_PRESENT=$(awk '/^Node/ { z = $4 } $1 == "present" { printf "%s%s:%s", s, z, $2; s = " " }' /proc/zoneinfo)" >>"$OUT/meta.txt"
# Where the kernel image lies in physical memory (its direct-map alias is
# where the direct map is split into small leaves for its permissions).
echo "KERNEL_IMAGE_PA=$(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Kernel \(code\|rodata\|data\|bss\)$/\3 0x\1-0x\2/p' /proc/iomem | tr '\n' ';' | sed 's/;$//; s/;/; /g')" >>"$OUT/meta.txt"
snapshot fresh-end

# === phase fragmented =======================================================
if [ "${FRAG:-1}" = 1 ]; then
	pct=${FRAG_PCT:-90}
	pattern=${FRAG_PATTERN:-alternate}
	FRAG_OPTS=${FRAG_OPTS---lock --huge}
	part_begin "fragmented: fragment -p $pct --pattern $pattern $FRAG_OPTS"
	pinned=0
	frag_pin_on && pinned=1
	# With --huge, first the pattern alone ("patterned" snapshot), then
	# the huge pages: the pattern's effect apart from --huge's.
	staged=0
	case " $FRAG_OPTS " in *" --huge "*) staged=1 ;; esac
	if FRAG_STAGED=$staged frag_start "$pct" "$pattern" &&
		{ [ "$staged" = 0 ] || { snapshot patterned && frag_continue; }; }; then
		frag_record "$OUT/frag.txt" "$pct" "$pattern" "$pinned"
		[ "$staged" = 1 ] && echo "FRAG_PATTERN_STATUS=$FRAG_STAGE_STATUS" >>"$OUT/frag.txt"
		part_end FRAGMENT
		part_begin "fragmented: kernel probe, user block and THP of $usersize"
		snapshot fragmented
		frag_probe fragmented
		snapshot fragmented-end
		frag_stop || echo "plan report: fragment exited with status $?" >&2
		part_end FRAGMENTED
	else
		echo "plan report: fragment did not start: no fragmented phase" >&2
		part_end FRAGMENT
	fi
	[ "$pinned" = 1 ] && frag_pin_off
	unload_ptwalk
	snapshot released
fi

mv "$fails" "$OUT/failures.csv"
mv "$times" "$OUT/times.txt"
step "done: $(($(wc -l <"$OUT/failures.csv") - 1)) refusals"
