# vm/plans/frag.sh - fragmentation helpers for plan scripts (sourced, POSIX sh).
#
# For plans (busybox ash in the guest, sh on the host) and in-guest tests
# that compare fresh and fragmented physical memory.  Source it after
# lib.sh or on its own:  . "$(dirname "$0")/frag.sh".  Every helper returns
# non-zero and prints one "frag: ..." line on stderr when it cannot do its
# job; a failed kernel allocation is data, not an error.
#
#   frag_snapshot PHASE DIR
#       DIR/buddyinfo.PHASE.txt, DIR/extfrag_unusable.PHASE.txt and
#       DIR/extfrag_index.PHASE.txt (debugfs extfrag/unusable_index and
#       extfrag_index, mounted here if need be) describe one state: they
#       are read back to back into shell variables, and read again until
#       buddyinfo is the same before and after the debugfs files (up to
#       FRAG_SNAP_TRIES, 20).  Then DIR/pagetypeinfo.PHASE.txt and
#       DIR/vmstat.PHASE.txt (compaction counters and all), and PHASE
#       appended to DIR/snapshots.txt (the snapshots in the order taken,
#       for analyze's compact.csv, which follows its input order).  Missing
#       debugfs gives no extfrag files and status 1 (the buddyinfo is kept).
#   frag_start PCT [PATTERN]
#       runs `fragment -p PCT --pattern PATTERN $FRAG_OPTS` (PATTERN
#       default alternate; FRAG_OPTS e.g. "--lock --huge") in the
#       background and waits (FRAG_TIMEOUT, 600 s) until it holds.  Sets
#       FRAG_PID and FRAG_STATUS (its "holding N pages ..." line).
#       With FRAG_STAGED=1 (and --huge in FRAG_OPTS) it stops one step
#       earlier, after the pattern and before --huge (fragment
#       --stage-file), and sets FRAG_STAGE_STATUS ("pattern: holding ...");
#       frag_continue then lets it take the huge pages and waits until it
#       holds, setting FRAG_STATUS.
#   frag_stop
#       ends the fragmenter (newline on its stdin, SIGTERM after 10 s) and
#       returns its exit status.
#   frag_pin_on / frag_pin_off
#       vm.compact_unevictable_allowed=0 (so compaction cannot move the
#       pages `fragment --lock` keeps) and back to what it was.
#   frag_kernel_probe PHASE DIR
#       with ptwalk.ko loaded: `kmalloc SIZE` for SIZE 4K, 8K, ... up to
#       the kmalloc maximum (4 KiB << the highest buddy order) or the
#       first failure, and `alloc_pages ORDER` for every order, each
#       written to /proc/pagetable; with FRAG_VMAX (bytes) set, also
#       `vmalloc SIZE` for SIZE 4K, 8K, ... up to FRAG_VMAX or the first
#       failure (order = log2(SIZE / 4 KiB) there); one row per attempt in
#       DIR/allocs.PHASE.csv: phase,allocator,size_bytes,order,ok,errno
#       (ok 1/0, errno the name, e.g. ENOMEM, empty on success).  Ends
#       with frag_kernel_shrink; DIR/vmstat.PHASE.probed.txt is
#       /proc/vmstat after it (compaction the probe caused).
#   frag_kernel_shrink
#       ptwalk.ko keeps its last allocation until the next command; this
#       replaces it with one page (call it before fragmenting, so that a
#       big block freed later does not make a probe succeed).
#   frag_max_order       the highest buddy order (10 with MAX_ORDER 11)
#   frag_buddy_count MIN [FILE]
#       free blocks of order >= MIN over all zones (FILE: a buddyinfo
#       snapshot, default /proc/buddyinfo)

FRAG_TMP=${TMPDIR:-/tmp}/ptwalk-frag.$$
FRAG_PID=
FRAG_STATUS=

_frag_err() { echo "frag: $*" >&2; }

_frag_debugfs() {
	[ -r /sys/kernel/debug/extfrag/unusable_index ] && return 0
	grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	[ -r /sys/kernel/debug/extfrag/unusable_index ]
}

# _frag_slurp FILE: the file's text in _frag_text, without forking (a fork
# allocates and frees pages, which moves the counts being read).
_frag_slurp() {
	_frag_text=
	while IFS= read -r _l; do
		_frag_text="$_frag_text$_l
"
	done <"$1"
}

frag_snapshot() {
	_ph=$1 _dir=$2
	[ -n "$_ph" ] && [ -d "$_dir" ] || { _frag_err "usage: frag_snapshot PHASE DIR"; return 2; }
	_dbg=0
	_frag_debugfs && _dbg=1
	_try=0
	while :; do
		_try=$((_try + 1))
		_frag_slurp /proc/buddyinfo; _b1=$_frag_text
		_u= _x=
		if [ $_dbg = 1 ]; then
			_frag_slurp /sys/kernel/debug/extfrag/unusable_index; _u=$_frag_text
			_frag_slurp /sys/kernel/debug/extfrag/extfrag_index; _x=$_frag_text
		fi
		_frag_slurp /proc/buddyinfo; _b2=$_frag_text
		[ "$_b1" = "$_b2" ] && break
		if [ $_try -ge "${FRAG_SNAP_TRIES:-20}" ]; then
			_frag_err "buddyinfo kept changing during $_try reads; $_ph snapshot is not one state"
			break
		fi
	done
	printf '%s' "$_b1" >"$_dir/buddyinfo.$_ph.txt.tmp" &&
		mv "$_dir/buddyinfo.$_ph.txt.tmp" "$_dir/buddyinfo.$_ph.txt" || return 1
	if [ $_dbg = 1 ]; then
		printf '%s' "$_u" >"$_dir/extfrag_unusable.$_ph.txt.tmp" &&
			mv "$_dir/extfrag_unusable.$_ph.txt.tmp" "$_dir/extfrag_unusable.$_ph.txt" || return 1
		printf '%s' "$_x" >"$_dir/extfrag_index.$_ph.txt.tmp" &&
			mv "$_dir/extfrag_index.$_ph.txt.tmp" "$_dir/extfrag_index.$_ph.txt" || return 1
	fi
	cat /proc/pagetypeinfo >"$_dir/pagetypeinfo.$_ph.txt.tmp" 2>/dev/null &&
		mv "$_dir/pagetypeinfo.$_ph.txt.tmp" "$_dir/pagetypeinfo.$_ph.txt" ||
		{ rm -f "$_dir/pagetypeinfo.$_ph.txt.tmp"; _frag_err "cannot read /proc/pagetypeinfo"; }
	cp /proc/vmstat "$_dir/vmstat.$_ph.txt" 2>/dev/null
	echo "$_ph" >>"$_dir/snapshots.txt"
	if [ $_dbg = 0 ]; then
		_frag_err "no debugfs extfrag/ (CONFIG_DEBUG_FS?): $_ph snapshot has buddyinfo only"
		return 1
	fi
	[ "$_b1" = "$_b2" ]
}

frag_max_order() {
	awk '/zone/ { n = NF - 4; if (n > m) m = n } END { print m - 1 }' /proc/buddyinfo
}

frag_buddy_count() {
	awk -v min="$1" '/zone/ { for (i = 5 + min; i <= NF; i++) s += $i }
		END { print s + 0 }' "${2:-/proc/buddyinfo}"
}

# frag_record FILE PCT PATTERN PINNED: write the running fragmenter's
# settings and status line as KEY=VALUE (frag.txt, read by the report).
frag_record() {
	{
		echo "FRAG_PCT=$2"
		echo "FRAG_PATTERN=$3"
		echo "FRAG_OPTS=${FRAG_OPTS:-}"
		echo "FRAG_PIN=$4"
		echo "FRAG_STATUS=$FRAG_STATUS"
	} >"$1"
}

frag_start() {
	_pct=$1 _pat=${2:-alternate}
	[ -n "$_pct" ] || { _frag_err "usage: frag_start PCT [PATTERN]"; return 2; }
	[ -z "$FRAG_PID" ] || { _frag_err "a fragmenter is running already (pid $FRAG_PID)"; return 1; }
	command -v fragment >/dev/null || { _frag_err "no fragment program on PATH"; return 1; }
	mkdir -p "$FRAG_TMP" || return 1
	rm -f "$FRAG_TMP/in" "$FRAG_TMP/ready" "$FRAG_TMP/stage"
	mkfifo "$FRAG_TMP/in" || return 1
	_stage= _wait=ready
	[ "${FRAG_STAGED:-0}" = 1 ] && _stage="--stage-file $FRAG_TMP/stage" _wait=stage
	# shellcheck disable=SC2086 # FRAG_OPTS is a list of options
	fragment -p "$_pct" --pattern "$_pat" ${FRAG_OPTS:-} $_stage --ready-file "$FRAG_TMP/ready" \
		<"$FRAG_TMP/in" >"$FRAG_TMP/log" 2>&1 &
	FRAG_PID=$!
	# Our end of its stdin: closing it (or a newline) ends the hold.
	exec 9>"$FRAG_TMP/in"
	_frag_wait "$_wait" "fragment -p $_pct --pattern $_pat" || return 1
	if [ "$_wait" = stage ]; then
		FRAG_STAGE_STATUS=$(cat "$FRAG_TMP/stage")
		echo "frag: fragment -p $_pct --pattern $_pat ${FRAG_OPTS:-}: $FRAG_STAGE_STATUS" >&2
		return 0
	fi
	FRAG_STATUS=$(cat "$FRAG_TMP/ready")
	echo "frag: fragment -p $_pct --pattern $_pat ${FRAG_OPTS:-}: $FRAG_STATUS" >&2
}

# frag_continue: a staged fragmenter takes its huge pages; wait until it holds.
frag_continue() {
	[ -n "$FRAG_PID" ] || { _frag_err "no fragmenter is running"; return 1; }
	echo >&9
	_frag_wait ready "fragment --huge" || return 1
	FRAG_STATUS=$(cat "$FRAG_TMP/ready")
	echo "frag: fragment --huge: $FRAG_STATUS" >&2
}

# _frag_wait FILE WHAT: until $FRAG_TMP/FILE exists; 1 if the fragmenter
# exits first or FRAG_TIMEOUT passes.
_frag_wait() {
	_t=0
	while [ ! -f "$FRAG_TMP/$1" ]; do
		if ! kill -0 "$FRAG_PID" 2>/dev/null; then
			wait "$FRAG_PID"
			_st=$?
			exec 9>&-
			FRAG_PID=
			_frag_err "$2 exited with status $_st: $(tail -n 1 "$FRAG_TMP/log")"
			return 1
		fi
		_t=$((_t + 1))
		if [ $_t -gt $((${FRAG_TIMEOUT:-600} * 5)) ]; then
			_frag_err "$2 did not hold within ${FRAG_TIMEOUT:-600} s"
			frag_stop
			return 1
		fi
		sleep 0.2
	done
}

frag_stop() {
	[ -n "$FRAG_PID" ] || return 0
	echo >&9 2>/dev/null
	exec 9>&-
	_t=0
	while kill -0 "$FRAG_PID" 2>/dev/null && [ $_t -lt 50 ]; do
		sleep 0.2
		_t=$((_t + 1))
	done
	kill -TERM "$FRAG_PID" 2>/dev/null
	wait "$FRAG_PID"
	_st=$?
	FRAG_PID=
	rm -rf "$FRAG_TMP"
	return $_st
}

frag_pin_on() {
	_frag_pin_old=$(cat /proc/sys/vm/compact_unevictable_allowed 2>/dev/null) ||
		{ _frag_err "no vm.compact_unevictable_allowed"; return 1; }
	echo 0 >/proc/sys/vm/compact_unevictable_allowed
}

frag_pin_off() {
	[ -n "${_frag_pin_old:-}" ] || return 0
	echo "$_frag_pin_old" >/proc/sys/vm/compact_unevictable_allowed
}

# errno names for the messages a failed write prints (glibc's strerror).
_frag_errno() {
	case $1 in
	*"Cannot allocate memory"*) echo ENOMEM ;;
	*"Invalid argument"*) echo EINVAL ;;
	*"Numerical result out of range"*) echo ERANGE ;;
	*"Argument list too long"*) echo E2BIG ;;
	*"File too large"*) echo EFBIG ;;
	*"Operation not permitted"*) echo EPERM ;;
	*"Permission denied"*) echo EACCES ;;
	*"Bad address"*) echo EFAULT ;;
	*"No such device"*) echo ENODEV ;;
	*"Device or resource busy"*) echo EBUSY ;;
	*"Interrupted system call"*) echo EINTR ;;
	*) echo EOTHER ;;
	esac
}

# _frag_try PHASE ALLOCATOR SIZE ORDER CMD: one attempt, one CSV row.
_frag_try() {
	if { echo "$5" >/proc/pagetable; } 2>"$FRAG_TMP/werr"; then
		# Read the rows back, as a user of the interface would; the
		# module frees the allocation when it is done with it.
		cat /proc/pagetable >/dev/null 2>&1
		echo "$1,$2,$3,$4,1," >>"$_out"
		return 0
	fi
	echo "$1,$2,$3,$4,0,$(_frag_errno "$(cat "$FRAG_TMP/werr")")" >>"$_out"
	return 1
}

frag_kernel_probe() {
	_ph=$1 _dir=$2
	[ -n "$_ph" ] && [ -d "$_dir" ] || { _frag_err "usage: frag_kernel_probe PHASE DIR"; return 2; }
	[ -w /proc/pagetable ] || { _frag_err "no /proc/pagetable: load ptwalk.ko first"; return 1; }
	mkdir -p "$FRAG_TMP" || return 1
	_out=$_dir/allocs.$_ph.csv.tmp
	echo "phase,allocator,size_bytes,order,ok,errno" >"$_out"
	_max=$(frag_max_order)
	_o=0
	while [ $_o -le "$_max" ]; do
		_frag_try "$_ph" kmalloc $((4096 << _o)) $_o "kmalloc $((4096 << _o))" || break
		_o=$((_o + 1))
	done
	_o=0
	while [ -n "${FRAG_VMAX:-}" ] && [ $((4096 << _o)) -le "$FRAG_VMAX" ]; do
		_frag_try "$_ph" vmalloc $((4096 << _o)) $_o "vmalloc $((4096 << _o))" || break
		_o=$((_o + 1))
	done
	_o=0
	while [ $_o -le "$_max" ]; do
		_frag_try "$_ph" alloc_pages $((4096 << _o)) $_o "alloc_pages $_o"
		_o=$((_o + 1))
	done
	# ptwalk.ko keeps the last allocation until the next command: leave
	# it one page, not a high-order block that a later phase would find
	# free again the moment it asks.
	frag_kernel_shrink
	cp /proc/vmstat "$_dir/vmstat.$_ph.probed.txt" 2>/dev/null
	echo "$_ph.probed" >>"$_dir/snapshots.txt"
	rm -f "$FRAG_TMP/werr"
	mv "$_out" "$_dir/allocs.$_ph.csv"
}

frag_kernel_shrink() {
	[ -w /proc/pagetable ] || return 0
	{ echo "kmalloc 4096" >/proc/pagetable; } 2>/dev/null
}
