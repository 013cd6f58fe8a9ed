#!/bin/sh
# bench/guest/chan.sh - measure the data channel (virtio-9p at $OUT).
#
# Writes CHAN_MB (50) MiB to $OUT with three write sizes, copies a real
# samples CSV (memalloc, CHAN_CSV_SIZE 256M of block memory) to $OUT plain
# and gzip'd, and writes the timings to $OUT/chan.txt (KEY=VALUE) so a plan
# author can tell whether to write CSV to /tmp and copy, or gzip first.
# Times come from /proc/uptime (10 ms resolution).
. "${PLAN_LIB:-/plans/lib.sh}"

mb=${CHAN_MB:-50}
res=$OUT/chan.txt.tmp
: >"$res"

timed() {	# KEY BYTES CMD...: run CMD, record seconds and MB/s
	_k=$1 _b=$2
	shift 2
	_t0=$(uptime_s)
	"$@" || return 1
	sync
	_t1=$(uptime_s)
	awk -v k="$_k" -v b="$_b" -v a="$_t0" -v z="$_t1" 'BEGIN {
		s = z - a; if (s < 0.01) s = 0.01
		printf "%s_S=%.2f\n%s_MBPS=%.1f\n", k, s, k, b / 1048576 / s }' >>"$res"
	tail -n 2 "$res" | tr '\n' ' ' >&2
	echo >&2
}

bytes=$((mb * 1048576))
write_meta "$OUT/meta.txt"
step "zero fill to tmpfs (memory speed of this guest)"
timed TMPFS_1M $bytes dd if=/dev/zero of=/tmp/z bs=1M count="$mb" 2>/dev/null
rm -f /tmp/z
for bs in 4k 64k 1M; do
	case $bs in 4k) n=$((mb * 256)) ;; 64k) n=$((mb * 16)) ;; 1M) n=$mb ;; esac
	step "$mb MiB to 9p in ${bs} writes"
	timed "NINEP_$(echo $bs | tr a-z A-Z)" $bytes dd if=/dev/zero of="$OUT/chan.bin" bs=$bs count=$n 2>/dev/null
	rm -f "$OUT/chan.bin"
done

if command -v memalloc >/dev/null; then
	step "memalloc -b 1G -m ${CHAN_CSV_SIZE:-256M} to tmpfs"
	t0=$(uptime_s)
	memalloc -q -b 1G -m "${CHAN_CSV_SIZE:-256M}" -o /tmp/s.csv || exit 1
	csvb=$(wc -c </tmp/s.csv)
	echo "CSV_BYTES=$csvb" >>"$res"
	echo "CSV_ROWS=$(($(wc -l </tmp/s.csv) - 1))" >>"$res"
	echo "CSV_GEN_S=$(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.2f", b - a }')" >>"$res"
	step "CSV ($csvb bytes) to 9p"
	timed CSV_CP "$csvb" cp /tmp/s.csv "$OUT/s.csv"
	rm -f "$OUT/s.csv"
	step "CSV to 9p with dd bs=1M"
	timed CSV_DD1M "$csvb" dd if=/tmp/s.csv of="$OUT/s.csv" bs=1M 2>/dev/null
	step "CSV gzip -1 to 9p"
	timed CSV_GZIP1 "$csvb" sh -c 'gzip -1 -c /tmp/s.csv >"$OUT/s.csv.gz"'
	echo "CSV_GZ_BYTES=$(wc -c <"$OUT/s.csv.gz")" >>"$res"
	rm -f /tmp/s.csv "$OUT/s.csv" "$OUT/s.csv.gz"
else
	echo "CSV: memalloc not packed, skipped" >&2
fi
mv "$res" "$OUT/chan.txt"
cat "$OUT/chan.txt"
