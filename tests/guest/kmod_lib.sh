# tests/guest/kmod_lib.sh - helpers for the t_kmod*.sh guest tests (sourced).
#
# kmod_load loads ptwalk.ko ($PTWALK_KO) when it is not loaded, and then
# unloads it when the test exits, so each test leaves the module as it
# found it.  Also:
#   kmod_cmd CMD            write CMD to /proc/pagetable in one write and
#                           print ok or the errno name (ioctl_stress cmd)
#   kmod_read FILE          the current result of /proc/pagetable to FILE
#   kmod_loglines           how many "ptwalk: " lines the kernel log holds
#   kmod_bad NAME CMD ERR   CMD must fail with ERR and add one log line
#   leak_baseline, leak_after, leak_ptwalk_objects: below
# Column numbers of the samples CSV: see ptwalk_csv.h (va 6, pa 7, ...).

kmod_loaded() { grep -q '^ptwalk ' /proc/modules; }

KMOD_MINE=0
# kmod_exit: what the test's EXIT trap runs (tests/lib.sh's cleanup too).
kmod_exit() {
	[ "$KMOD_MINE" = 1 ] && kmod_loaded && rmmod ptwalk
	rm -rf "$TMP"
}
trap kmod_exit EXIT

kmod_load() {
	kmod_loaded && return 0
	KMOD_MINE=1
	if [ ! -f "${PTWALK_KO:-}" ]; then
		fail "kmod load: no module at PTWALK_KO='${PTWALK_KO:-}'"
		exit 1
	fi
	insmod "$PTWALK_KO" "$@" || { fail "kmod load: insmod $PTWALK_KO failed"; exit 1; }
}

kmod_cmd() { "$TBIN/ioctl_stress" cmd "$1"; }
kmod_read() { cat /proc/pagetable >"$1"; }
kmod_loglines() { dmesg | grep -c '\] ptwalk: '; }

kmod_bad() {
	_n0=$(kmod_loglines)
	_got=$(kmod_cmd "$2")
	_n1=$(kmod_loglines)
	if [ "$_got" = "$3" ] && [ $((_n1 - _n0)) = 1 ]; then
		pass "$1: $3 and one log line ($(dmesg | grep '\] ptwalk: ' | tail -n 1 | sed 's/^\[[^]]*\] //'))"
	else
		fail "$1: got $_got and $((_n1 - _n0)) log lines, want $3 and 1"
	fi
}

# wait_ready FILE PID: wait (up to 120 s) for "ready" in FILE from PID.
wait_ready() {
	_i=0
	while ! grep -q '^ready' "$1" 2>/dev/null; do
		kill -0 "$2" 2>/dev/null || return 1
		_i=$((_i + 1))
		[ $_i -gt 1200 ] && return 1
		sleep 0.1
	done
}

# Leak checks (t_kmod_cycle, t_soak): leak_baseline, then the work, then
# leak_after.  Each measure (leak_measure FILE) settles the kernel and
# records, in FILE (per slab cache) and in LEAK_V, LEAK_U, LEAK_A and
# LEAK_S:
#   LEAK_V  /proc/vmallocinfo areas counted by caller, leaving out the
#           lazily freed ones, thread stacks (those come and go with every
#           process a test starts) and load_module's (module code and
#           data: the module loader's, which a module cannot leak; a
#           vmalloc leak of ptwalk's shows under its own caller)
#   LEAK_U  slab in use where a leak can be: kB of objects in use
#           (objects x slab_size, debug data included) in the caches that
#           are not reclaimable (a leak never is; dentries and inodes
#           are, and grew by 500 kB in a loaded guest) other than
#           vmap_area (vmalloc's bookkeeping of busy, free and lazily
#           freed ranges: it grows with every process stack freed until
#           the next lazy purge, 3000 objects seen; busy areas are in
#           LEAK_V).  /proc/meminfo's SUnreclaim, less those and less
#           the slack in partly used slabs.
#   LEAK_A  slab usage: the same over every cache.  The tests bound the
#           growth of LEAK_U against this level.
#   LEAK_S  /proc/meminfo's Slab, kB of slabs held, in use or not.  It also
#           moves when partly used slabs are emptied or filled (by 1 MB
#           either way seen here), which is no change in use (reported).
# Memory that is freed late (after an RCU grace period, by the lazy vmap
# purge, a module's init sections) is gone a few seconds later; a leak
# never is.  So leak_after measures again while it sees growth.
leak_settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
}
# One line per cache, "name objects in-use-kB held-kB reclaimable", read
# by one grep: every sysfs file opened is a kernfs node freed after an RCU
# grace period (kmalloc-96), so fewer processes and files, less noise.
# Aliased caches appear under several names, as links to one directory;
# only the directories are listed.  (busybox awk has no ^: a loop doubles.)
leak_slabs() {
	for _d in /sys/kernel/slab/*; do [ -L "$_d" ] || echo "$_d"; done >"$1.dirs"
	sed 's|$|/objects|' "$1.dirs" >"$1.files"
	for _f in slab_size slabs order reclaim_account; do sed "s|\$|/$_f|" "$1.dirs"; done >>"$1.files"
	# shellcheck disable=SC2046 # one word per file
	grep -H . $(cat "$1.files") 2>/dev/null | awk '{
			sub(/^\/sys\/kernel\/slab\//, "")   # NAME/FILE:VALUE (NAME may hold ":")
			if (!match($0, /\/[a-z_]+:/)) next
			c = substr($0, 1, RSTART - 1); f = substr($0, RSTART + 1, RLENGTH - 2)
			split(substr($0, RSTART + RLENGTH), v, " "); val[c, f] = v[1]; seen[c] = 1
		} END { for (c in seen) {
			b = val[c, "slabs"] * 4; for (i = 0; i < val[c, "order"]; i++) b *= 2
			printf "%s %d %.0f %d %d\n", c, val[c, "objects"], val[c, "objects"] * val[c, "slab_size"] / 1024, b, val[c, "reclaim_account"] } }' |
		sort >"$1"
	rm -f "$1.dirs" "$1.files"
}
leak_measure() {
	leak_settle
	leak_slabs "$1"
	LEAK_U=$(awk '$5 == 0 && $1 != "vmap_area" { n += $3 } END { printf "%.0f\n", n }' "$1")
	LEAK_A=$(awk '{ n += $3 } END { printf "%.0f\n", n }' "$1")
	LEAK_S=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
	LEAK_V=$(grep -v unpurged /proc/vmallocinfo | awk '{ sub(/\+.*/, "", $3); print $3 }' |
		grep -Ev '^(alloc_thread_stack_node|kernel_clone|copy_process|dup_task_struct|load_module)$' |
		sort | uniq -c | tr -s ' ' | tr '\n' ';')
}
# leak_areas V: how many areas a LEAK_V holds.
leak_areas() { echo "$1" | tr ';' '\n' | awk '{ n += $1 } END { print n + 0 }'; }
# leak_areas_grown V0 V1: the callers with more areas in V1 than in V0,
# "caller n0 -> n1;" each; empty when none.  (Fewer is no leak: the
# baseline may catch a module's init sections before they are freed.)
leak_areas_grown() {
	printf '%s\n%s\n' "$1" "$2" | awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) {
			split($i, f, " "); if (f[2] != "") a[f[2]] = f[1] } next }
		{ for (i = 1; i <= NF; i++) { split($i, f, " ")
			if (f[2] != "" && f[1] > a[f[2]] + 0) printf "%s %d -> %d;", f[2], a[f[2]], f[1] } }'
}
# leak_baseline FILE: the measure leak_after compares with (LEAK_F0, LEAK_V0,
# LEAK_U0, LEAK_A0, LEAK_S0).
leak_baseline() {
	leak_measure "$1"
	LEAK_F0=$1 LEAK_V0=$LEAK_V LEAK_U0=$LEAK_U LEAK_A0=$LEAK_A LEAK_S0=$LEAK_S
}
# leak_after FILE MAX_KB: measure into FILE until no vmallocinfo caller has
# more areas than in the baseline and slab in use where a leak can be grew
# by at most MAX_KB, at most 5 times, 2 s apart.  Then LEAK_GROWN is the
# callers that grew ("caller n0 -> n1;" each, empty when none), LEAK_DU the
# growth in kB, LEAK_N0 and LEAK_N1 the areas; prints what it saw.
leak_after() {
	_tries=0
	while :; do
		leak_measure "$1"
		_tries=$((_tries + 1))
		LEAK_GROWN=$(leak_areas_grown "$LEAK_V0" "$LEAK_V")
		LEAK_DU=$((LEAK_U - LEAK_U0))
		[ -z "$LEAK_GROWN" ] && [ "$LEAK_DU" -le "$2" ] && break
		[ $_tries -ge 5 ] && break
		sleep 2
	done
	LEAK_N0=$(leak_areas "$LEAK_V0") LEAK_N1=$(leak_areas "$LEAK_V")
	echo "leak: after $_tries measures: vmallocinfo areas $LEAK_N0 -> $LEAK_N1;" \
		"slab in use where a leak can be $LEAK_U0 -> $LEAK_U kB, in all caches" \
		"$LEAK_A0 -> $LEAK_A kB; Slab $LEAK_S0 -> $LEAK_S kB"
	leak_growth "$LEAK_F0" "$1"
}
# leak_growth A B: the 5 caches whose bytes in use grew most from A to B.
leak_growth() {
	awk 'NR == FNR { o[$1] = $2; u[$1] = $3; h[$1] = $4; next }
		$3 != u[$1] || $4 != h[$1] {
			printf "%d %s: objects %d -> %d, in use %d -> %d kB, slabs %d -> %d kB\n",
				$3 - u[$1], $1, o[$1], $2, u[$1], $3, h[$1], $4 }' \
		"$1" "$2" | sort -rn | head -n 5 | sed 's/^[-0-9]* /slab growth: /'
}
# leak_ptwalk_objects: live slab objects whose allocation stack passes
# through ptwalk.ko (vmap_area left out: a vfree'd area waits for the lazy
# purge), from SLUB's alloc_traces; empty when slub_debug has no U.
leak_ptwalk_objects() {
	# The smallest kmalloc cache: kmalloc-64, or kmalloc-128 on arm64.
	_c=/sys/kernel/slab/kmalloc-64
	[ -d "$_c" ] || _c=/sys/kernel/slab/kmalloc-128
	[ "$(cat "$_c/store_user" 2>/dev/null)" = 1 ] || return 0
	for _d in /sys/kernel/debug/slab/*; do
		[ "${_d##*/}" = vmap_area ] && continue
		cat "$_d/alloc_traces"
	done 2>/dev/null | awk '/^ *[0-9]+ / { if (mine) n += cnt; cnt = $1; mine = 0 }
		/\[ptwalk\]/ { mine = 1 } END { if (mine) n += cnt; print n + 0 }'
}
