#!/bin/sh
# tests/guest/t_kmod_size.sh - the module's size parser on the shared cases.
#
# The module cannot link collect/size.c, so kmod/procfs.c has its own copy
# of the size grammar; this holds it to tests/guest/size_cases.txt, the
# cases tests/t_sizes.sh holds user space's parser to.  Each case is
# written as "kmalloc SIZE": a bad size must fail with EINVAL and one log
# line "kmalloc: 'SIZE' is not a size"; a good one must either allocate
# that many bytes (size_bytes of its rows) or, too large for kmalloc, be
# refused for its size (ENOMEM: there is no row cap, so no E2BIG) with a
# log line that names that many bytes, never as "not a size".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"
kmod_load

cases=$(dirname "$0")/size_cases.txt
n=0
# One read of the whole kernel log a case (it is large by now in the
# suite, and slow to read under TCG): the lines past the last count.
n0=$(kmod_loglines)
while read -r in want; do
	case $in in '#'*|'') continue ;; esac
	n=$((n + 1))
	got=$(kmod_cmd "kmalloc $in")
	dmesg | grep '\] ptwalk: ' >"$TMP/all"
	n1=$(wc -l <"$TMP/all")
	tail -n $((n1 - n0)) "$TMP/all" >"$TMP/log"
	notsize=$(grep -cF "kmalloc: '$in' is not a size" "$TMP/log")
	if [ "$want" = bad ]; then
		check_eq "kmod size '$in' is refused as not a size" "$got $((n1 - n0)) $notsize" "EINVAL 1 1"
	elif [ "$got" = ok ]; then
		check_eq "kmod size '$in' is $want bytes" "$(head -n 2 /proc/pagetable | tail -n 1 | cut -d, -f3)" "$want"
	else
		# The refusal's log line names the size as parsed: "kmalloc N: ...".
		case $got in ENOMEM) ok=1 ;; *) ok=0 ;; esac
		check_eq "kmod size '$in' is $want bytes, too many for kmalloc ($got)" \
			"$ok $notsize $(grep -cF "kmalloc $want: " "$TMP/log")" "1 0 1"
	fi
	n0=$n1
done <"$cases"
check "kmod size cases: at least 40 read" [ "$n" -ge 40 ]
