# tests/readme_lib.sh - run README.md's example sessions as tests (sourced,
# by tests/t_readme.sh on the host and tests/guest/t_readme.sh in the guest).
#
# readme_blocks PROMPT FILE: the indented example lines of README.md whose
# prompt is PROMPT ('$' on the host, '#' in the guest), as records
# "C<TAB>command" and "O<TAB>expected output line"; a blank line ends a
# session.  readme_run runs such records in the current directory, one
# command at a time as shown, and compares each output with README's, with
# the values that change from run to run masked: hex numbers (0x..., the
# 16-digit ones kept at their width), times in ms, /proc/PID/maps ranges.
# A number README shows in an output line (a PID, an address) that the run
# prints differently is bound to the run's value, and later commands get
# the run's value in its place, so "pagemap_reader 644 0x21476d0" reads
# the prober that was just started.  The output must have as many lines as
# README shows, unless README ends it with a line "...".  Expected "# comment" tails of commands are dropped.
# Needs pass/fail (tests/lib.sh or tests/guest/kmod_lib.sh).

readme_blocks() {	# PROMPT FILE
	awk -v p="$1" '
		/^    / && substr($0, 5, 2) == p " " {
			c = substr($0, 7); sub(/[ \t]+# .*$/, "", c); print "C\t" c; inblk = 1; next }
		inblk && /^    [^ ]/ { o = substr($0, 5); sub(/[ \t]+# .*$/, "", o); print "O\t" o; next }
		{ if (inblk) print "E\t"; inblk = 0 }
		END { if (inblk) print "E\t" }' "$2"
}

# readme_mask: hex values, times, maps ranges to placeholders (stdin).
# README_MASK_EXTRA, when set, is one more sed -E script (a test's own
# per-run values).
readme_mask() {
	sed -E 's/0x[0-9a-f]{16}/0xHHHHHHHHHHHHHHHH/g; s/0x[0-9a-f]+/0xH/g;
		s/[0-9]+\.[0-9]+ ms/N ms/g; s/^VMA: [0-9a-f]+-[0-9a-f]+ /VMA: H-H /' |
		if [ -n "${README_MASK_EXTRA:-}" ]; then sed -E "$README_MASK_EXTRA"; else cat; fi
}

# readme_bind EXPECTED GOT: record in $README_BINDS the run's value for
# each number of three or more characters (a PID, an allocation number,
# an address) README shows that the run printed differently, in the same
# form (0x-hex for 0x-hex, 16 digits for 16 digits, decimal for decimal).  Words are
# runs of letters, digits and '_'; both lines must have as many.  POSIX sh
# and awk: the guest has BusyBox only.
readme_bind() {
	awk -v e="$1" -v g="$2" 'BEGIN {
		ne = split(e, E, /[^A-Za-z0-9_]+/); ng = split(g, G, /[^A-Za-z0-9_]+/)
		if (ne != ng) exit
		for (i = 1; i <= ne; i++)
			if (E[i] != G[i] && length(E[i]) >= 3 &&
			    ((E[i] ~ /^0x[0-9a-f]+$/ && G[i] ~ /^0x[0-9a-f]+$/ &&
			      (length(E[i]) != 18 || length(G[i]) == 18)) ||
			     (E[i] ~ /^[0-9]+$/ && G[i] ~ /^[0-9]+$/))) print E[i], G[i] }' >>"$README_BINDS"
}

# readme_subst LINE: LINE with each bound word replaced by the run's value.
readme_subst() {
	awk -v l="$1" 'FILENAME != "-" { B[$1] = $2; next }
		END { out = ""
			while (match(l, /[A-Za-z0-9_]+/)) {
				w = substr(l, RSTART, RLENGTH)
				out = out substr(l, 1, RSTART - 1) ((w in B) ? B[w] : w)
				l = substr(l, RSTART + RLENGTH)
			}
			print out l }' "$README_BINDS" - </dev/null
}

# readme_check NAME CMD GOTFILE EXPECTED-LINES...: one PASS or FAIL.
# Lines are compared with runs of blanks squeezed, after masking.
readme_check() {
	_name=$1 _cmd=$2 _got=$3 _n=0 _why="" _more=0
	shift 3
	for _e in "$@"; do
		[ "$_e" = "..." ] && { _more=1; break; }
		_n=$((_n + 1))
		_g=$(sed -n "${_n}p" "$_got")
		readme_bind "$_e" "$_g"
		_e=$(readme_subst "$_e")
		if [ "$(printf '%s\n' "$_e" | tr -s ' ' | readme_mask)" != "$(printf '%s\n' "$_g" | tr -s ' ' | readme_mask)" ]; then
			_why="line $_n is '$_g', README shows '$_e'"
			break
		fi
	done
	# Without "...", README shows the whole output: no more lines, no fewer.
	if [ -z "$_why" ] && { [ "$(wc -l <"$_got")" -lt "$_n" ] ||
		{ [ "$_more" = 0 ] && [ "$(wc -l <"$_got")" != "$_n" ]; }; }; then
		_why="$(wc -l <"$_got") lines ($(head -c 200 "$_got" | tr '\n' ' ')), README shows $_n"
	fi
	if [ -n "$_why" ]; then
		fail "$_name: '$_cmd': $_why"
	else
		pass "$_name: '$_cmd' ($_n output lines as README shows them)"
	fi
}
