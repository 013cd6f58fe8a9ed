#!/bin/bash
# tests/t_memalloc_huge.sh - memalloc's --huge-size option on the host.
#
# The bad uses of --huge-size (a size other than 64K, 2M, 32M and 1G, or a mode other
# than hugetlb) get one usage line and exit 2, and --help names the option.
# The 1 GiB pages themselves need a guest that reserved them at boot:
# tests/guest/huge1g.sh, run by tests/t_vm_mmu.sh.
. "$(dirname "$0")/lib.sh"

check_err "memalloc --huge-size 3M" 2 \
	"^memalloc: bad huge page size '--huge-size 3M': want 64K, 2M, 32M or 1G \(see memalloc -h\)$" \
	"$BIN/memalloc" -b hugetlb --huge-size 3M -m 1G -o "$TMP/x.csv"
check_err "memalloc --huge-size with -b thp" 2 \
	"^memalloc: --huge-size is for -b hugetlb, not -b thp \(see memalloc -h\)$" \
	"$BIN/memalloc" -b thp --huge-size 1G -m 1G -o "$TMP/x.csv"
check "memalloc --huge-size leaves no file" test ! -e "$TMP/x.csv"
if "$BIN/memalloc" --help | grep -q -- '--huge-size S .*2M or 1G'; then
	pass "memalloc --help names --huge-size"
else
	fail "memalloc --help names --huge-size: not in $("$BIN/memalloc" --help | head -c 100)"
fi
