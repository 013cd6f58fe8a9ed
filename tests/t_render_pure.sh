#!/bin/bash
# tests/t_render_pure.sh - the renderers compute no number (issue 15
# point 10): reports/*.awk, reports/*.sh, plots/*.gp and mk/matrix-*.sh
# only pick the analyzer's cells and word them.  Host only, no build.
#
# A scanner flags, on every line that is not a comment, the forms that
# computing on data takes in these scripts: a percentage (100 *, * 100),
# a logarithm, a power (2 ^ k, for an order or a size), a sum of fields
# (+= $..., += col(...), += V[...]), a division by a field (" / $x",
# " / col("), a histogram of a field (x[$3]++; not the !seen[$0]++ of a
# dedup), a running max or min (if (FIELD ... > var)), and a sort | head
# pick.  Unit conversions by constants (b / 1048576), layout arithmetic
# (10.5 / np) and text such as "2^k pages" are not among them.  Each line it flags
# must be in ALLOW below, with why it is not a computed number of the
# report; an ALLOW entry that matches nothing fails too, so the list
# cannot go stale.  The scanner is first run on planted lines, each of
# which it must flag, and on clean ones, which it must not.
. "$(dirname "$0")/lib.sh"

# scan FILE...: "FILE:LINE: TEXT" for each flagged line.
scan() {
	awk '
	/^[ \t]*#/ { next }
	{
		s = $0
		if (s ~ /(^|[^0-9.])100 \*|\* 100([^0-9.]|$)/ || s ~ /(^|[^a-z_])log\(/ ||
		    s ~ /[0-9a-z)\]] \^ / || s ~ /\+= *(\$|col\(|V\[|strtonum)/ ||
		    s ~ / \/ (\$|col\(|V\[)/ || s ~ /(^|[^!a-z_])[a-z_]+\[\$[0-9a-z]+(\[[^]]*\])?\]\+\+/ ||
		    s ~ /if \([^)]*(\$[0-9a-z]|col\()[^)]*[<>]=? *[a-z_]+\)/ || s ~ /sort[^|]*\| *head/)
			printf "%s:%d: %s\n", FILENAME, FNR, s
	}' "$@"
}

# The scanner itself: planted lines are flagged, clean ones are not.
cat >"$TMP/planted.awk" <<'EOF'
	pct = 100 * $c["thp"] / $c["pages"]
	printf "%.1f", t * 100
	order = int(log(col(F, i, "size_bytes") / 4096) / log(2) + 0.5)
	s = mib(4096 * 2 ^ g[1])
	{ up[$2] += $c["present"] }
	share = n / $5
	lv[$11]++
	if ($c["largest_run"] * 4096 > klr) klr = $c["largest_run"]
	top=$(sort -t, -k3 -n "$f" | head -n 1)
EOF
cat >"$TMP/clean.awk" <<'EOF'
	# 100 * x in a comment
	if (b >= 1048576 && b % 1048576 == 0) return (b / 1048576) " MiB"
	cols = cols "p{" sprintf("%.1f", 10.5 / np) "cm}"
	s = s col(FD, r, "thp_pct") "%"
	if (col(FD, r, "v2p_checked") + 0 > 0) s = s "x"
EOF
check_eq "render pure: the scanner flags all 9 planted lines" "$(scan "$TMP/planted.awk" | wc -l)" 9
check_eq "render pure: the scanner flags no clean line" "$(scan "$TMP/clean.awk")" ""

# FILE|TEXT (a fixed string of the flagged line)|why it is not a number the
# report computes.
ALLOW='reports/teach.awk|np++; sd += col(P, i, "soft_dirty")|a yes/no condition (every present entry soft-dirty), no number printed
reports/teach.awk|ns++; xs += col(P, i, "exclusive")|a yes/no condition (no -self entry exclusive), no number printed
reports/teach.awk|human(4096 * 2 ^ v)|the size of the largest buddy block from a kernel constant (MAX_ORDER), not from measured data
reports/timing.sh|s += $2|the build steps'"'"' times on stderr, not in the report
plots/fig4_runhist.gp|lg2(x) = log(x) / log(2)|axis: places the log2 size ticks, draws no number of the report'
scan "$ROOT"/reports/*.awk "$ROOT"/reports/*.sh "$ROOT"/plots/*.gp "$ROOT"/mk/matrix-*.sh |
	sed "s|^$ROOT/||" >"$TMP/flagged"
bad=""
while IFS= read -r l; do
	f=${l%%:*} ok=0
	while IFS='|' read -r af at _; do
		[ "$f" = "$af" ] && [[ $l == *"$at"* ]] && { ok=1; break; }
	done <<<"$ALLOW"
	[ $ok = 1 ] || bad="$bad
$l"
done <"$TMP/flagged"
check_eq "render pure: no renderer computes on data (reports/, plots/, mk/matrix-*)" "$bad" ""
stale=""
while IFS='|' read -r af at _; do
	grep -F -- "$at" "$TMP/flagged" | grep -q "^$af:" || stale="$stale $af:'$at'"
done <<<"$ALLOW"
check_eq "render pure: every allowed line is still there (the list is not stale)" "$stale" ""
