#!/bin/sh
# reports/sizes.sh - check make report's SIZES before anything is built or
# booted: FROM:TO (4K:256M) or a list ("4K 64K 1M", commas work too) of
# sizes N, NK, NM or NG.  Reads PTWALK_SIZES (the value as given); prints
# one line on stderr and exits 2 when it is neither.  The plan
# (vm/plans/report.sh) checks again in the guest.
s=${PTWALK_SIZES-}
bad() {
	echo "make report: bad SIZES '$s': $1; want FROM:TO (4K:256M) or a list (\"4K 64K 1M\")" >&2
	exit 2
}
case $s in
'') exit 0 ;;
*:*:*) bad "more than one ':'" ;;
*:*[\ \	,]* | *[\ \	,]*:*) bad "FROM:TO takes no spaces or commas" ;;
*:*) list="${s%%:*} ${s#*:}" ;;
*) list=$(printf '%s\n' "$s" | tr ',' ' ') ;;
esac
n=0
for x in $list; do
	case $x in
	*[!0-9KMGkmg]* | [!0-9]* | *[KMGkmg]?*) bad "'$x' is not a size (N, NK, NM or NG)" ;;
	esac
	case $x in 0*) bad "'$x' is zero or starts with 0" ;; esac
	n=$((n + 1))
done
case $s in *:*) [ "$n" = 2 ] || bad "FROM and TO must both be sizes" ;; esac
[ "$n" -gt 0 ] || bad "no size in it"
exit 0
