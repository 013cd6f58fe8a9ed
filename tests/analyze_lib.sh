# tests/analyze_lib.sh - what the analyzer's host tests share (sourced
# after lib.sh): A, the analyzer command, and an(), which runs it two ways.
# The samples reader has one parsing path (libcsv, analyze/README.md
# "Speed"), so the tests that once ran both parsing paths run each case
# once on files and once on standard input: the first .csv argument given
# as "-" with its bytes on a pipe (short reads, no seek, and "-" in
# messages).  SCHEMA is the samples header, from analyze itself.
A="${WRAP:-} $BIN/analyze"
MODES="file pipe"
SCHEMA=$("$BIN/analyze" --schema 2>/dev/null)

# an MODE ARG...: analyze ARG...; in mode pipe the first ARG ending in
# .csv is replaced by "-" and piped in.
an() {
	local mode=$1 f= x args=()
	shift
	for x; do
		if [ "$mode" = pipe ] && [ -z "$f" ] && [ "${x%.csv}" != "$x" ]; then
			f=$x
			x=-
		fi
		args+=("$x")
	done
	if [ -n "$f" ]; then
		cat -- "$f" | $A "${args[@]}"
	else
		$A "${args[@]}"
	fi
}

# in_name MODE FILE: how analyze names FILE in messages in that mode.
in_name() { if [ "$1" = pipe ]; then echo -; else echo "$2"; fi; }
