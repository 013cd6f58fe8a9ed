#!/bin/sh
# mk/man.sh - one program's man page (section 1), made from its --help.
#
#   mk/man.sh PROG NAME VERSION OUT
#
# help2man writes the page (NAME: PROG - NAME); two fixes follow, so that
# the page reads as --help does: the further usage lines (indented lines
# that name the program, after "Usage:") join the SYNOPSIS instead of
# opening the DESCRIPTION, and the examples (the lines after "Examples:"
# or "EXAMPLES") stay as written, one a line, not filled into a paragraph.
# OUT is written whole or not at all.
set -eu
prog=$1 name=$2 version=$3 out=$4
p=$(basename "$prog")
trap 'rm -f "$out.h2m" "$out.help" "$out.tmp"' EXIT
help2man --no-info --no-discard-stderr --section=1 --source=ptwalk --version-string="$version" \
	--name="$name" -o "$out.h2m" "$prog"
"$prog" --help >"$out.help"
awk -v p="$p" '
function roff(s) {
	gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s)
	if (s ~ /^[.'\'']/) s = "\\&" s
	return s
}
NR == FNR {
	if (inex) ex[++nex] = $0
	else if ($0 ~ /^(Examples|EXAMPLES):?$/) inex = 1
	next
}
{ l[++n] = $0 }
END {
	for (i = 1; i <= n; i++) {
		if (l[i] == ".SH DESCRIPTION" && l[i + 1] ~ /^\.[IT]P$/ && index(l[i + 2], p " ") == 1) {
			# A line naming the program opens a usage line, others go on with it;
			# help2man puts a .TP before each usage line after the first.
			for (j = i + 2; j <= n && (l[j] !~ /^\./ || (l[j] ~ /^\.[IT]P$/ && index(l[j + 1], p " ") == 1)); j++)
				if (l[j] ~ /^\./) continue
				else if (index(l[j], p " ") == 1) printf "%s.br\n.B %s\n%s", (j > i + 2 ? "\n" : ""), p, substr(l[j], length(p) + 2)
				else printf " %s", l[j]
			print "\n" l[i]
			i = j - 1
			continue
		}
		if (nex && l[i] ~ /^(\.SH )?"?EXAMPLES"?$/) {
			print ".SH EXAMPLES\n.nf"
			for (k = 1; k <= nex; k++) print roff(ex[k])
			print ".fi"
			for (i++; i <= n && l[i] !~ /^\.SH /; i++) ;
			i--
			continue
		}
		print l[i]
	}
}' "$out.help" "$out.h2m" >"$out.tmp"
mv "$out.tmp" "$out"
