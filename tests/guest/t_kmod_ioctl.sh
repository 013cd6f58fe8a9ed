#!/bin/sh
# tests/guest/t_kmod_ioctl.sh - /dev/ptwalk under abuse, and racing users.
#
# 10,000 random IOCTL_GET_PFN and IOCTL_XLATE calls (own pages, unmapped,
# kernel-half, non-canonical, overflowing VPNs) with the right errno
# classes; targets that exit while being translated; IOCTL_XLATE_BATCH:
# its records against IOCTL_XLATE and pagemap, every bad call with its
# errno, a short count when a user array faults after the first chunk,
# and 6 threads sharing one fd while its target is reset, a region is
# mapped and unmapped and children exit, with a clean kernel log; opening without
# privilege (EACCES from the 0600 node, EPERM from the module itself on a
# node anyone may open); two /proc/pagetable writers at once with a reader
# that must always see one whole result; a `pid` walk whose target is
# killed in the middle.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"
kmod_load

# The random calls: ioctl_stress checks each against the answer it knows.
"$TBIN/ioctl_stress" fuzz -n 10000 -s "$(date +%s)" >"$TMP/fuzz" 2>&1
st=$?
cat "$TMP/fuzz"
calls=$(awk '/^class / { n += $3 } END { print n + 0 }' "$TMP/fuzz")
wrong=$(awk '/^class / { n += $5 } END { print n + 0 }' "$TMP/fuzz")
if [ "$st" = 0 ] && [ "$calls" = 20000 ] && [ "$wrong" = 0 ]; then
	pass "ioctl fuzz: 10000 VPNs, $calls calls, every errno right"
else
	fail "ioctl fuzz: exit $st, $calls calls, $wrong wrong"
fi
check_eq "ioctl no target: ESRCH" "$(sed -n 's/^no target: //p' "$TMP/fuzz")" ESRCH
check_eq "ioctl set missing pid: ESRCH" "$(sed -n 's/^set missing pid: //p' "$TMP/fuzz")" ESRCH

# race NAME CLASS ARGS...: ioctl_stress CLASS ARGS; its "class CLASS: ..."
# line must end in " 0 wrong" with some ESRCH (targets did exit).
race() {
	_n=$1 _c=$2
	shift 2
	"$TBIN/ioctl_stress" "$_c" "$@" >"$TMP/race" 2>&1
	_st=$?
	cat "$TMP/race"
	if [ "$_st" = 0 ] && grep -q ' 0 wrong$' "$TMP/race" && ! grep -q ' 0 ESRCH' "$TMP/race"; then
		pass "$_n: $(sed -n "s/^class $_c: //p" "$TMP/race")"
	else
		fail "$_n: exit $_st: $(tr '\n' ' ' <"$TMP/race" | head -c 400)"
	fi
}
race "ioctl exiting targets" exitrace -n 30

# IOCTL_XLATE_BATCH: each line is what ioctl_stress batch found (an
# errno name, or what it counted); the module's chunk is 64 VPNs, so an
# array that faults after 64 gives a short count of 64.
n0=$(dmesg | wc -l)
"$TBIN/ioctl_stress" batch >"$TMP/batch" 2>&1
check_eq "batch helper exit" "$?" 0
while IFS= read -r want; do
	name=${want%%: *}
	check_eq "ioctl $name" "$(awk -v n="$name: " 'index($0, n) == 1' "$TMP/batch")" "$want"
done <<'EOF'
batch no target: ESRCH
batch array: r=67 done=67 pagemap=64/64 xlate=67/67 enoent=1 einval=2 canary=ok
batch range: r=64 done=64 pagemap=64/64
batch max count: r=65536 done=65536 pagemap=64/64
batch range of the last VPN: r=1 error=EINVAL
batch vpns fault after 64: r=64 done=64 pagemap=64/64
batch vpns fault, from there: EFAULT
batch recs fault after 64: r=64 done=64
batch good: 4
batch reserved[0] 1: EINVAL
batch reserved[1] 1<<63: EINVAL
batch flags 2: EINVAL
batch flags 1<<31: EINVAL
batch count 0: EINVAL
batch count max+1: E2BIG
batch count 2^32-1: E2BIG
batch range with vpns: EINVAL
batch array with start: EINVAL
batch range past 2^64: EINVAL
batch pid 2^31: EINVAL
batch pid of a kernel thread: ESRCH
batch vpns NULL: EFAULT
batch recs NULL: EFAULT
batch range, recs NULL: EFAULT
batch vpns unmapped: EFAULT
batch recs unmapped: EFAULT
batch vpns kernel VA: EFAULT
batch recs kernel VA: EFAULT
batch vpns non-canonical: EFAULT
batch recs read-only: EFAULT
batch struct read-only: EFAULT
batch struct NULL: EFAULT
batch struct kernel VA: EFAULT
batch pid gone: ESRCH
batch pid named, no target: r=4 pagemap=4/4
EOF
race "batch race on one fd" batchrace -t 6 -n 80
dmesg | tail -n +$((n0 + 1)) | grep -Ew 'BUG|WARNING|Oops|general protection|Call Trace|use-after-free|Poison overwritten' >"$TMP/bad"
check_eq "batch calls: dmesg clean" "$(head -n 2 "$TMP/bad" | tr '\n' ' ')" ""

# pfn_ioctl's errors name the VPN and the errno text.
"$BIN/pfn_ioctl" $$ 0x1 >/dev/null 2>"$TMP/err"
check_eq "pfn_ioctl unmapped VPN" "$(cat "$TMP/err")" "pfn_ioctl: VPN 0x1: No such file or directory"
"$BIN/pfn_ioctl" $$ 0xfffffffffffff >/dev/null 2>"$TMP/err"
check_eq "pfn_ioctl kernel VPN" "$(cat "$TMP/err")" "pfn_ioctl: VPN 0xfffffffffffff: Invalid argument"
"$BIN/pfn_ioctl" 4000000 1 >/dev/null 2>"$TMP/err"
check_eq "pfn_ioctl missing PID" "$?:$(cat "$TMP/err")" "1:pfn_ioctl: PID 4000000: No such process"
# --batch and --range: the same errors, from the records.
"$BIN/pfn_ioctl" -B $$ 0x1 0xfffffffffffff >/dev/null 2>"$TMP/err"
check_eq "pfn_ioctl --batch unmapped and kernel VPNs" "$?:$(tr '\n' ';' <"$TMP/err")" \
	"1:pfn_ioctl: VPN 0x1: No such file or directory;pfn_ioctl: VPN 0xfffffffffffff: Invalid argument;"
"$BIN/pfn_ioctl" --range $$ 0x1 2 >/dev/null 2>"$TMP/err"
check_eq "pfn_ioctl --range of 2 unmapped pages" "$?:$(tr '\n' ';' <"$TMP/err")" \
	"1:pfn_ioctl: VPN 0x1: No such file or directory;pfn_ioctl: VPN 0x2: No such file or directory;"

# Privilege: the node is root's 0600; a node anyone may open reaches the
# module's own CAP_SYS_ADMIN check.
check_eq "dev mode" "$(ls -l /dev/ptwalk | cut -c1-10)" crw-------
check_eq "open /dev/ptwalk as nobody: EACCES" "$("$TBIN/ioctl_stress" open-as 65534 /dev/ptwalk)" EACCES
check_eq "open /proc/pagetable as nobody: EACCES" "$("$TBIN/ioctl_stress" open-as 65534 /proc/pagetable)" EACCES
dev=$(cat /sys/class/misc/ptwalk/dev)
chmod 711 "$TMP"
mknod "$TMP/ptwalk" c "${dev%%:*}" "${dev##*:}" && chmod 666 "$TMP/ptwalk"
check_eq "open a 0666 ptwalk node as nobody: EPERM" "$("$TBIN/ioctl_stress" open-as 65534 "$TMP/ptwalk")" EPERM
check_eq "open a 0666 ptwalk node as root: ok" "$("$TBIN/ioctl_stress" open-as 0 "$TMP/ptwalk")" ok
rm -f "$TMP/ptwalk"

# Two writers at once, and a reader that must see whole results only.
writer() {	# CMD N OUT
	_i=0
	while [ $_i -lt "$2" ]; do
		kmod_cmd "$1" >>"$3"
		_i=$((_i + 1))
	done
}
: >"$TMP/wa"; : >"$TMP/wb"; : >"$TMP/rd"
kmod_cmd "kmalloc 64K" >/dev/null   # so that every snapshot has 16 rows
writer "kmalloc 64K" 40 "$TMP/wa" &
pa=$!
writer "vmalloc 64K" 40 "$TMP/wb" &
pb=$!
while kill -0 $pa 2>/dev/null || kill -0 $pb 2>/dev/null; do
	cat /proc/pagetable >"$TMP/snap"
	# Header and 16 rows of one allocator, pages 0..15 in order.
	awk -F, 'NR > 1 { n++; a[$2]++; if ($5 != n - 1) bad++ }
		END { k = 0; for (x in a) k++; print (n == 16 && k == 1 && !bad) ? "whole" : "torn " n " " k }' \
		"$TMP/snap" >>"$TMP/rd"
done
wait $pa $pb
check_eq "two writers: all 80 commands ok" "$(grep -c '^ok$' "$TMP/wa" "$TMP/wb" | awk -F: '{ n += $2 } END { print n }')" 80
check_eq "two writers: reader saw whole results only ($(wc -l <"$TMP/rd") reads)" "$(grep -v '^whole$' "$TMP/rd" | sort | uniq -c | tr '\n' ' ')" ""

# A target killed while the module walks it: the walk holds the mm, so it
# ends ok, or ESRCH when the kill came first; never a crash.  Three kill
# delays, so that some kills land mid-walk.
for delay in 0 0.02 0.2; do
	rm -f "$TMP/in"
	mkfifo "$TMP/in"
	"$BIN/memalloc" -q -b 1G -m 256M -o "$TMP/big.csv" --hold <"$TMP/in" >"$TMP/out" 2>&1 &
	mp=$!
	exec 3>"$TMP/in"
	if ! wait_ready "$TMP/out" "$mp"; then
		exec 3>&-
		fail "target killed after ${delay}s: memalloc never got ready ($(head -c 200 "$TMP/out"))"
		continue
	fi
	kmod_cmd "pid $mp" >"$TMP/walk" &
	wp=$!
	sleep $delay
	kill -9 $mp
	wait $wp
	exec 3>&-
	wait $mp 2>/dev/null
	got=$(cat "$TMP/walk")
	kmod_read "$TMP/after"
	case $got in
	ok|ESRCH|EINTR) pass "target killed after ${delay}s of its pid walk: $got ($(($(wc -l <"$TMP/after") - 1)) rows)" ;;
	*) fail "target killed after ${delay}s of its pid walk: $got" ;;
	esac
	check_eq "after the kill, pid walk: ESRCH" "$(kmod_cmd "pid $mp")" ESRCH
done
