#!/bin/sh
# reports/step.sh - run one step of `make report` and account for it.
#
#   reports/step.sh K/N LABEL TIMING CMD...
#
# Prints "[K/N] LABEL (T s)" on stderr, T being the seconds since `make
# report` started (REPORT_T0, date +%s.%N), runs CMD, and appends
# "LABEL<TAB>SECONDS" to TIMING for the closing breakdown.  CMD's status is
# the step's.
k=$1 label=$2 timing=$3
shift 3
now() { date +%s.%N; }
t0=$(now)
echo "[$k] $label ($(awk -v a="${REPORT_T0:-$t0}" -v b="$t0" 'BEGIN { printf "%.1f", b - a }') s)" >&2
"$@"
st=$?
[ "$st" = 0 ] && printf '%s\t%s\n' "$label" "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')" >>"$timing"
exit $st
