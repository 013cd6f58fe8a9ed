#!/bin/sh
# bench/guest/zero_hold.sh - plan library for the guest benchmarks: a process holding zero pages, and a clock.
#
# Sourced by bench/guest/walk.sh and bench/guest/xlate_batch.sh; it runs
# nothing itself.
#   now_ns            nanoseconds, from date when busybox has %N, else
#                     from /proc/uptime
#   zero_hold GIB     starts pt_stream -H -z GIB -w 1 (GIB mapped PROT_READ,
#                     MAP_NORESERVE, MADV_NOHUGEPAGE, every page read-faulted:
#                     the shared zero page, page tables only), its standard
#                     input on fd 3, and waits until it is ready: sets
#                     ZH_PID and ZH_LO, ZH_HI (the region's bounds); status 1,
#                     with one stderr line, if it never got ready
#   zero_release      closes fd 3, so pt_stream exits, and waits for it

now_ns() {
	_t=$(date +%s%N 2>/dev/null)
	case $_t in *N*|'') awk '{ printf "%.0f\n", $1 * 1e9 }' /proc/uptime ;; *) echo "$_t" ;; esac
}

zero_hold() {
	rm -f /tmp/zh.in
	mkfifo /tmp/zh.in
	pt_stream -H -z "$1" -w 1 </tmp/zh.in >/tmp/zh.ready 2>/tmp/zh.err &
	ZH_PID=$!
	exec 3>/tmp/zh.in
	_n=0
	until grep -q '^ready' /tmp/zh.ready 2>/dev/null; do
		_n=$((_n + 1))
		if [ $_n -ge 36000 ] || ! kill -0 "$ZH_PID" 2>/dev/null; then
			echo "zero_hold: pt_stream -z $1 did not get ready: $(cat /tmp/zh.err)" >&2
			zero_release
			return 1
		fi
		sleep 0.1
	done
	read -r _ ZH_LO ZH_HI </tmp/zh.ready
}

zero_release() {
	exec 3>&-
	wait "$ZH_PID" 2>/dev/null
}
