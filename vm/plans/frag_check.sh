#!/bin/sh
# vm/plans/frag_check.sh - fresh vs fragmented physical memory, one guest run.
#
# Snapshots buddyinfo, pagetypeinfo and debugfs extfrag/ (frag_snapshot) in
# three phases: "fresh" after boot, "fragmented" while `fragment` holds
# FRAG_PCT (90) percent of the free memory with FRAG_PATTERN (alternate)
# and FRAG_OPTS ("--lock --huge"; with FRAG_PIN=1, the default,
# vm.compact_unevictable_allowed=0 so compaction cannot undo it), and
# "released" after it let go.  In the first two phases it also probes the
# kernel allocators through ptwalk.ko (allocs.PHASE.csv; skipped with a
# note when the module is missing) and, with FRAG_USER=1 (the default),
# runs memalloc -b 1G and -b thp for FRAG_USER_SIZE (64M) into
# user.PHASE.csv.  Files land in $OUT; frag.txt records the fragmenter's
# status line and settings.  tests/t_vm_frag.sh checks the result.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/frag.sh"

pct=${FRAG_PCT:-90}
pattern=${FRAG_PATTERN:-alternate}
FRAG_OPTS=${FRAG_OPTS---lock --huge}
usersize=${FRAG_USER_SIZE:-64M}
rc=0

write_meta "$OUT/meta.txt"
probe=1
load_ptwalk || { echo "frag_check: no ptwalk.ko, no kernel probe" >&2; probe=0; }
[ -w /proc/pagetable ] || probe=0

# user.PHASE.csv: one block and one THP experiment, in one schema-1 file.
user_phase() {
	[ "${FRAG_USER:-1}" = 1 ] || return 0
	memalloc -q -b 1G -m "$usersize" -o "$TMPDIR_/u1.csv" &&
		memalloc -q -b thp -m "$usersize" -o "$TMPDIR_/u2.csv" &&
		{ cat "$TMPDIR_/u1.csv"; tail -n +2 "$TMPDIR_/u2.csv"; } >"$OUT/user.$1.csv.tmp" &&
		mv "$OUT/user.$1.csv.tmp" "$OUT/user.$1.csv"
	_st=$?
	rm -f "$TMPDIR_/u1.csv" "$TMPDIR_/u2.csv"
	return $_st
}
TMPDIR_=${TMPDIR:-/tmp}

phase() {	# PHASE: snapshot, then what allocates
	step "$1: snapshot"
	frag_snapshot "$1" "$OUT" || rc=1
	echo "$1: free blocks of order >= 9: $(frag_buddy_count 9 "$OUT/buddyinfo.$1.txt")" >&2
	[ "$1" = released ] && return
	if [ $probe = 1 ]; then
		step "$1: kernel probe"
		frag_kernel_probe "$1" "$OUT" || rc=1
	fi
	step "$1: user memory"
	user_phase "$1" || rc=1
}

phase fresh
pinned=0
if [ "${FRAG_PIN:-1}" = 1 ]; then
	frag_pin_on && pinned=1
fi
step "fragment -p $pct --pattern $pattern $FRAG_OPTS"
if frag_start "$pct" "$pattern"; then
	frag_record "$OUT/frag.txt" "$pct" "$pattern" "$pinned"
	phase fragmented
	frag_stop || { echo "frag_check: fragment exited with status $?" >&2; rc=1; }
else
	rc=1
fi
[ $pinned = 1 ] && frag_pin_off
sleep 1
phase released
exit $rc
