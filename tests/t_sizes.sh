#!/bin/bash
# tests/t_sizes.sh - user space's one size parser (collect/size.c) on the
# shared cases of tests/guest/size_cases.txt, through memalloc
# --print-sizes, the flag every shell script asks; the guest test
# t_kmod_size holds the module's parser to the same cases.
. "$(dirname "$0")/lib.sh"

M=$BIN/memalloc
n=0
while read -r in want; do
	case $in in '#'*|'') continue ;; esac
	n=$((n + 1))
	if [ "$want" = bad ]; then
		re=$(printf '%s' "$in" | sed 's/[][\.*^$+?(){}|]/\\&/g')
		check_err "size '$in' is refused" 2 "^memalloc: bad sizes '$re': '$re' is not a size: " \
			${WRAP:-} "$M" --print-sizes "$in"
	else
		check_eq "size '$in' is $want bytes" "$(${WRAP:-} "$M" --print-sizes "$in" 2>&1)" "$want"
	fi
done <"$ROOT/tests/guest/size_cases.txt"
check "size cases: at least 40 read" [ "$n" -ge 40 ]
