#!/bin/sh
# tests/guest/t_kmod_race.sh - readers and writers sharing one open file.
#
# Issue 11, item 1: a write on /proc/pagetable replaces the open file's
# result while a thread or a forked child reads through the same file.
# pt_race (tests/helpers/) runs 3000 rounds with threads (two writers and
# a reader on one fd), 3000 with processes after fork, and 3 rounds of the
# large case (vmalloc 256M, a child reading 1 MiB at 0, kmalloc 4K 0.3 s
# later).  Every read must be one whole result, and the kernel log must
# show no use-after-free, double free, oops or Call Trace (t_vm.sh boots
# with slub_debug, which poisons freed objects).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"

[ -x "$BIN/pt_race" ] || { skip "race: no $BIN/pt_race (make build-all)"; exit 0; }
# A quiet console: the commands' log lines would go to the serial port.
cons=$(cut -f1 /proc/sys/kernel/printk)
echo 4 >/proc/sys/kernel/printk
trap 'echo "$cons" >/proc/sys/kernel/printk; kmod_exit' EXIT
kmod_load log_pages=0

BADPAT='BUG|WARNING|Oops|general protection|Call Trace|double free|use-after-free|Poison overwritten|Object already free'
for run in "threads -n 3000" "fork -n 3000" "large -n 3"; do
	n0=$(dmesg | wc -l)
	# shellcheck disable=SC2086 # mode and options
	"$BIN/pt_race" $run >"$TMP/out" 2>&1
	st=$?
	dmesg | tail -n +$((n0 + 1)) | grep -Ew "$BADPAT" >"$TMP/bad"
	if [ -s "$TMP/bad" ]; then
		fail "race $run: the kernel log says $(head -n 2 "$TMP/bad" | sed 's/^\[[^]]*\] //' | tr '\n' ' ')"
	elif [ "$st" != 0 ]; then
		fail "race $run: exit $st: $(tail -n 3 "$TMP/out" | tr '\n' ' ')"
	else
		pass "race $run: $(tail -n 1 "$TMP/out"), dmesg clean"
	fi
done
