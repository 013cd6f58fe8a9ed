#!/bin/sh
# tests/guest/t_kmod_explain.sh - pfn_ioctl --explain (IOCTL_EXPLAIN).
#
# Explains a user 4 KiB page and a THP page of memalloc processes, a
# direct-map and a vmalloc address of the module's own allocations, and an
# unmapped address, and checks what it prints against other sources: the
# PA against pagemap (user), virt_to_phys (direct map) and
# vmalloc_to_page (vmalloc); the raw entries, leaf level and pgd slot
# against the `pid` and `walk` rows of /proc/pagetable for the same
# address; each entry's physical address against the table the entry
# above points to, plus the index, by the test's own arithmetic; the
# bits of every entry against the raw value by the test's own decoder
# (awk, not collect/ptentry.c); the form of the whole output against a
# fixed text with the per-boot values masked; and bad PIDs and addresses
# one clear stderr line each.  QEMU's monitor judges the same entries in
# tests/t_vm_mmu.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kmod_lib.sh"

X=$BIN/pfn_ioctl
kmod_load log_pages=0
levels=4
grep -qw la57 /proc/cpuinfo && levels=5
if [ "$(uname -m)" != x86_64 ]; then
	skip "explain: the decoded bits and these checks are x86-64's"
	exit 0
fi
PIDS=
# shellcheck disable=SC2086 # the pids, one a word
trap '[ -n "$PIDS" ] && kill $PIDS 2>/dev/null; kmod_exit' EXIT

# hold MODE SIZE NAME: a memalloc holding its memory; rows in $TMP/NAME.csv.
hold() {
	mkfifo "$TMP/$3.in"
	"$BIN/memalloc" -b "$1" -m "$2" -o "$TMP/$3.csv" --hold -q <"$TMP/$3.in" >"$TMP/$3.out" 2>&1 &
	_p=$!
	exec 9>"$TMP/$3.in"   # keeps memalloc's stdin open (EOF would end the hold)
	PIDS="$PIDS $_p"
	wait_ready "$TMP/$3.out" $_p || { fail "explain: memalloc -b $1 -m $2 not ready: $(tail -n 1 "$TMP/$3.out")"; return 1; }
	HOLD_PID=$_p
}

# field FILE LEVEL N: of LEVEL's line, N=idx, shift, epa (entry PA), raw,
# bits, next (table or frame PA after "->").
line_of() { grep "^$2: " "$1"; }
idx_of() { line_of "$1" "$2" | sed -n 's/.* & 511 = \([0-9]*\),.*/\1/p'; }
shift_of() { line_of "$1" "$2" | sed -n 's/.*(va >> \([0-9]*\)).*/\1/p'; }
epa_of() { line_of "$1" "$2" | sed -n 's/.*entry at PA \(0x[0-9a-f]*\): .*/\1/p'; }
raw_of() { line_of "$1" "$2" | sed -n 's/.*entry at PA 0x[0-9a-f]*: \(0x[0-9a-f]*\).*/\1/p'; }
bits_of() { line_of "$1" "$2" | sed -n 's/.*entry at PA 0x[0-9a-f]*: 0x[0-9a-f]* \(.*\) -> .*/\1/p'; }
next_of() { line_of "$1" "$2" | sed -n 's/.* at PA \(0x[0-9a-f]*\)$/\1/p'; }

# The test's own decoder: the names of the set bits of RAW at LEVEL, in
# the SDM's bit order (bit 7 PS above the pte, PAT in it; PAT at bit 12,
# soft-dirty, PKEY only in leaves), as pfn_ioctl prints them.
decode() {
	echo "$1 $2" | awk '
	function bit(h, n,   d, i, v) {   # bit n of the 16-digit hex h
		d = substr(h, 16 - int(n / 4), 1)
		v = index("0123456789abcdef", d) - 1
		for (i = 0; i < n % 4; i++) v = int(v / 2)
		return v % 2
	}
	{ lvl = $1; h = substr($2, 3)
	  if (!bit(h, 0)) { print (h ~ /^0+$/) ? "none" : "not-present"; exit }
	  leaf = lvl == "pte" || ((lvl == "pmd" || lvl == "pud") && bit(h, 7))
	  split("P RW US PWT PCD A D", nm, " ")
	  for (i = 0; i < 7; i++) if (bit(h, i)) s = s " " nm[i + 1]
	  if (bit(h, 7)) s = s (lvl == "pte" ? " PAT" : " PS")
	  if (bit(h, 8)) s = s " G"
	  if (leaf && bit(h, 9)) s = s " SPECIAL"
	  if (leaf && bit(h, 10)) s = s " UFFD_WP"
	  if (leaf && bit(h, 11)) s = s " SOFT_DIRTY"
	  if (leaf && lvl != "pte" && bit(h, 12)) s = s " PAT"
	  if (leaf && bit(h, 58)) s = s " DEVMAP"
	  k = bit(h, 59) + 2 * bit(h, 60) + 4 * bit(h, 61) + 8 * bit(h, 62)
	  if (leaf && k) s = s " PKEY=" k
	  if (bit(h, 63)) s = s " NX"
	  print substr(s, 2) }'
}

# check_walk NAME FILE VA ROW: the explain output FILE of VA against the
# CSV row ROW of the same address (pid or walk), and against itself.
check_walk() {
	_n=$1 _f=$2 _va=$3 _row=$4
	_lv=pgd _bad= _prev=
	for _l in pgd p4d pud pmd pte; do
		if [ $_l = p4d ] && [ $levels = 4 ]; then
			grep -q '^p4d: folded into the pgd (4-level paging)' "$_f" || _bad="$_bad p4d-not-folded"
			continue
		fi
		line_of "$_f" $_l >/dev/null || break
		_lv=$_l
		_i=$(idx_of "$_f" $_l) _s=$(shift_of "$_f" $_l)
		[ "$_i" = $(((_va >> _s) & 511)) ] || _bad="$_bad $_l-index"
		# The entry sits in the table the entry above points to, at 8 x index.
		[ -z "$_prev" ] || [ $(($(epa_of "$_f" $_l))) = $((_prev + 8 * _i)) ] || _bad="$_bad $_l-entry-pa"
		[ "$(bits_of "$_f" $_l)" = "$(decode $_l "$(raw_of "$_f" $_l)")" ] || _bad="$_bad $_l-bits($(bits_of "$_f" $_l)|$(decode $_l "$(raw_of "$_f" $_l)"))"
		_prev=$(next_of "$_f" $_l)
		grep -q "^$_l: .* -> table at PA" "$_f" || break
	done
	# The raw entries against the row's pgd..pte (columns 14-18).
	_got=$(for _l in pgd p4d pud pmd pte; do
		_r=$(raw_of "$_f" $_l)
		[ $_l = p4d ] && [ $levels = 4 ] && _r=$(raw_of "$_f" pgd)
		echo "${_r:-0x0000000000000000}"
	done | tr '\n' ' ')
	_want=$(echo "$_row" | cut -d, -f14-18 | tr ',' ' ')
	[ "$_got" = "$_want " ] || _bad="$_bad entries($_got|$_want)"
	# The pgd slot (column 13): a `pid` row walks the same pgd; a `walk`
	# row walks its writer's (ioctl_stress), another copy of the kernel
	# half, so there only the slot's place in its page agrees.
	_slot=$(sed -n 's/.*pgd entry at kernel VA \(0x[0-9a-f]*\)$/\1/p' "$_f")
	_rslot=$(echo "$_row" | cut -d, -f13)
	case $_va in
	0xff*) [ $((_slot & 0xfff)) = $((_rslot & 0xfff)) ] || _bad="$_bad pgd_slot-offset" ;;
	*) [ "$_slot" = "$_rslot" ] || _bad="$_bad pgd_slot" ;;
	esac
	[ "$_lv" = "$(echo "$_row" | cut -d, -f11)" ] || _bad="$_bad level($_lv)"
	if [ -z "$_bad" ]; then
		pass "explain $_n: index, entry PA, bits, entries, pgd slot and $_lv leaf agree"
	else
		fail "explain $_n:$_bad: $(tr '\n' '|' <"$_f" | head -c 600)"
	fi
}
# pa_of FILE: the final PA explain printed.
pa_of() { sed -n 's/^PA: .* = \(0x[0-9a-f]*\)$/\1/p' "$1"; }

# --- a user 4 KiB page, and a THP page ----------------------------------
for m in "4K 64K u4k" "thp 4M uthp"; do
	set -- $m
	hold "$1" "$2" "$3" || continue
	# A page in the middle, and for THP one of the pages that are THP.
	if [ "$1" = thp ]; then
		row=$(awk -F, 'NR > 1 && $12 ~ /thp/ && $7 != "" { n++; if (n == 300) { print; exit } }' "$TMP/$3.csv")
	else
		row=$(sed -n 5p "$TMP/$3.csv")
	fi
	if [ -z "$row" ]; then
		skip "explain $3: memalloc -b $1 found no such page ($(grep -c thp "$TMP/$3.csv") thp rows)"
		continue
	fi
	va=$(echo "$row" | cut -d, -f6) pa=$(echo "$row" | cut -d, -f7)
	va=$(printf '0x%016x' $((va + 0x123))) pa=$(printf '0x%016x' $((pa + 0x123)))
	"$X" --explain "$HOLD_PID" "$va" >"$TMP/$3.ex" 2>"$TMP/$3.err"
	check_eq "explain $3 $va: exit 0, PA equals pagemap's" "$?:$(pa_of "$TMP/$3.ex")" "0:$pa"
	kmod_cmd "pid $HOLD_PID" >/dev/null
	prow=$(grep "^kernel,pidwalk,[0-9]*,$HOLD_PID,[0-9]*,$(printf '0x%016x' $((va & ~0xfff)))," /proc/pagetable)
	check_walk "$3" "$TMP/$3.ex" "$va" "$prow"
	[ "$1" = thp ] && check_eq "explain thp: a 2 MiB pmd leaf" \
		"$(grep -c '^pmd: .* PS.* -> 2 MiB frame at PA' "$TMP/$3.ex")" 1
	sed 's/^/  /' "$TMP/$3.ex"
done

# --- kernel: the direct map and vmalloc ------------------------------------
# kernel NAME CMD ROW OFF COL WHAT: explain (PID 0) the VA of data row ROW
# of CMD's result, plus OFF, into $TMP/NAME.ex; its PA must equal column
# COL (WHAT) of the `walk` row of that VA, and its walk that row.
kernel() {
	check_eq "explain: $2 ok" "$(kmod_cmd "$2")" ok
	va=$(printf '0x%016x' $(($(sed -n "$(($3 + 1))p" /proc/pagetable | cut -d, -f6) + $4)))
	kmod_cmd "walk $va" >/dev/null
	wrow=$(sed -n 2p /proc/pagetable)
	"$X" --explain 0 "$va" >"$TMP/$1.ex" 2>"$TMP/$1.err"
	check_eq "explain $1 $va: exit 0, PA equals $6" "$?:$(pa_of "$TMP/$1.ex")" "0:$(echo "$wrow" | cut -d, -f"$5")"
	check_walk "$1" "$TMP/$1.ex" "$va" "$wrow"
}
kernel direct_map "alloc_pages 4" 3 0x80 10 virt_to_phys
kernel vmalloc "vmalloc 1M" 6 0x10 8 "vmalloc_to_page's"
sed 's/^/  /' "$TMP/direct_map.ex" "$TMP/vmalloc.ex"
check_eq "explain vmalloc: virt_to_phys is another address" \
	"$([ "$(pa_of "$TMP/vmalloc.ex")" != "$(echo "$wrow" | cut -d, -f10)" ] && echo differs)" differs

# The form, per-boot values masked: hex numbers, indices, the levels.
# (x86 populates kernel tables with _PAGE_TABLE, 0x67, US included: the
# leaf's clear US is what keeps user mode out.)
mask() { sed -e 's/0x[0-9a-f]*/X/g' -e 's/= [0-9][0-9]*,/= N,/' -e 's/[45]-level/L-level/g' "$1"; }
want="kernel VA X, L-level paging, pgd entry at kernel VA X
pgd: (va >> 39) & 511 = N, entry at PA X: X P RW US A D -> table at PA X
p4d: folded into the pgd (L-level paging): the same entry
pud: (va >> 30) & 511 = N, entry at PA X: X P RW US A D -> table at PA X
pmd: (va >> 21) & 511 = N, entry at PA X: X P RW US A D -> table at PA X
pte: (va >> 12) & 511 = N, entry at PA X: X P RW A D G NX -> 4 KiB frame at PA X
PA: X + offset X (va & X) = X"
[ $levels = 5 ] && want=$(echo "$want" | sed \
	-e 's/^p4d: .*/p4d: (va >> 39) \& 511 = N, entry at PA X: X P RW US A D -> table at PA X/' \
	-e 's/^pgd: (va >> 39)/pgd: (va >> 48)/')
check_eq "explain vmalloc: the output's form (values masked)" "$(mask "$TMP/vmalloc.ex")" "$want"

# --- an unmapped address, bad input -----------------------------------------
hole=0x0000000000001000
"$X" --explain $$ $hole >"$TMP/un.ex" 2>"$TMP/un.err"
check_eq "explain unmapped $hole: exit 1, one stderr line, PA none" \
	"$?:$(cat "$TMP/un.err"):$(tail -n 1 "$TMP/un.ex")" \
	"1:pfn_ioctl: PID $$ VA 0x0000000000001000: not mapped:PA: none, VA 0x0000000000001000 is not mapped"
check_eq "explain unmapped: the walk stops at a not-present entry" \
	"$(grep -c -- '-> no translation$' "$TMP/un.ex")" 1
check_err "explain bad PID" 1 "^pfn_ioctl: PID 4000000 VA 0x0000000000400000: No such process$" \
	"$X" --explain 4000000 0x400000
check_err "explain non-canonical VA" 1 "^pfn_ioctl: PID $$ VA 0x0100000000000000: Invalid argument \(not a canonical address\)$" \
	"$X" --explain $$ 0x0100000000000000
check_err "explain user VA with PID 0" 1 "^pfn_ioctl: PID 0 VA 0x0000000000400000: Invalid argument \(PID 0 walks kernel addresses only\)$" \
	"$X" --explain 0 0x400000
check_err "explain VA not a number" 2 "^pfn_ioctl: address '0xzz' is not a number \(see pfn_ioctl -h\)$" \
	"$X" --explain $$ 0xzz
check_err "explain without VA" 2 "^pfn_ioctl: missing VA " "$X" --explain $$
check_err "plain PID 0 still refused" 2 "^pfn_ioctl: bad PID '0' \\(see pfn_ioctl -h\\)$" "$X" 0 1
