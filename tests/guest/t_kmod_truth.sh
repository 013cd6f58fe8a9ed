#!/bin/sh
# tests/guest/t_kmod_truth.sh - three independent translations agree.
#
# For memalloc --hold in modes 4K, 1G, thp and hugetlb, every present page
# of its output is translated again by the module's `pid PID` walk
# (/proc/pagetable) and by IOCTL_GET_PFN (pfn_ioctl), and also with
# IOCTL_XLATE for the leaf level and the raw entries, and with
# IOCTL_XLATE_BATCH in both its forms (pfn_ioctl --batch: the VPNs as an
# array; pfn_ioctl --range: every page from the lowest to the highest):
# the PAs must be equal on every page, so must the pid walk's pgd..pte
# entries, XLATE's and the batches' (each VA walked alone from the pgd),
# and the leaf level must fit the mode (pte
# for 1G, whose block has THP off, pmd for hugetlb and for THP when the
# kernel gave huge pages).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"
kmod_load

if [ ! -x "$BIN/memalloc" ] || [ ! -x "$BIN/pfn_ioctl" ]; then
	skip "kmod truth: memalloc or pfn_ioctl is not packed"
	exit 0
fi

hp_old=$(cat /proc/sys/vm/nr_hugepages)
trap 'echo "$hp_old" >/proc/sys/vm/nr_hugepages; kmod_exit' EXIT

truth() {	# MODE SIZE WANT_LEVEL (pte, pmd, or thp: pmd if any thp row)
	_m=$1 _d=$TMP/$1
	mkdir -p "$_d"
	mkfifo "$_d/in"
	"$BIN/memalloc" -q -b "$1" -m "$2" -o "$_d/user.csv" --hold <"$_d/in" >"$_d/out" 2>"$_d/err" &
	_pid=$!
	exec 3>"$_d/in"
	if ! wait_ready "$_d/out" "$_pid"; then
		fail "truth $_m: memalloc -b $1 -m $2 never got ready: $(head -c 200 "$_d/err")"
		exec 3>&-
		wait "$_pid"
		return
	fi
	_got=$(kmod_cmd "pid $_pid")
	kmod_read "$_d/kmod.csv"
	# Every present user page, by VA, through IOCTL_XLATE (level too).
	tail -n +2 "$_d/user.csv" | awk -F, '$7 != "" { print $6 }' >"$_d/vas"
	"$BIN/pfn_ioctl" -a "$_pid" - <"$_d/vas" >"$_d/ioctl.txt" 2>"$_d/ioctl.err"
	_st1=$?
	"$BIN/pfn_ioctl" -a -x "$_pid" - <"$_d/vas" >"$_d/xlate.txt" 2>>"$_d/ioctl.err"
	_st2=$?
	"$BIN/pfn_ioctl" -a -x --batch "$_pid" - <"$_d/vas" >"$_d/batch.txt" 2>>"$_d/ioctl.err"
	_st3=$?
	# The range form over the span of the pages (the VAs have 16 hex
	# digits, so they sort as numbers); pages between them that are not
	# memalloc's may be absent: ENOENT lines, nothing else.
	_lo=$(sort "$_d/vas" | head -n 1)
	_rn=$(( ($(sort "$_d/vas" | tail -n 1) - $_lo) / 4096 + 1 ))
	"$BIN/pfn_ioctl" -a -x --range "$_pid" "$_lo" "$_rn" >"$_d/range.txt" 2>"$_d/range.err"
	exec 3>&-
	wait "$_pid"
	check_eq "truth $_m: pid walk command" "$_got" ok
	check_eq "truth $_m: pfn_ioctl exit (GET_PFN, XLATE, --batch)" "$_st1$_st2$_st3" 000
	check_eq "truth $_m: pfn_ioctl --range of $_rn pages: a line for each, errors ENOENT only" \
		"$(($(wc -l <"$_d/range.txt") + $(wc -l <"$_d/range.err"))) $(grep -vc ': No such file or directory$' "$_d/range.err")" "$_rn 0"
	# A batch's lines that are XLATE's byte for byte (the usual case) need
	# no look line by line, which is slow in the guest's awk.
	_bs=0 _rs=0
	cmp -s "$_d/xlate.txt" "$_d/batch.txt" && _bs=1
	cmp -s "$_d/xlate.txt" "$_d/range.txt" && _rs=1
	# The raw entries too, pgd to pte, with the accessed and dirty bits
	# (0x20, 0x40: the second-last hex digit) left out, as the CPU may set
	# them between the two reads.
	awk -v want="$3" -v bsame=$_bs -v rsame=$_rs '
	function noad(h,  v) {
		v = index("0123456789abcdef", substr(h, 17, 1)) - 1
		v -= (int(v / 2) % 2) * 2 + (int(v / 4) % 2) * 4
		return substr(h, 1, 16) substr("0123456789abcdef", v + 1, 1) substr(h, 18)
	}
	FILENAME ~ /kmod.csv$/ {
		split($0, f, ",")
		if (f[2] == "pidwalk") {
			kpa[f[6]] = f[7]; klvl[f[6]] = f[11]; kfl[f[6]] = f[12]
			kent[f[6]] = noad(f[14]) noad(f[15]) noad(f[16]) noad(f[17]) noad(f[18])
		}
		next
	}
	FILENAME ~ /ioctl.txt$/ {
		split($2, a, "="); split($4, b, "="); ipa[a[2]] = b[2]; next
	}
	# Two pfn_ioctl -x lines alike, but for A and D bits (whole lines
	# first: splitting every line is slow in the guest).
	function same(l1, l2,  i, a, b) {
		if (l1 == l2) return 1
		if (split(l1, a, " ") != 10 || split(l2, b, " ") != 10) return 0
		for (i = 1; i <= 10; i++) {
			if (a[i] == b[i]) continue
			if (i < 6) return 0
			sub(/^[a-z0-9]*=/, "", a[i]); sub(/^[a-z0-9]*=/, "", b[i])
			if (noad(a[i]) != noad(b[i])) return 0
		}
		return 1
	}
	FILENAME ~ /xlate.txt$/ {
		xraw[$2] = $0
		split($2, a, "="); split($4, b, "="); split($5, l, "=")
		xpa[a[2]] = b[2]; xlvl[a[2]] = l[2]
		e = ""
		for (i = 6; i <= 10; i++) { sub(/^[a-z0-9]*=/, "", $i); e = e noad($i) }
		xent[a[2]] = e; next
	}
	FILENAME ~ /batch.txt$/ { if (!bsame) bat[$2] = $0; next }
	FILENAME ~ /range.txt$/ { if (!rsame) rng[$2] = $0; next }
	FNR > 1 {
		split($0, f, ",")
		if (f[7] == "") { absent++; next }
		n++
		va = f[6]
		if (kpa[va] != f[7]) { kbad++; if (kbad <= 3) print "kmod " va " " kpa[va] " != " f[7] }
		if (ipa[va] != f[7]) { ibad++; if (ibad <= 3) print "ioctl " va " " ipa[va] " != " f[7] }
		if (xpa[va] != f[7]) xbad++
		if (xlvl[va] != klvl[va]) lbad++
		if (xent[va] != kent[va]) { ebad++; if (ebad <= 3) print "entries " va " walk " kent[va] " xlate " xent[va] }
		if (!("VA=" va in xraw) || (!bsame && !same(bat["VA=" va], xraw["VA=" va]))) { bbad++; if (bbad <= 3) print "batch " bat["VA=" va] }
		if (!("VA=" va in xraw) || (!rsame && !same(rng["VA=" va], xraw["VA=" va]))) { rbad++; if (rbad <= 3) print "range " rng["VA=" va] }
		lv[klvl[va]]++
		if (index(kfl[va], "hugetlb")) hug++
		if (index(kfl[va], "thp")) thp++
		if ((index(f[12], "thp") > 0) != (index(kfl[va], "thp") > 0)) tbad++
	}
	END {
		printf "pages=%d absent=%d kmod_mismatch=%d ioctl_mismatch=%d xlate_mismatch=%d level_mismatch=%d entry_mismatch=%d batch_mismatch=%d range_mismatch=%d pte=%d pmd=%d pud=%d hugetlb=%d thp=%d thp_flag_mismatch=%d\n",
			n, absent, kbad, ibad, xbad, lbad, ebad, bbad, rbad, lv["pte"], lv["pmd"], lv["pud"], hug, thp, tbad
	}' "$_d/kmod.csv" "$_d/ioctl.txt" "$_d/xlate.txt" "$_d/batch.txt" "$_d/range.txt" "$_d/user.csv" >"$_d/sum"
	cat "$_d/sum"
	_s=$(tail -n 1 "$_d/sum")
	_n=$(echo "$_s" | sed 's/^pages=\([0-9]*\).*/\1/')
	case $_s in
	*" kmod_mismatch=0 ioctl_mismatch=0 xlate_mismatch=0 level_mismatch=0 entry_mismatch=0 batch_mismatch=0 range_mismatch=0 "*)
		if [ "$_n" -gt 0 ]; then
			pass "truth $_m: $_n pages, memalloc pagemap = pid walk = IOCTL_GET_PFN = IOCTL_XLATE = IOCTL_XLATE_BATCH (array and range), and the walk's pgd..pte entries = IOCTL_XLATE's = the batches'"
		else
			fail "truth $_m: no present pages compared"
		fi ;;
	*) fail "truth $_m: $_s" ;;
	esac
	check "truth $_m: memalloc and the walk agree on thp for every page" sh -c "echo '$_s' | grep -q ' thp_flag_mismatch=0'"
	case $3 in
	any) check "truth $_m: pmd leaves are exactly the thp rows" sh -c "echo '$_s' | grep -q ' pmd=\\([0-9]*\\) .*thp=\\1 '" ;;
	pte) check "truth $_m: every leaf is a pte" sh -c "echo '$_s' | grep -q ' pmd=0 pud=0 '" ;;
	pmd) check "truth $_m: every leaf is a pmd" sh -c "echo '$_s' | grep -q ' pte=0 pmd=$_n pud=0 '" ;;
	thp)
		if echo "$_s" | grep -q ' thp=0'; then
			skip "truth $_m: the kernel gave no huge pages (THP $(cat /sys/kernel/mm/transparent_hugepage/enabled))"
		else
			pass "truth $_m: $(echo "$_s" | sed 's/.* pmd=\([0-9]*\).*thp=\([0-9]*\)/\1 pmd leaves, \2 rows flagged thp/')"
		fi ;;
	esac
	[ "$3" = pmd ] && [ "$_m" = hugetlb ] &&
		check_eq "truth $_m: rows flagged hugetlb" "$(echo "$_s" | sed 's/.*hugetlb=\([0-9]*\).*/\1/')" "$_n"
}

# malloc'd 4 KiB blocks can land in a THP of the heap, and khugepaged may
# collapse the heap into new huge pages (new PAs) between memalloc's
# pagemap read and the walks: THP only on request while this runs.
thp_file=/sys/kernel/mm/transparent_hugepage/enabled
thp_old=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp_file" 2>/dev/null)
[ -n "$thp_old" ] && echo madvise >"$thp_file"
truth 4K 8M any
[ -n "$thp_old" ] && echo "$thp_old" >"$thp_file"
truth 1G 32M pte
truth thp 32M thp
echo $((hp_old + 20)) >/proc/sys/vm/nr_hugepages
if [ "$(cat /proc/sys/vm/nr_hugepages)" -ge $((hp_old + 16)) ]; then
	truth hugetlb 32M pmd
else
	skip "truth hugetlb: could not reserve 16 huge pages"
fi
