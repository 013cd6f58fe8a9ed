#!/bin/bash
# tests/t_vm_frag.sh - fragmentation in the guest, and the analyzer against the kernel.
#
# Boots the guest with plan frag_check (fresh snapshot, `fragment`,
# fragmented snapshot, kernel probe, released snapshot) into
# build/vm/frag-check, then checks: the run was clean; the fragmenter made
# the free blocks of order >= 9 drop; the unusable index at order 9 went
# up; the analyzer's frag.csv (build/bin/analyze on the buddyinfo
# snapshots) prints the same unusable_index and frag_index as the kernel's
# debugfs extfrag/ files for every zone and order of every phase, digit
# for digit; and so does an independent awk rendering of mm/vmstat.c's
# integer arithmetic (which also proves each snapshot is one state); the
# kernel probe files are well formed, and an allocation of order >= 9
# failed when fragmented but none did fresh.  PLAN_ENV passes through (FRAG_PCT=..., see the plan).
. "$(dirname "$0")/lib.sh"

need_vm "frag vm"

dir=$ROOT/build/vm/frag-check
rm -rf "$dir"
mkdir -p "$dir"
st=0
PAGING=${PAGING:-4} SLUB_DEBUG=1 VM_TIMEOUT=${VM_TEST_TIMEOUT:-900} TARGET=vm \
	"$ROOT/vm/run.sh" frag_check "$dir" >"$TMP/run.out" 2>"$TMP/run.err" || st=$?
grep -E '^(accel|boot|total):' "$TMP/run.out" | sed 's/^/frag /'
if [ "$st" = 0 ]; then
	pass "frag vm/run.sh frag_check ($(grep -c . "$dir/dmesg.txt") dmesg lines, clean)"
else
	fail "frag vm/run.sh frag_check: exit $st: $(grep -v '^  ' "$TMP/run.err" | head -n 3 | tr '\n' ' ')"
fi
[ -f "$dir/frag.txt" ] && sed -n 's/^FRAG_STATUS=/frag fragmenter: /p' "$dir/frag.txt"

phases="fresh fragmented released"
for ph in $phases; do
	for f in buddyinfo extfrag_unusable extfrag_index pagetypeinfo; do
		if [ ! -s "$dir/$f.$ph.txt" ]; then
			fail "frag files: no $f.$ph.txt in $dir"
			exit 0
		fi
	done
done
pass "frag files: buddyinfo, extfrag and pagetypeinfo snapshots for $phases"

# Free blocks of order >= 9, all zones.
high() { awk '/zone/ { for (i = 14; i <= NF; i++) s += $i } END { print s + 0 }' "$1"; }
h_fresh=$(high "$dir/buddyinfo.fresh.txt")
h_frag=$(high "$dir/buddyinfo.fragmented.txt")
if [ "$h_fresh" -gt 0 ] && [ $((h_frag * 2)) -lt "$h_fresh" ]; then
	pass "frag order>=9 free blocks drop: fresh $h_fresh, fragmented $h_frag, released $(high "$dir/buddyinfo.released.txt")"
else
	fail "frag order>=9 free blocks drop: fresh $h_fresh, fragmented $h_frag (want less than half)"
fi

# Unusable index at order 9 of the zone with the most free memory when
# fresh (the zone the fragmenter drew on), from debugfs.
zone=$(awk '/zone/ { s = 0; for (i = 5; i <= NF; i++) s += $i * 2 ^ (i - 5)
	if (s > m) { m = s; z = $4 } } END { print z }' "$dir/buddyinfo.fresh.txt")
u9() { awk -v z="$zone" '$4 == z { print $14 }' "$dir/extfrag_unusable.$1.txt"; }
u_fresh=$(u9 fresh) u_frag=$(u9 fragmented)
if awk -v a="$u_fresh" -v b="$u_frag" 'BEGIN { exit !(a != "" && b != "" && b + 0 > a + 0) }'; then
	pass "frag unusable index order 9 ($zone) rises: fresh $u_fresh, fragmented $u_frag, released $(u9 released)"
else
	fail "frag unusable index order 9 ($zone): fresh '$u_fresh', fragmented '$u_frag' (want a rise)"
fi

# compare PHASE UNUSABLE INDEX FRAGCSV: every debugfs value against the
# frag.csv row of the same phase, node, zone and order, as printed text.
# Prints "N" (values compared) or the first mismatches.
compare() {
	awk -F, -v ph="$1" '
	FNR == 1 { file++ }
	file <= 2 {
		# "Node 0, zone   DMA32 0.000 0.981 ...": orders from field 5.
		if ($0 !~ /^Node /) next
		split($0, w, " ")
		node = w[2]; sub(/,$/, "", node)
		for (i = 5; i in w; i++) {
			k = node SUBSEP w[4] SUBSEP (i - 5)
			want[file, k] = w[i]
			keys[k] = 1
		}
		next
	}
	FNR == 1 { next }
	$1 == ph { got_u[$2 SUBSEP $3 SUBSEP $4] = $7; got_f[$2 SUBSEP $3 SUBSEP $4] = $8 }
	END {
		for (k in keys) {
			split(k, p, SUBSEP)
			where = "node " p[1] " " p[2] " order " p[3]
			if (!(k in got_u)) { bad++; msg = msg where ": no frag.csv row; " ; continue }
			if (got_u[k] != want[1, k]) { bad++; msg = msg where ": unusable " got_u[k] " vs debugfs " want[1, k] "; " }
			if (got_f[k] != want[2, k]) { bad++; msg = msg where ": frag " got_f[k] " vs debugfs " want[2, k] "; " }
			n += 2
		}
		if (bad) { print substr(msg, 1, 400); exit 1 }
		print n + 0
	}' "$2" "$3" "$4"
}

# The kernel's arithmetic (mm/vmstat.c fill_contig_page_info,
# unusable_free_index, __fragmentation_index, and the "%d.%03d" printing)
# redone in awk from buddyinfo, as frag.csv rows: a check of the snapshots
# and of this test's reading of debugfs, independent of the analyzer.
derive() {	# PHASE BUDDYINFO
	awk -v ph="$1" '
	function kfmt(v,   q, r) { q = int(v / 1000); r = v - q * 1000
		return sprintf("%d.%03d", q, r) }
	BEGIN { print "phase,node,zone,order,free_blocks,free_pages,unusable_index,frag_index" }
	/zone/ {
		node = $2; sub(/,$/, "", node)
		n = NF - 4; fp = 0; tot = 0
		for (k = 0; k < n; k++) { c[k] = $(5 + k); fp += c[k] * 2 ^ k; tot += c[k] }
		for (j = 0; j < n; j++) {
			s = 0
			for (k = j; k < n; k++) s += c[k] * 2 ^ (k - j)
			u = fp == 0 ? 1000 : int((fp - s * 2 ^ j) * 1000 / fp)
			if (tot == 0) f = 0
			else if (s > 0) f = -1000
			else f = 1000 - int((1000 + int(fp * 1000 / 2 ^ j)) / tot)
			printf "%s,%s,%s,%d,%d,%d,%s,%s\n", ph, node, $4, j, c[j], fp, kfmt(u), kfmt(f)
		}
	}' "$2"
}

for ph in $phases; do
	derive "$ph" "$dir/buddyinfo.$ph.txt" >"$TMP/derived.$ph.csv"
	if out=$(compare "$ph" "$dir/extfrag_unusable.$ph.txt" "$dir/extfrag_index.$ph.txt" "$TMP/derived.$ph.csv"); then
		pass "frag $ph: buddyinfo arithmetic == debugfs ($out values)"
	else
		fail "frag $ph: buddyinfo arithmetic != debugfs: $out"
	fi
done

if [ -x "$BIN/analyze" ]; then
	if $WRAP "$BIN/analyze" -o "$TMP/an" "$dir"/buddyinfo.*.txt >"$TMP/an.out" 2>"$TMP/an.err" &&
		[ -s "$TMP/an/frag.csv" ]; then
		for ph in $phases; do
			if out=$(compare "$ph" "$dir/extfrag_unusable.$ph.txt" "$dir/extfrag_index.$ph.txt" "$TMP/an/frag.csv"); then
				pass "frag $ph: analyze frag.csv == debugfs ($out values)"
			else
				fail "frag $ph: analyze frag.csv != debugfs: $out"
			fi
		done
	else
		fail "frag analyze: exit or no frag.csv: $(head -c 200 "$TMP/an.err")"
	fi
else
	skip "frag analyze == debugfs: no $BIN/analyze (make all)"
fi

# Kernel probe: present only when ptwalk.ko has /proc/pagetable.
if [ -f "$dir/allocs.fresh.csv" ] && [ -f "$dir/allocs.fragmented.csv" ]; then
	hdr=phase,allocator,size_bytes,order,ok,errno
	bad=$(awk -F, -v hdr="$hdr" 'FNR == 1 { if ($0 != hdr) print FILENAME ": header " $0; next }
		NF != 6 || $5 !~ /^[01]$/ || ($5 == 1) != ($6 == "") || $2 !~ /^(kmalloc|alloc_pages)$/ {
			print FILENAME ":" FNR ": " $0 }' "$dir/allocs.fresh.csv" "$dir/allocs.fragmented.csv" | head -n 3)
	if [ -z "$bad" ]; then pass "frag allocs csv well formed"; else fail "frag allocs csv: $bad"; fi
	top() { awk -F, -v a="$1" '$2 == a && $5 == 1 && $4 + 0 > m { m = $4 + 0 } $2 == a && $5 == 1 { ok = 1 }
		END { print ok ? m : -1 }' "$2"; }
	ap_fresh=$(top alloc_pages "$dir/allocs.fresh.csv") ap_frag=$(top alloc_pages "$dir/allocs.fragmented.csv")
	km_fresh=$(top kmalloc "$dir/allocs.fresh.csv") km_frag=$(top kmalloc "$dir/allocs.fragmented.csv")
	echo "frag largest order that succeeded: alloc_pages fresh $ap_fresh fragmented $ap_frag; kmalloc fresh $km_fresh fragmented $km_frag"
	# Whether compaction can still clear one block depends on where the
	# few movable pages left sit; an order >= 9 failure must show up.
	f_fresh=$(awk -F, '$4 >= 9 && $5 == 0' "$dir/allocs.fresh.csv" | wc -l)
	f_frag=$(awk -F, '$4 >= 9 && $5 == 0 { printf "%s %s (%s); ", $2, $4, $6 }' "$dir/allocs.fragmented.csv")
	if [ "$f_fresh" = 0 ] && [ -n "$f_frag" ]; then
		pass "frag order>=9 allocations fail only when fragmented: $f_frag"
	else
		fail "frag order>=9 allocation failures: fresh $f_fresh, fragmented '${f_frag}' (want 0 and some)"
	fi
else
	skip "frag kernel probe: no allocs.*.csv (ptwalk.ko without /proc/pagetable?)"
fi
