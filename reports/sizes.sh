#!/bin/sh
# reports/sizes.sh - check make report's SIZES before the guest is built or
# booted: FROM:TO (4K:256M) or a list ("4K 64K 1M", commas work too).
# Reads PTWALK_SIZES (the value as given) and asks memalloc --print-sizes
# (MEMALLOC, default build/bin/memalloc), the one size parser, whether it
# is one; prints one line on stderr and exits 2 when it is not.  The plan
# (vm/plans/report.sh) asks the guest's memalloc again.
s=${PTWALK_SIZES-}
m=${MEMALLOC:-$(dirname "$0")/../build/bin/memalloc}
[ -n "$s" ] || exit 0
if [ ! -x "$m" ]; then
	echo "make report: cannot check SIZES '$s': no memalloc at $m" >&2
	exit 2
fi
if ! err=$("$m" --print-sizes "$s" 2>&1 >/dev/null); then
	# memalloc's line less its own frame: the reason alone.
	why=${err#"memalloc: bad sizes '$s': "}
	why=${why%" (see memalloc -h)"}
	echo "make report: bad SIZES '$s': $why; want FROM:TO (4K:256M) or a list (\"4K 64K 1M\")" >&2
	exit 2
fi
exit 0
